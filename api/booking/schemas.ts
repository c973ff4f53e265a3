import { z } from "../http/zod";

/** Request/response schemas of the booking routes (issue #3 API contract) and the job payload. */

const IsoWithOffsetSchema = z.iso.datetime({ offset: true, local: false }).openapi({ description: "ISO 8601 with an offset, e.g. 2026-03-03T15:00:00+00:00" });

export const BookSeriesBodySchema = z
  .object({
    start: IsoWithOffsetSchema.openapi({ description: "The first session's start (ISO 8601 with offset)" }),
    timeZone: z.string().min(1).max(64).openapi({ description: "IANA zone the series is anchored in (its local time never moves across DST)" }),
    rotation: z
      .object({
        starts: z.array(IsoWithOffsetSchema).min(2).max(3).openapi({ description: "searchSlots' rotation.slots[n].start, in order; starts[0] is `start`" }),
      })
      .optional()
      .openapi({
        description:
          "Book searchSlots' rotation instead of one time: one recurring Teams meeting at the first slot (one chat, one join link), with session n moved to slot n % k as an occurrence exception.",
      }),
  })
  .openapi("BookSeries");
export type BookSeriesBody = z.infer<typeof BookSeriesBodySchema>;

export const BookSeriesResultSchema = z.object({ jobId: z.string() }).openapi("BookSeriesResult");

export const JobParamsSchema = z.object({ jobId: z.string().min(1).max(64) });

export const JobViewSchema = z
  .object({
    id: z.string(),
    status: z.enum(["queued", "running", "succeeded", "failed"]),
    progress: z.object({ done: z.number().int(), total: z.number().int() }),
    steps: z.array(z.object({ name: z.string(), label: z.string(), status: z.enum(["pending", "running", "done", "failed"]) })),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi("Job");
export type JobView = z.infer<typeof JobViewSchema>;

export const OccurrenceParamsSchema = z.object({ circleId: z.string().min(1).max(64), occurrenceId: z.string().min(1).max(512) });

export const SkipOccurrenceBodySchema = z.object({ message: z.string().max(1000).optional() }).openapi("SkipOccurrence");
export const MoveOccurrenceBodySchema = z.object({ start: IsoWithOffsetSchema }).openapi("MoveOccurrence");
export const MoveSeriesBodySchema = z
  .object({
    fromDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "use YYYY-MM-DD").openapi({ description: "First date (circle zone) that moves" }),
    start: IsoWithOffsetSchema.openapi({ description: "The new time of the first moved session" }),
  })
  .openapi("MoveSeries");
export const CancelSeriesBodySchema = z.object({ message: z.string().max(1000).optional() }).openapi("CancelSeries");

// ------------------------------------------------------------------------- job payload

const DayNameSchema = z.enum(["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]);

const RecurrenceSchema = z.object({
  pattern: z.object({
    type: z.enum(["weekly", "relativeMonthly"]),
    interval: z.number().int().min(1),
    daysOfWeek: z.array(DayNameSchema),
    firstDayOfWeek: DayNameSchema,
    index: z.enum(["first", "second", "third", "fourth", "last"]).optional(),
  }),
  range: z.discriminatedUnion("type", [
    z.object({ type: z.literal("numbered"), startDate: z.string(), numberOfOccurrences: z.number().int().min(1), recurrenceTimeZone: z.string() }),
    z.object({ type: z.literal("endDate"), startDate: z.string(), endDate: z.string(), recurrenceTimeZone: z.string() }),
  ]),
});

/** One session a rotation booking moves to its alternate slot (instants as ISO with the circle zone's offset). */
export const RotationMoveSchema = z.object({
  /** Position of the session in the series (0 = first). */
  index: z.number().int().min(1),
  /** Where the pattern puts it (its originalStart in Graph). */
  originalStart: z.string(),
  start: z.string(),
  end: z.string(),
});
export type RotationMove = z.infer<typeof RotationMoveSchema>;
export const RotationMovesSchema = z.array(RotationMoveSchema);

/** What a booking job needs, fixed when it is queued, so every retry sends the same series. */
export const BookingPayloadSchema = z.object({
  circleId: z.string(),
  tenantId: z.string(),
  organizer: z.object({ userId: z.string(), upn: z.string(), displayName: z.string() }),
  generation: z.number().int().min(1),
  transactionId: z.string(),
  timeZone: z.string(),
  firstStart: z.string(),
  /** The series the job creates; absent when the series already exists (`linked`). */
  event: z
    .object({
      subject: z.string(),
      bodyHtml: z.string(),
      startDate: z.string(),
      startTime: z.string(),
      durationMinutes: z.number().int().min(1),
      recurrence: RecurrenceSchema,
    })
    .optional(),
  /**
   * A series the organiser made in Outlook and linked (api/outlook): the job records it as its
   * "category" and "series" steps instead of creating them, then sets up the meeting chat.
   */
  linked: z.object({ eventId: z.string(), iCalUId: z.string().nullable(), joinUrl: z.string().nullable() }).optional(),
  /** A rotation booking: the sessions moved to the alternate slots once the series exists. */
  rotation: z.object({ moves: RotationMovesSchema }).optional(),
  welcomeHtml: z.string(),
  /** Text that identifies our welcome message in the chat (to not post it twice). */
  welcomeMarker: z.string(),
  tab: z.object({ displayName: z.string(), entityId: z.string(), contentUrl: z.string(), websiteUrl: z.string() }),
  /** Manifest id of our Teams app (resolved to its catalog id at run time). */
  teamsAppId: z.string(),
});
export type BookingPayload = z.infer<typeof BookingPayloadSchema>;

/** What a step left for the next ones (job_steps.output). */
export const SeriesOutputSchema = z.object({ eventId: z.string(), iCalUId: z.string().nullable(), joinUrl: z.string().nullable() });
export const RotationOutputSchema = z.object({ moved: z.number().int(), alreadyThere: z.number().int(), gone: z.number().int() });
export const MeetingOutputSchema = z.object({ meetingId: z.string(), chatId: z.string(), joinUrl: z.string(), catalogAppId: z.string() });
