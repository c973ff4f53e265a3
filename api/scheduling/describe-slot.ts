import { explainRotation, explainSlot } from "./explain-slot";
import { overlapsAny } from "./intervals";
import { DAY_MS, DAY_NAMES, MINUTE_MS, formatIsoWithOffset, formatLocalDate, formatMinutes, formatTimeOfDay, weekdayOf } from "./local-time";
import { type OutsideMeasure, type SearchContext, measureOutside, seriesDays } from "./slot-search-context";
import type { RotationProposal, SlotConflict, SlotMemberView, SlotScore, SlotSuggestion } from "./slot-search-types";
import { localToUtc, offsetAt, utcToLocal } from "./zone-offsets";

/** Minutes after local midnight of an instant in a zone (for comparing members' local times). */
function localMinutes(localMs: number): number {
  return Math.floor((((localMs % DAY_MS) + DAY_MS) % DAY_MS) / MINUTE_MS);
}

/**
 * Everything about one slot over the given sessions (indices into its series; default all), with
 * its explanation. Uses the same measures as the candidate table (slot-search-context.ts), so the
 * reported score is the one the slot was ranked by.
 */
export function describeSlot(ctx: SearchContext, weekday: number, startMinute: number, sessionIndices?: number[]): SlotSuggestion {
  const allDays = seriesDays(ctx, weekday);
  const indices = sessionIndices ?? allDays.map((_, i) => i);
  const circle = ctx.circleZone;
  const K = indices.length;
  const starts = new Float64Array(K);
  const dates: string[] = [];
  for (let k = 0; k < K; k++) {
    const day = allDays[indices[k]!]!;
    starts[k] = localToUtc(circle, day + startMinute * MINUTE_MS);
    dates.push(formatLocalDate(day));
  }
  const hardByDate: string[][] = dates.map(() => []);
  const tentativeByDate: string[][] = dates.map(() => []);
  const measure: OutsideMeasure = { outside: 0, gap: 0, early: false, wholly: false };
  const dur = ctx.sessionMs;
  let hardCount = 0;
  let tentativeCount = 0;

  const perMember: SlotMemberView[] = ctx.members.map((mem) => {
    const id = mem.source.id;
    let lastMinutes = localMinutes(utcToLocal(mem.ownZone, starts[0]!));
    const view: SlotMemberView = {
      memberId: id,
      localTime: formatMinutes(lastMinutes),
      localTimeShifts: false,
      localTimeChanges: [],
      outsideMinutesTotal: 0,
      outsideSessions: 0,
      earlySessions: 0,
      lateSessions: 0,
      dayOffSessions: 0,
      burdenMinutes: 0,
    };
    for (let k = 0; k < K; k++) {
      const s = starts[k]!;
      const e = s + dur;
      if (overlapsAny(mem.hard, s, e)) {
        hardByDate[k]!.push(id);
        hardCount++;
      } else if (overlapsAny(mem.tentative, s, e)) {
        tentativeByDate[k]!.push(id);
        tentativeCount++;
      }

      measureOutside(mem.work, s, e, measure);
      if (measure.outside > 0) {
        view.outsideMinutesTotal += measure.outside;
        view.burdenMinutes += measure.outside + measure.gap;
        view.outsideSessions += 1;
        const localDay = Math.floor(utcToLocal(mem.workZone, s) / DAY_MS) * DAY_MS;
        if (measure.wholly && !mem.workDays[weekdayOf(localDay)]) view.dayOffSessions += 1;
        else if (measure.early) view.earlySessions += 1;
        else view.lateSessions += 1;
      }

      if (k > 0) {
        const local = utcToLocal(mem.ownZone, s);
        const minutes = localMinutes(local);
        if (minutes !== lastMinutes) {
          lastMinutes = minutes;
          // Date the change by the offset change (theirs or the circle's) between the two sessions.
          const previous = starts[k - 1]!;
          let found = -Infinity;
          for (const t of mem.ownZone.transitions) if (t > previous && t <= s && t > found) found = t;
          for (const t of circle.transitions) if (t > previous && t <= s && t > found) found = t;
          const at = found > -Infinity ? found : s;
          view.localTimeChanges.push({ after: formatLocalDate(utcToLocal(circle, at)), localTime: formatTimeOfDay(local) });
          view.localTimeShifts = true;
        }
      }
    }
    return view;
  });
  const conflicts: SlotConflict[] = [];
  const tentativeConflicts: SlotConflict[] = [];
  for (let k = 0; k < K; k++) {
    if (hardByDate[k]!.length > 0) conflicts.push({ date: dates[k]!, memberIds: hardByDate[k]! });
    if (tentativeByDate[k]!.length > 0) tentativeConflicts.push({ date: dates[k]!, memberIds: tentativeByDate[k]! });
  }

  const outsideMembers = perMember.filter((v) => v.outsideMinutesTotal > 0);
  const score: SlotScore = {
    conflicts: hardCount,
    tentativeConflicts: tentativeCount,
    membersOutsideHours: outsideMembers.length,
    outsideMinutesTotal: perMember.reduce((sum, v) => sum + v.outsideMinutesTotal, 0),
    maxMemberBurden: perMember.reduce((max, v) => Math.max(max, v.burdenMinutes), 0),
    burdenTotal: perMember.reduce((sum, v) => sum + v.burdenMinutes, 0),
  };
  const slot: Omit<SlotSuggestion, "explanation"> = {
    start: formatIsoWithOffset(starts[0]!, offsetAt(circle, starts[0]!)),
    timeZone: ctx.circleZoneName,
    weekday: DAY_NAMES[weekday]!,
    localTime: formatMinutes(startMinute),
    occurrences: starts.length,
    dates,
    conflicts,
    tentativeConflicts,
    outsideWorkingHours: outsideMembers.map((v) => v.memberId),
    perMember,
    score,
  };
  return { ...slot, explanation: explainSlot(slot, ctx.names) };
}

/** A rotation of alternating slots: slot j holds sessions j, j + k, j + 2k … of the series. */
export function describeRotation(ctx: SearchContext, slots: Array<{ weekday: number; startMinute: number }>): RotationProposal {
  const k = slots.length;
  const described = slots.map((slot, j) => {
    // The slot's own weekday series: with an end date it may be a session shorter than others.
    const sessions = seriesDays(ctx, slot.weekday).length;
    const indices = Array.from({ length: sessions }, (_, i) => i).filter((i) => i % k === j);
    return describeSlot(ctx, slot.weekday, slot.startMinute, indices);
  });
  const burdenByMember = ctx.members.map((mem, m) => {
    const views = described.map((s) => s.perMember[m]!);
    const sum = (pick: (v: SlotMemberView) => number) => views.reduce((total, v) => total + pick(v), 0);
    return {
      memberId: mem.source.id,
      outsideMinutesTotal: sum((v) => v.outsideMinutesTotal),
      outsideSessions: sum((v) => v.outsideSessions),
      earlySessions: sum((v) => v.earlySessions),
      lateSessions: sum((v) => v.lateSessions),
      dayOffSessions: sum((v) => v.dayOffSessions),
    };
  });
  const conflicts = described.reduce((total, s) => total + s.score.conflicts, 0);
  const proposal: Omit<RotationProposal, "explanation"> = { slots: described, burdenByMember, conflicts };
  return { ...proposal, explanation: explainRotation(proposal, ctx.names) };
}
