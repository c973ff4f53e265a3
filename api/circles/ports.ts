import type { CallerIdentity } from "../auth/identity";
import type { CircleRecord } from "./access";

/** One session of a booked series, read back from the organiser's calendar (never assumed). */
export interface SeriesOccurrenceView {
  /** Graph event id of the occurrence (or exception). */
  id: string;
  /** ISO 8601 with the circle zone's offset. */
  start: string;
  end: string;
  status: "scheduled" | "moved" | "cancelled";
  /** A rotation booking put this session at the rotation's alternate time (and it is still there). */
  alternate?: boolean;
}

export interface CircleSeriesView {
  eventId: string;
  joinWebUrl: string | null;
  chatId: string | null;
  occurrences: SeriesOccurrenceView[];
}

export interface BookingView {
  jobId: string;
  status: "queued" | "running" | "succeeded" | "failed";
}

/**
 * What the circles module needs from booking (api/booking implements it; app.ts wires it).
 * Kept as a port so circles never imports booking and the dependency points one way.
 */
export interface SeriesPort {
  /** The booked series as Outlook has it now, or undefined when the circle is not booked. */
  read(record: CircleRecord, caller: CallerIdentity): Promise<CircleSeriesView | undefined>;
  /** The latest booking job of the circle, if any. */
  latestBooking(record: CircleRecord): Promise<BookingView | undefined>;
  /** Members joined or left: bring the series' attendees in line (no-op when not booked). */
  membersChanged(record: CircleRecord, caller: CallerIdentity): Promise<void>;
}
