import { DateTime } from "luxon";
import { classifyOccurrences } from "../booking/series-view";
import { getEventRequest, instancesRequest, isGraphRequestError, readEventResult, readInstancesResult, type BatchRequest, type BatchResult, type GraphFactory } from "../graph";
import { CadenceSchema, computeOccurrences } from "../scheduling";
import type { Logger } from "../shared/logger";
import type { CircleRow, CircleSeriesRow } from "../storage";

/** One session slot of a circle's series, as the team view counts it. */
export interface TeamOccurrence {
  /** ISO 8601 instants. */
  start: string;
  end: string;
  cancelled: boolean;
}

export interface CircleSessions {
  circleId: string;
  /** IANA zone of the series: a live run is keyed by the session's local date there. */
  timeZone: string;
  occurrences: TeamOccurrence[];
  /** "calendar": read back from the organiser's mailbox; "plan": computed from what we booked. */
  source: "calendar" | "plan";
}

const DAY_MS = 86_400_000;

/** The booked plan (first start, cadence, count) — used when the calendar cannot be read. */
export function plannedOccurrences(circle: CircleRow, row: CircleSeriesRow): TeamOccurrence[] {
  const cadence = CadenceSchema.safeParse(circle.cadence);
  const first = DateTime.fromISO(row.first_start, { setZone: true }).setZone(row.time_zone);
  if (!cadence.success || !first.isValid || circle.session_count < 1 || circle.session_minutes <= 0) return [];
  return computeOccurrences({
    start: { date: first.toFormat("yyyy-MM-dd"), time: first.toFormat("HH:mm"), timeZone: row.time_zone },
    cadence: cadence.data,
    sessionCount: circle.session_count,
    sessionMinutes: circle.session_minutes,
  }).map((o) => ({ start: o.startIso, end: o.endIso, cancelled: false }));
}

/** Same request, addressed to the organiser's mailbox with app-only access. */
function asMailbox(request: BatchRequest, userId: string): BatchRequest {
  return { ...request, url: request.url.replace(/^\/me\//, `/users/${encodeURIComponent(userId)}/`) };
}

/**
 * The sessions of the circles' series in [from, to): read back from each organiser's calendar
 * (the manager is not an attendee, so app-only, one $batch for all circles), classified by the
 * booking module's own rule (moved, cancelled). When the tenant has not granted the app calendar
 * access, or a read fails, the circle falls back to the booked plan; a series deleted in Outlook
 * has no sessions.
 */
export async function readTeamSeries(
  deps: { graph: GraphFactory; logger?: Logger },
  tenantId: string,
  series: ReadonlyArray<{ circle: CircleRow; row: CircleSeriesRow }>,
  range: { from: number; to: number },
): Promise<CircleSessions[]> {
  const inRange = (o: TeamOccurrence) => {
    const t = Date.parse(o.start);
    return t >= range.from && t < range.to;
  };
  const readable = series.filter((s) => s.row.event_id !== null);
  // Slots are at most ~5 weeks apart and moved sessions stay near their slot: read a margin on
  // both sides so a slot inside the range whose session moved just outside is not taken as cancelled.
  const from = range.from - 35 * DAY_MS;
  const to = range.to + 35 * DAY_MS;
  const requests = readable.flatMap(({ circle, row }) => [
    asMailbox(getEventRequest(`m-${circle.id}`, row.event_id!, row.time_zone), row.organizer_id),
    asMailbox(instancesRequest(`i-${circle.id}`, row.event_id!, from, to, row.time_zone), row.organizer_id),
  ]);
  let results = new Map<string, BatchResult>();
  if (requests.length > 0) {
    try {
      results = new Map((await deps.graph.forApp(tenantId).batch(requests)).map((r) => [r.id, r]));
    } catch (err) {
      deps.logger?.warn({ err }, "team view: could not read series calendars app-only; using the booked plans");
    }
  }

  return series.map(({ circle, row }): CircleSessions => {
    const base = { circleId: circle.id, timeZone: row.time_zone };
    const master = results.get(`m-${circle.id}`);
    const instances = results.get(`i-${circle.id}`);
    if (row.event_id === null) return { ...base, occurrences: [], source: "plan" };
    if (master && instances) {
      try {
        const event = readEventResult(master, "GET /users/{id}/events/{id}");
        const occurrences = classifyOccurrences(event, readInstancesResult(instances), row.time_zone)
          .map((o) => ({ start: o.start, end: o.end, cancelled: o.status === "cancelled" }))
          .filter(inRange);
        return { ...base, occurrences, source: "calendar" };
      } catch (err) {
        // Deleted in Outlook: nothing was held from then on, and nothing is planned.
        if (isGraphRequestError(err) && err.status === 404) return { ...base, occurrences: [], source: "calendar" };
        deps.logger?.warn({ err, circleId: circle.id }, "team view: could not read a series; using its booked plan");
      }
    }
    // A cancelled series planned nothing after it was cancelled.
    const cancelledAt = row.status === "cancelled" ? Date.parse(row.updated_at) : Infinity;
    const planned = plannedOccurrences(circle, row).filter((o) => inRange(o) && Date.parse(o.start) < cancelledAt);
    return { ...base, occurrences: planned, source: "plan" };
  });
}
