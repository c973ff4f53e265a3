import { z } from "zod";
import { DAY_NAMES, type DayName } from "./local-time";
import { CadenceSchema } from "./occurrences";
import { isValidTimeZone } from "./zone-offsets";

const IanaZoneSchema = z.string().refine(isValidTimeZone, { message: "not a known IANA time zone" });
const TimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$|^24:00$/, "expected HH:mm");

/**
 * Free/busy status as getSchedule reports it. `workingElsewhere` means available (working from
 * somewhere else), so it never counts as a conflict; `oof` does; `tentative` counts less than `busy`.
 */
export const BusyStatusSchema = z.enum(["busy", "tentative", "oof", "workingElsewhere"]);
export type BusyStatus = z.infer<typeof BusyStatusSchema>;

export const SlotSearchMemberSchema = z.object({
  id: z.string().min(1),
  displayName: z.string().min(1),
  /** The member's own zone (mailboxSettings.timeZone, IANA): what they see on their calendar. */
  timeZone: IanaZoneSchema,
  /** mailboxSettings.workingHours, zone already IANA. */
  workingHours: z.object({
    daysOfWeek: z.array(z.enum(DAY_NAMES)),
    startTime: TimeSchema,
    endTime: TimeSchema,
    timeZone: IanaZoneSchema,
  }),
  /** getSchedule items over the series horizon; instants as epoch ms, `[start, end)`. */
  busy: z.array(z.object({ start: z.number(), end: z.number(), status: BusyStatusSchema })),
});
export type SlotSearchMember = z.infer<typeof SlotSearchMemberSchema>;

export const SlotSearchOptionsSchema = z.object({
  /**
   * Earliest session start, circle zone wall clock. Unset (with `latest`): 07:00, or 00:00 when
   * no session fits everyone's working hours between 07:00 and 21:00.
   */
  earliest: TimeSchema.optional(),
  /** Latest session end, circle zone wall clock. Unset (with `earliest`): 21:00, or 24:00 as above. */
  latest: TimeSchema.optional(),
  /** Unset: 15, or 30 when the whole day is searched (see `earliest`). */
  stepMinutes: z.union([z.literal(15), z.literal(30)]).optional(),
  maxResults: z.number().int().min(1).max(50).default(5),
});
export type SlotSearchOptions = z.input<typeof SlotSearchOptionsSchema>;

/**
 * The request boundary for the slot search. `findSlots` itself does not parse (zod over
 * thousands of busy items would cost more than the search); the route validates with this.
 */
export const FindSlotsInputSchema = z.object({
  members: z.array(SlotSearchMemberSchema).min(1).max(20),
  circleTimeZone: IanaZoneSchema,
  cadence: CadenceSchema,
  sessionMinutes: z.number().int().min(5).max(240),
  /** Sessions per weekday's series; with `endsOn`, at most this many (an upper bound is fine). */
  sessionCount: z.number().int().min(1).max(104),
  /**
   * Last day of the series (YYYY-MM-DD, circle zone, inclusive) for a circle that ends on a date:
   * each weekday's series keeps only its sessions on or before it, so weekdays may differ by one.
   */
  endsOn: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  /** First week considered: each weekday's series starts on its first date on or after this one. */
  startOn: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  options: SlotSearchOptionsSchema.partial().optional(),
});
export type FindSlotsInput = z.input<typeof FindSlotsInputSchema>;

/** Sessions that clash with someone's calendar, by date in the circle's zone. */
export interface SlotConflict {
  /** YYYY-MM-DD in the circle's zone. */
  date: string;
  memberIds: string[];
}

export interface SlotMemberView {
  memberId: string;
  /** HH:mm in the member's own zone at the first session. */
  localTime: string;
  /** Whether the member's local time changes during the series (DST on either side). */
  localTimeShifts: boolean;
  /** Each change: from the session after the offset change dated `after` (circle zone), they see `localTime`. */
  localTimeChanges: Array<{ after: string; localTime: string }>;
  /** Minutes of sessions outside the member's working hours, over the whole series. */
  outsideMinutesTotal: number;
  /** Sessions that are (partly) outside their hours, by kind. */
  outsideSessions: number;
  earlySessions: number;
  lateSessions: number;
  dayOffSessions: number;
  /** Outside minutes plus how far outside their hours sessions sit (midnight weighs more than 08:00). */
  burdenMinutes: number;
}

/**
 * Ranking is lexicographic over these, in this order (lower is better), then earlier weekday
 * and earlier time.
 */
export interface SlotScore {
  /** Busy or out-of-office clashes, counted per member and session. */
  conflicts: number;
  /** Tentative clashes; they rank as half a conflict. */
  tentativeConflicts: number;
  membersOutsideHours: number;
  outsideMinutesTotal: number;
  /** The heaviest single member's burden: lower means the inconvenience is shared. */
  maxMemberBurden: number;
  burdenTotal: number;
}

export interface SlotSuggestion {
  /** First session, ISO 8601 with the circle zone's offset. */
  start: string;
  timeZone: string;
  weekday: DayName;
  /** HH:mm in the circle's zone (fixed across DST). */
  localTime: string;
  occurrences: number;
  /** Every session date (YYYY-MM-DD, circle zone) this suggestion covers. */
  dates: string[];
  conflicts: SlotConflict[];
  tentativeConflicts: SlotConflict[];
  outsideWorkingHours: string[];
  perMember: SlotMemberView[];
  score: SlotScore;
  explanation: string;
}

export interface RotationProposal {
  /** Session n of the series uses `slots[n % slots.length]`; each slot lists only its own sessions. */
  slots: SlotSuggestion[];
  burdenByMember: Array<{
    memberId: string;
    outsideMinutesTotal: number;
    outsideSessions: number;
    earlySessions: number;
    lateSessions: number;
    dayOffSessions: number;
  }>;
  conflicts: number;
  explanation: string;
}

export interface FindSlotsResult {
  /** Best first; suggestions on the same weekday never overlap each other. */
  slots: SlotSuggestion[];
  /**
   * Present when no slot is within everyone's working hours and alternating slots lowers the
   * number of out-of-hours sessions carried by the most burdened member.
   */
  rotation?: RotationProposal;
  candidatesConsidered: number;
}
