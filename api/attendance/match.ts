import type { GraphAttendanceRecord } from "./graph-reports";
import { recordSeconds } from "./graph-reports";

/**
 * From Teams attendance to "was this session held, and who was there" — pure, so the rule is
 * one place and testable without Graph.
 *
 * - A member was present when they attended at least 5 minutes of the session (a mistaken
 *   join, or someone checking the link, is not taking part).
 * - A session was held when at least 2 members were present: one person alone in the meeting
 *   is not a circle meeting.
 * - A report belongs to the session whose slot it overlaps (the slot widened by an hour either
 *   side, for early starts and overruns), the nearest start winning; reports of the meeting link
 *   used outside any session are ignored. Several reports for one session (everyone left and
 *   came back, so Teams made two) are merged, seconds added up per member.
 */

export const PRESENT_MIN_SECONDS = 5 * 60;
export const HELD_MIN_MEMBERS = 2;
const MATCH_MARGIN_MS = 60 * 60_000;

export interface CircleMemberRef {
  /** Entra object id. */
  userId: string;
  upn: string;
}

export interface MemberSeconds {
  userId: string;
  seconds: number;
}

export interface StoredAttendanceReport {
  reportId: string;
  /** ISO instants. */
  start: string;
  end: string;
  members: readonly MemberSeconds[];
}

export interface OccurrenceSlot {
  start: string;
  end: string;
  cancelled?: boolean;
}

export interface OccurrenceAttendance {
  held: boolean;
  /** Object ids of the members who were present. */
  present: ReadonlySet<string>;
}

/**
 * The members among a report's records (by object id, else by e-mail = UPN, case-insensitive),
 * with their seconds; guests and non-members are dropped, duplicates added up.
 */
export function membersInRecords(records: readonly GraphAttendanceRecord[], members: readonly CircleMemberRef[]): MemberSeconds[] {
  const byId = new Map(members.map((m) => [m.userId.toLowerCase(), m.userId]));
  const byUpn = new Map(members.map((m) => [m.upn.toLowerCase(), m.userId]));
  const seconds = new Map<string, number>();
  for (const record of records) {
    const userId = (record.identity?.id ? byId.get(record.identity.id.toLowerCase()) : undefined) ?? (record.emailAddress ? byUpn.get(record.emailAddress.toLowerCase()) : undefined);
    if (!userId) continue;
    seconds.set(userId, (seconds.get(userId) ?? 0) + recordSeconds(record));
  }
  return [...seconds.entries()].map(([userId, s]) => ({ userId, seconds: s }));
}

/** The slot a report belongs to, or undefined. Cancelled slots take no reports. */
export function occurrenceOfReport(report: { start: string; end: string }, occurrences: readonly OccurrenceSlot[]): OccurrenceSlot | undefined {
  const start = Date.parse(report.start);
  const end = Date.parse(report.end);
  let best: OccurrenceSlot | undefined;
  let bestDistance = Infinity;
  for (const o of occurrences) {
    if (o.cancelled) continue;
    const oStart = Date.parse(o.start);
    const oEnd = Date.parse(o.end);
    if (!(start < oEnd + MATCH_MARGIN_MS && end > oStart - MATCH_MARGIN_MS)) continue;
    const distance = Math.abs(start - oStart);
    if (distance < bestDistance) {
      best = o;
      bestDistance = distance;
    }
  }
  return best;
}

/** Attendance per session slot (keyed by the slot's `start` as given) for the slots that have a report. */
export function attendanceByOccurrence(reports: readonly StoredAttendanceReport[], occurrences: readonly OccurrenceSlot[]): Map<string, OccurrenceAttendance> {
  const seconds = new Map<string, Map<string, number>>();
  for (const report of reports) {
    const slot = occurrenceOfReport(report, occurrences);
    if (!slot) continue;
    const perMember = seconds.get(slot.start) ?? new Map<string, number>();
    for (const m of report.members) perMember.set(m.userId, (perMember.get(m.userId) ?? 0) + m.seconds);
    seconds.set(slot.start, perMember);
  }
  const out = new Map<string, OccurrenceAttendance>();
  for (const [start, perMember] of seconds) {
    const present = new Set([...perMember.entries()].filter(([, s]) => s >= PRESENT_MIN_SECONDS).map(([userId]) => userId));
    out.set(start, { held: present.size >= HELD_MIN_MEMBERS, present });
  }
  return out;
}
