import { explainRotation, explainSlot } from "./explain-slot";
import { overlapsAny } from "./intervals";
import { DAY_NAMES, formatIsoWithOffset, formatLocalDate, formatMinutes, formatTimeOfDay, weekdayOf } from "./local-time";
import { type OutsideMeasure, type SearchContext, measureOutside, seriesDays } from "./slot-search-context";
import type { RotationProposal, SlotConflict, SlotMemberView, SlotScore, SlotSuggestion } from "./slot-search-types";
import { localToUtc, offsetAt, utcToLocal } from "./zone-offsets";

/**
 * Local copies of local-time's constants: this module is on the slot search's hot path, and
 * under tsx's CommonJS transform every read of an imported binding is a getter call.
 */
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

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
  const starts = indices.map((i) => localToUtc(circle, allDays[i]! + startMinute * MINUTE_MS));
  const dates = indices.map((i) => formatLocalDate(allDays[i]!));
  const conflicts: SlotConflict[] = [];
  const tentativeConflicts: SlotConflict[] = [];
  const measure: OutsideMeasure = { outside: 0, gap: 0, early: false, wholly: false };
  const lastLocalMinutes = ctx.members.map((mem) => localMinutes(utcToLocal(mem.ownZone, starts[0]!)));
  const perMember: SlotMemberView[] = ctx.members.map((mem, m) => ({
    memberId: mem.source.id,
    localTime: formatMinutes(lastLocalMinutes[m]!),
    localTimeShifts: false,
    localTimeChanges: [],
    outsideMinutesTotal: 0,
    outsideSessions: 0,
    earlySessions: 0,
    lateSessions: 0,
    dayOffSessions: 0,
    burdenMinutes: 0,
  }));
  let hardCount = 0;
  let tentativeCount = 0;

  starts.forEach((s, k) => {
    const e = s + ctx.sessionMs;
    const hardIds: string[] = [];
    const tentativeIds: string[] = [];
    ctx.members.forEach((mem, m) => {
      const view = perMember[m]!;
      if (overlapsAny(mem.hard, s, e)) hardIds.push(mem.source.id);
      else if (overlapsAny(mem.tentative, s, e)) tentativeIds.push(mem.source.id);

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
        if (minutes !== lastLocalMinutes[m]) {
          lastLocalMinutes[m] = minutes;
          // Date the change by the offset change (theirs or the circle's) between the two sessions.
          const previous = starts[k - 1]!;
          let at = s;
          let found = -Infinity;
          for (const t of mem.ownZone.transitions) if (t > previous && t <= s && t > found) found = t;
          for (const t of circle.transitions) if (t > previous && t <= s && t > found) found = t;
          if (found > -Infinity) at = found;
          view.localTimeChanges.push({ after: formatLocalDate(utcToLocal(circle, at)), localTime: formatTimeOfDay(local) });
          view.localTimeShifts = true;
        }
      }
    });
    hardCount += hardIds.length;
    tentativeCount += tentativeIds.length;
    if (hardIds.length > 0) conflicts.push({ date: dates[k]!, memberIds: hardIds });
    if (tentativeIds.length > 0) tentativeConflicts.push({ date: dates[k]!, memberIds: tentativeIds });
  });

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
    const indices = Array.from({ length: ctx.sessionCount }, (_, i) => i).filter((i) => i % k === j);
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
