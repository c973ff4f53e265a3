import { type DayName, SHORT_MONTH_NAMES, shortDayName, zoneLabel } from "./local-time";
import type { RotationProposal, SlotConflict, SlotMemberView, SlotSuggestion } from "./slot-search-types";

/**
 * One-line, plain-English reasons for a suggestion, e.g.
 * "Tue 15:00 London · within everyone's hours · 1 conflict: Priya on 3 Mar · Lee sees 07:00 → 08:00 after 8 Mar".
 * Names are display names; dates are in the circle's zone. English only for now: the UI shows
 * the structured fields and uses this as the accessible summary.
 */

/** "2026-03-03" → "3 Mar". Dates here come from our own formatter, so slicing is safe. */
function shortDate(date: string): string {
  return `${Number(date.slice(8, 10))} ${SHORT_MONTH_NAMES[Number(date.slice(5, 7)) - 1]}`;
}

function nameOf(names: ReadonlyMap<string, string>, id: string): string {
  return names.get(id) ?? id;
}

function joinAnd(parts: string[]): string {
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts[parts.length - 1]}`;
}

/** Conflict list grouped by person: "Priya on 3 Mar and 17 Mar; Lee on 31 Mar". */
function describeConflicts(conflicts: SlotConflict[], names: ReadonlyMap<string, string>): string {
  const byMember = new Map<string, string[]>();
  for (const c of conflicts) for (const id of c.memberIds) byMember.set(id, [...(byMember.get(id) ?? []), shortDate(c.date)]);
  return [...byMember].map(([id, dates]) => `${nameOf(names, id)} on ${joinAnd(dates)}`).join("; ");
}

function count(conflicts: SlotConflict[]): number {
  return conflicts.reduce((sum, c) => sum + c.memberIds.length, 0);
}

function outsideKinds(v: Pick<SlotMemberView, "earlySessions" | "lateSessions" | "dayOffSessions">): string {
  const kinds = [v.earlySessions > 0 ? "early" : "", v.lateSessions > 0 ? "late" : "", v.dayOffSessions > 0 ? "on a day off" : ""].filter(Boolean);
  return kinds.join(" / ");
}

export function explainSlot(slot: Omit<SlotSuggestion, "explanation">, names: ReadonlyMap<string, string>): string {
  const parts = [`${shortDayName(slot.weekday)} ${slot.localTime} ${zoneLabel(slot.timeZone)}`];

  const outside = slot.perMember.filter((v) => v.outsideMinutesTotal > 0);
  parts.push(
    outside.length === 0
      ? "within everyone's hours"
      : `outside hours: ${outside.map((v) => `${nameOf(names, v.memberId)} ${outsideKinds(v)} in ${v.outsideSessions} of ${slot.occurrences}`).join(", ")}`,
  );

  const hard = count(slot.conflicts);
  parts.push(hard === 0 ? "no conflicts" : `${hard} conflict${hard === 1 ? "" : "s"}: ${describeConflicts(slot.conflicts, names)}`);
  const tentative = count(slot.tentativeConflicts);
  if (tentative > 0) parts.push(`${tentative} tentative: ${describeConflicts(slot.tentativeConflicts, names)}`);

  for (const v of slot.perMember) {
    if (!v.localTimeShifts) continue;
    const [first, ...rest] = v.localTimeChanges;
    if (!first) continue;
    const then = rest.map((c) => `, then ${c.localTime} after ${shortDate(c.after)}`).join("");
    parts.push(`${nameOf(names, v.memberId)} sees ${v.localTime} → ${first.localTime} after ${shortDate(first.after)}${then}`);
  }
  return parts.join(" · ");
}

/** "6 late sessions", "3 early and 3 late ones", "2 sessions on a day off". */
function burdenPhrase(b: RotationProposal["burdenByMember"][number], noun: "session" | "one"): string {
  const total = b.earlySessions + b.lateSessions + b.dayOffSessions;
  const plural = (n: number) => (n === 1 ? noun : `${noun}s`);
  const timed = [b.earlySessions > 0 ? `${b.earlySessions} early` : "", b.lateSessions > 0 ? `${b.lateSessions} late` : ""].filter(Boolean);
  const timedCount = b.earlySessions + b.lateSessions;
  if (timed.length === 0) return `${total} ${plural(total)} on a day off`;
  const text = `${timed.join(" and ")} ${plural(timedCount)}`;
  return b.dayOffSessions > 0 ? `${text} and ${b.dayOffSessions} on a day off` : text;
}

/** "Alternating Tue 08:00 and Tue 17:00 London: Priya carries 6 late sessions, Lee 6 early ones". */
export function explainRotation(rotation: Omit<RotationProposal, "explanation">, names: ReadonlyMap<string, string>): string {
  const zone = rotation.slots[0] ? zoneLabel(rotation.slots[0].timeZone) : "";
  const when = rotation.slots.map((s) => `${shortDayName(s.weekday as DayName)} ${s.localTime}`);
  const head = rotation.slots.length === 2 ? `Alternating ${when.join(" and ")} ${zone}` : `Rotating ${joinAnd(when)} ${zone}`;
  const carriers = rotation.burdenByMember.filter((b) => b.outsideSessions > 0).sort((a, b) => b.outsideSessions - a.outsideSessions);
  const burden =
    carriers.length === 0
      ? "no one works outside their hours"
      : carriers.map((b, i) => (i === 0 ? `${nameOf(names, b.memberId)} carries ${burdenPhrase(b, "session")}` : `${nameOf(names, b.memberId)} ${burdenPhrase(b, "one")}`)).join(", ");
  const conflicts = rotation.conflicts > 0 ? ` · ${rotation.conflicts} conflict${rotation.conflicts === 1 ? "" : "s"}` : "";
  return `${head}: ${burden}${conflicts}`;
}
