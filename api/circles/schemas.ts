import { z } from "../http/zod";
import { isValidTimeZone } from "../scheduling";

export const CircleSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    purpose: z.string(),
    cadence: z.string(),
    sessionMinutes: z.number().int(),
    memberCount: z.number().int().openapi({ description: "Current members (people who left are not counted)" }),
    timeZone: z.string().openapi({ description: "IANA zone the circle's series is anchored in" }),
  })
  .openapi("CircleSummary");
export type CircleSummary = z.infer<typeof CircleSummarySchema>;

export const CircleListSchema = z.object({ circles: z.array(CircleSummarySchema) }).openapi("CircleList");

// ---------------------------------------------------------------------------------------------
// Issue #3: circle detail, create/update, membership, formats, slot search.

const IanaZoneSchema = z
  .string()
  .min(1)
  .max(64)
  .refine((zone) => isValidTimeZone(zone), { message: "not a known IANA time zone (e.g. Europe/London)" })
  .openapi({ example: "Europe/London" });

const UpnSchema = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, "expected a user principal name like megan.bowen@contoso.example")
  .openapi({ example: "megan.bowen@contoso.example" });

export const CircleCadenceSchema = z.enum(["weekly", "biweekly", "every4weeks", "monthly"]).openapi({ description: "weekly, every 2 weeks, every 4 weeks or monthly (same weekday of the month)" });

const CharterSchema = z.array(z.string().trim().min(1).max(300)).min(1).max(12).openapi({ description: "Ground rules, one per line" });

const CalendarDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
  .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: "not a calendar date" });

export const CreateCircleBodySchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    purpose: z.string().trim().max(500).default(""),
    members: z.array(UpnSchema).min(1).max(8).openapi({ description: "UPNs; the organiser (the caller) may be omitted. 2 people in all = a pair, 3–8 = a circle." }),
    formatId: z.string().trim().min(1).max(64),
    cadence: CircleCadenceSchema,
    sessionMinutes: z.number().int().min(20).max(90),
    sessionCount: z.number().int().min(1).max(52).optional().openapi({ description: "How many sessions the series has. Give this or `endsOn`, not both." }),
    endsOn: CalendarDateSchema.optional().openapi({
      description: "Instead of `sessionCount`: the last day sessions may fall on (YYYY-MM-DD in the circle's zone, inclusive). The booked series gets an end-date range.",
      example: "2026-12-18",
    }),
    timeZone: IanaZoneSchema.optional().openapi({ description: "IANA zone of the series; default: the organiser's mailbox zone" }),
    charter: CharterSchema.optional(),
    rotateRoles: z.boolean().default(true),
  })
  .superRefine((body, ctx) => {
    // Exactly one way to end the series: a count or a date.
    const has = [body.sessionCount !== undefined, body.endsOn !== undefined].filter(Boolean).length;
    if (has === 0) ctx.addIssue({ code: "custom", path: ["sessionCount"], message: "give the number of sessions (sessionCount) or the last date (endsOn)" });
    if (has === 2) ctx.addIssue({ code: "custom", path: ["endsOn"], message: "give either sessionCount or endsOn, not both" });
  })
  .openapi("CreateCircle");
export type CreateCircleBody = z.infer<typeof CreateCircleBodySchema>;

export const UpdateCircleBodySchema = z
  .object({
    name: z.string().trim().min(1).max(80).optional(),
    purpose: z.string().trim().max(500).optional(),
    charter: CharterSchema.optional(),
    rotateRoles: z.boolean().optional(),
  })
  .openapi("UpdateCircle");
export type UpdateCircleBody = z.infer<typeof UpdateCircleBodySchema>;

export const AddMemberBodySchema = z.object({ upn: UpnSchema }).openapi("AddMember");

export const CircleIdParamsSchema = z.object({ circleId: z.string().min(1).max(64) });
export const MemberParamsSchema = z.object({ circleId: z.string().min(1).max(64), memberId: z.string().min(1).max(64) });

export const CircleMemberSchema = z
  .object({
    id: z.string().openapi({ description: "Entra object id" }),
    upn: z.string(),
    displayName: z.string(),
    role: z.enum(["organizer", "member"]),
    timeZone: z.string().nullable().openapi({ description: "The member's own IANA zone, once known" }),
  })
  .openapi("CircleMember");

const SeriesOccurrenceSchema = z.object({
  id: z.string(),
  start: z.string().openapi({ description: "ISO 8601 with the circle zone's offset" }),
  end: z.string(),
  status: z.enum(["scheduled", "moved", "cancelled"]),
  alternate: z.boolean().optional().openapi({ description: "True for a session of a rotation booking that sits at the rotation's alternate time, as booked (status is then 'moved': it is an exception in Outlook)" }),
});

export const CircleSeriesViewSchema = z
  .object({ eventId: z.string(), joinWebUrl: z.string().nullable(), chatId: z.string().nullable(), occurrences: z.array(SeriesOccurrenceSchema) })
  .openapi("CircleSeries");

export const BookingViewSchema = z.object({ jobId: z.string(), status: z.enum(["queued", "running", "succeeded", "failed"]) }).openapi("BookingView");

export const CircleDetailSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    purpose: z.string(),
    charter: z.array(z.string()),
    formatId: z.string(),
    cadence: CircleCadenceSchema,
    sessionMinutes: z.number().int(),
    sessionCount: z.number().int().openapi({ description: "Sessions in the series; for a circle with `endsOn`, those until that date (from the booked first session, or from tomorrow until booked)" }),
    endsOn: z.string().nullable().openapi({ description: "Last day of the series (YYYY-MM-DD, circle zone, inclusive), or null when it ends after `sessionCount` sessions" }),
    timeZone: z.string(),
    rotateRoles: z.boolean(),
    organizerId: z.string(),
    members: z.array(CircleMemberSchema),
    createdAt: z.string(),
    series: CircleSeriesViewSchema.optional().openapi({ description: "The booked series as Outlook has it now (absent until booked)" }),
    booking: BookingViewSchema.optional().openapi({ description: "The latest booking job" }),
  })
  .openapi("CircleDetail");
export type CircleDetail = z.infer<typeof CircleDetailSchema>;

// Formats --------------------------------------------------------------------------------------

const SegmentViewSchema = z.object({
  id: z.string(),
  name: z.string(),
  minutes: z.number().int(),
  purpose: z.string(),
  prompts: z.array(z.string()),
  kind: z.enum(["round", "question-storm", "commitments", "review", "open"]).optional(),
});

export const FormatViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    defaultMinutes: z.number().int().openapi({ description: "The length the segment minutes add up to; sessions of another length scale them" }),
    segments: z.array(SegmentViewSchema),
    builtIn: z.boolean(),
    basedOn: z.string().optional().openapi({ description: "For a copy: the format it was copied from" }),
  })
  .openapi("Format");

export const FormatListSchema = z.object({ formats: z.array(FormatViewSchema) }).openapi("FormatList");

const SegmentEditSchema = z.object({
  id: z.string().optional().openapi({ description: "Keep an existing segment's id to inherit its purpose, prompts and kind" }),
  name: z.string(),
  minutes: z.number(),
  purpose: z.string().optional(),
  prompts: z.array(z.string()).optional(),
  kind: z.enum(["round", "question-storm", "commitments", "review", "open"]).optional(),
});

export const CopyFormatBodySchema = z
  .object({
    fromFormatId: z.string().trim().min(1).max(64),
    name: z.string().optional(),
    description: z.string().optional(),
    segments: z.array(SegmentEditSchema).max(12).optional(),
  })
  .openapi("CopyFormat");

export const UpdateFormatBodySchema = z
  .object({ name: z.string().optional(), description: z.string().optional(), segments: z.array(SegmentEditSchema).max(12).optional() })
  .openapi("UpdateFormat");

export const FormatParamsSchema = z.object({ formatId: z.string().min(1).max(64) });

// Slot search ----------------------------------------------------------------------------------

export const SearchSlotsBodySchema = z
  .object({
    startOn: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "expected a date as YYYY-MM-DD")
      .refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), { message: "not a calendar date" })
      .optional()
      .openapi({ description: "First day considered (circle zone); default tomorrow" }),
  })
  .openapi("SearchSlots");

const SlotSchema = z
  .object({
    start: z.string().openapi({ description: "First session, ISO 8601 with the circle zone's offset" }),
    timeZone: z.string(),
    weekday: z.enum(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]),
    localTime: z.string().openapi({ description: "HH:mm in the circle's zone, fixed across DST" }),
    conflicts: z.array(z.object({ date: z.string().openapi({ description: "YYYY-MM-DD, circle zone" }), members: z.array(z.string()).openapi({ description: "UPNs" }) })),
    outsideWorkingHours: z.array(z.string()).openapi({ description: "UPNs of members for whom some sessions fall outside working hours" }),
    explanation: z.string().openapi({ description: "Plain text (not HTML)" }),
    memberTimes: z.array(
      z.object({
        upn: z.string(),
        displayName: z.string(),
        timeZone: z.string(),
        localTime: z.string().openapi({ description: "HH:mm in the member's zone at the first session" }),
        shifts: z.array(z.object({ after: z.string(), localTime: z.string() })).openapi({ description: "Where DST moves the member's local time: from the session after `after` they see `localTime`" }),
      }),
    ),
  })
  .openapi("SlotSuggestion");
export type SlotView = z.infer<typeof SlotSchema>;

export const SlotSearchResultSchema = z
  .object({
    slots: z.array(SlotSchema).max(5),
    rotation: z
      .object({
        explanation: z.string(),
        slots: z.array(SlotSchema),
        burden: z.array(
          z.object({
            upn: z.string(),
            outsideSessions: z.number().int(),
            earlySessions: z.number().int().openapi({ description: "Of those, sessions before their working day" }),
            lateSessions: z.number().int().openapi({ description: "Of those, sessions after their working day" }),
            dayOffSessions: z.number().int().openapi({ description: "Of those, sessions on a day they do not work" }),
          }),
        ),
      })
      .optional()
      .openapi({ description: "When no slot is within everyone's hours: alternating slots that share the out-of-hours burden (session n uses slots[n % slots.length])" }),
  })
  .openapi("SlotSearchResult");
export type SlotSearchResult = z.infer<typeof SlotSearchResultSchema>;
