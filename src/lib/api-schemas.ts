import { z } from "zod";

// Response shapes of the API endpoints the front end reads. Parsed at the boundary so a
// contract drift shows up as one clear error instead of `undefined` deep in a component.

export const healthSchema = z.object({
  status: z.literal("ok"),
  mode: z.enum(["sandbox", "microsoft365"]),
  storage: z.string(),
  graphBaseUrl: z.string().optional(),
  sandboxUrl: z.string().optional(),
  version: z.string().optional(),
});
export type Health = z.infer<typeof healthSchema>;

export const meSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  mail: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: z.string(),
});
export type Me = z.infer<typeof meSchema>;

export const circleSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.string().nullable().optional(),
  cadence: z.string(),
  sessionMinutes: z.number(),
  memberCount: z.number(),
  timeZone: z.string(),
});
export type CircleSummary = z.infer<typeof circleSummarySchema>;

export const circlesSchema = z.object({ circles: z.array(circleSummarySchema) });

export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});

// ---- Circles, formats, people, fair time and booking (issue #3) ----

export const cadenceSchema = z.enum(["weekly", "biweekly", "every4weeks", "monthly"]);
export type Cadence = z.infer<typeof cadenceSchema>;

export const circleMemberSchema = z.object({
  id: z.string(),
  upn: z.string(),
  displayName: z.string(),
  role: z.enum(["organizer", "member"]),
  /** IANA zone of the member's mailbox; null until they have opened the app. */
  timeZone: z.string().nullable(),
});
export type CircleMember = z.infer<typeof circleMemberSchema>;

export const seriesOccurrenceSchema = z.object({
  id: z.string(),
  /** ISO 8601 with the circle zone's offset. */
  start: z.string(),
  end: z.string(),
  status: z.enum(["scheduled", "moved", "cancelled"]),
  /** A rotation booking put this session at the rotation's alternate time. */
  alternate: z.boolean().optional(),
});
export type SeriesOccurrence = z.infer<typeof seriesOccurrenceSchema>;

export const circleSeriesSchema = z.object({
  eventId: z.string(),
  joinWebUrl: z.string().nullable(),
  chatId: z.string().nullable(),
  occurrences: z.array(seriesOccurrenceSchema),
});
export type CircleSeries = z.infer<typeof circleSeriesSchema>;

export const jobStatusSchema = z.enum(["queued", "running", "succeeded", "failed"]);
export type JobStatus = z.infer<typeof jobStatusSchema>;

export const bookingViewSchema = z.object({ jobId: z.string(), status: jobStatusSchema });
export type BookingView = z.infer<typeof bookingViewSchema>;

export const circleDetailSchema = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.string(),
  charter: z.array(z.string()),
  formatId: z.string(),
  cadence: cadenceSchema,
  sessionMinutes: z.number(),
  sessionCount: z.number(),
  /** Last day of the series (YYYY-MM-DD, circle zone) when it ends on a date. */
  endsOn: z.string().nullish(),
  timeZone: z.string(),
  rotateRoles: z.boolean(),
  organizerId: z.string(),
  members: z.array(circleMemberSchema),
  createdAt: z.string(),
  series: circleSeriesSchema.nullish(),
  booking: bookingViewSchema.nullish(),
});
export type CircleDetail = z.infer<typeof circleDetailSchema>;

/** POST /api/circles: members are UPNs; the organiser (the caller) may be omitted. */
export interface CreateCircleInput {
  name: string;
  purpose: string;
  members: string[];
  formatId: string;
  cadence: Cadence;
  sessionMinutes: number;
  /** Give this or `endsOn`. */
  sessionCount?: number;
  /** YYYY-MM-DD in the circle's zone, inclusive. */
  endsOn?: string;
  timeZone?: string;
  charter?: string[];
  rotateRoles?: boolean;
}

export interface UpdateCircleInput {
  name?: string;
  purpose?: string;
  charter?: string[];
  rotateRoles?: boolean;
}

export const formatSegmentSchema = z.object({
  id: z.string(),
  name: z.string(),
  minutes: z.number(),
  purpose: z.string(),
  prompts: z.array(z.string()).optional(),
  kind: z.string().optional(),
});
export type FormatSegment = z.infer<typeof formatSegmentSchema>;

export const formatSchema = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  defaultMinutes: z.number(),
  segments: z.array(formatSegmentSchema),
});
export type Format = z.infer<typeof formatSchema>;
export const formatsSchema = z.object({ formats: z.array(formatSchema) });

export const personSchema = z.object({
  id: z.string(),
  upn: z.string(),
  displayName: z.string(),
  jobTitle: z.string().nullish(),
  department: z.string().nullish(),
});
export type Person = z.infer<typeof personSchema>;
export const peopleSchema = z.object({ people: z.array(personSchema) });

export const memberTimeSchema = z.object({
  upn: z.string(),
  displayName: z.string(),
  timeZone: z.string(),
  /** HH:mm in the member's own zone at the first session. */
  localTime: z.string(),
  /** From the session after `after` (YYYY-MM-DD, circle zone) they see `localTime` (DST). */
  shifts: z.array(z.object({ after: z.string(), localTime: z.string() })),
});
export type MemberTime = z.infer<typeof memberTimeSchema>;

export const slotSuggestionSchema = z.object({
  /** First session, ISO 8601 with the circle zone's offset. */
  start: z.string(),
  timeZone: z.string(),
  conflicts: z.array(z.object({ date: z.string(), members: z.array(z.string()) })),
  outsideWorkingHours: z.array(z.string()),
  explanation: z.string(),
  weekday: z.string(),
  localTime: z.string(),
  memberTimes: z.array(memberTimeSchema),
});
export type SlotSuggestion = z.infer<typeof slotSuggestionSchema>;

export const slotSearchResultSchema = z.object({
  slots: z.array(slotSuggestionSchema),
  rotation: z
    .object({
      explanation: z.string(),
      slots: z.array(slotSuggestionSchema),
      burden: z.array(
        z.object({
          upn: z.string(),
          outsideSessions: z.number(),
          earlySessions: z.number().optional(),
          lateSessions: z.number().optional(),
          dayOffSessions: z.number().optional(),
        }),
      ),
    })
    .nullish(),
});
export type SlotSearchResult = z.infer<typeof slotSearchResultSchema>;

/** POST …/booking: one time, or searchSlots' rotation (rotation.starts[0] = start). */
export interface BookSeriesInput {
  start: string;
  timeZone: string;
  rotation?: { starts: string[] };
}

export const jobAcceptedSchema = z.object({ jobId: z.string() });

export const jobStepSchema = z.object({
  name: z.string(),
  label: z.string(),
  status: z.enum(["pending", "running", "done", "failed"]),
});
export type JobStep = z.infer<typeof jobStepSchema>;

export const jobSchema = z.object({
  id: z.string(),
  status: jobStatusSchema,
  progress: z.object({ done: z.number(), total: z.number() }),
  steps: z.array(jobStepSchema).default([]),
  error: z.object({ code: z.string(), message: z.string() }).nullish(),
});
export type Job = z.infer<typeof jobSchema>;

/** POST /api/protected-time/sync: what happened to the caller's prep and reflection blocks, per circle. */
export const protectedTimeSyncSchema = z.object({
  circles: z.array(
    z.object({
      circleId: z.string(),
      status: z.enum(["synced", "optedOut", "notBooked", "seriesNotFound", "failed"]),
      created: z.number(),
      updated: z.number(),
      deleted: z.number(),
      blocks: z.number(),
      error: z.object({ code: z.string(), message: z.string() }).optional(),
    }),
  ),
});
export type ProtectedTimeSync = z.infer<typeof protectedTimeSyncSchema>;
