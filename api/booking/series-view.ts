import { DateTime } from "luxon";
import type { SeriesOccurrenceView } from "../circles/ports";
import type { CalendarEvent } from "../graph";
import { computeOccurrences, type Cadence } from "../scheduling";

/**
 * The circle page's view of a series, computed from what Outlook returns (never from what we
 * asked for): the master's recurrence gives the slots, `instances` gives what happened to each.
 * The organiser's instances leave cancelled occurrences out (Exchange deletes them from the
 * organiser's calendar); attendees' copies keep them with `isCancelled`. Both read as "cancelled".
 */

/** ISO 8601 with the offset `zone` has at that instant. */
export function isoInZone(ms: number, zone: string): string {
  return DateTime.fromMillis(ms, { zone }).toISO({ suppressMilliseconds: true }) ?? new Date(ms).toISOString();
}

/** Graph's pattern back as our cadence; undefined for patterns we never create. */
export function cadenceOf(recurrence: NonNullable<CalendarEvent["recurrence"]>): Cadence | undefined {
  const { type, interval } = recurrence.pattern;
  if (type === "relativeMonthly" && interval === 1) return "monthly";
  if (type !== "weekly") return undefined;
  return interval === 1 ? "weekly" : interval === 2 ? "biweekly" : interval === 4 ? "every4weeks" : undefined;
}

/** Every slot of the series (epoch ms starts), from the master's recurrence and first start. */
export function expectedStarts(master: CalendarEvent, zone: string, durationMs: number): number[] {
  const r = master.recurrence;
  const cadence = r ? cadenceOf(r) : undefined;
  if (!r || !cadence) return [];
  const first = DateTime.fromMillis(master.start, { zone });
  const time = first.toFormat("HH:mm");
  const endDate = r.range.type === "endDate" ? r.range.endDate : undefined;
  const count = r.range.type === "numbered" ? (r.range.numberOfOccurrences ?? 1) : 60;
  const minutes = Math.max(1, Math.round(durationMs / 60_000));
  return computeOccurrences({ start: { date: r.range.startDate, time, timeZone: zone }, cadence, sessionCount: Math.max(1, count), sessionMinutes: minutes })
    .filter((o) => endDate === undefined || endDate === null || o.date <= endDate)
    .map((o) => o.start);
}

/** Occurrences in order of start, each scheduled, moved or cancelled. */
export function classifyOccurrences(master: CalendarEvent, instances: readonly CalendarEvent[], zone: string): SeriesOccurrenceView[] {
  const durationMs = master.end - master.start;
  const byOriginal = new Map<number, CalendarEvent>();
  for (const inst of instances) byOriginal.set(inst.originalStart ?? inst.start, inst);
  const out: SeriesOccurrenceView[] = [];
  const seen = new Set<number>();
  for (const slot of expectedStarts(master, zone, durationMs)) {
    seen.add(slot);
    const inst = byOriginal.get(slot);
    if (!inst) {
      // Not in the organiser's calendar any more: cancelled. It has no event id left to address.
      out.push({ id: `cancelled:${new Date(slot).toISOString()}`, start: isoInZone(slot, zone), end: isoInZone(slot + durationMs, zone), status: "cancelled" });
      continue;
    }
    out.push(viewOf(inst, slot, zone));
  }
  for (const [original, inst] of byOriginal) if (!seen.has(original)) out.push(viewOf(inst, original, zone));
  return out.sort((a, b) => Date.parse(a.start) - Date.parse(b.start));
}

function viewOf(inst: CalendarEvent, originalStart: number, zone: string): SeriesOccurrenceView {
  const status = inst.isCancelled ? "cancelled" : inst.start !== originalStart ? "moved" : "scheduled";
  return { id: inst.id, start: isoInZone(inst.start, zone), end: isoInZone(inst.end, zone), status };
}

/**
 * Flags the sessions a rotation booking put at its alternate slot and that are still there (read
 * back, so a session moved again afterwards is just "moved").
 */
export function markAlternates(occurrences: SeriesOccurrenceView[], moves: ReadonlyArray<{ start: string }>): SeriesOccurrenceView[] {
  if (moves.length === 0) return occurrences;
  const alternateStarts = new Set(moves.map((m) => Date.parse(m.start)));
  return occurrences.map((o) => (o.status === "moved" && alternateStarts.has(Date.parse(o.start)) ? { ...o, alternate: true } : o));
}
