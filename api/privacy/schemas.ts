import { z } from "../http/zod";

/**
 * The shapes of "Your data" (issue #5 part 7; product.md §8 "members can export and delete their
 * data"). The export is a stable, versioned document: fields are only ever added, and `version`
 * changes when a field's meaning would.
 */

export const EXPORT_FORMAT = "coaching-circles/my-data";
export const EXPORT_VERSION = 1;

/** The exact words the caller types to confirm deletion (the dialog asks for them too). */
export const DELETE_CONFIRMATION = "delete my data";

/**
 * No parameters at all: the caller is always the subject. Strict, so a forged `?userId=` (or any
 * other key) is refused with 400 instead of being silently ignored.
 */
export const NoQuerySchema = z.strictObject({});

export const DeleteMyDataBodySchema = z
  .strictObject({
    confirm: z.literal(DELETE_CONFIRMATION).openapi({ description: `Exactly "${DELETE_CONFIRMATION}"` }),
  })
  .openapi("DeleteMyDataBody");
export type DeleteMyDataBody = z.infer<typeof DeleteMyDataBodySchema>;

const Instant = z.string().openapi({ description: "ISO 8601 UTC instant" });

const ProfileSchema = z.object({
  tenantId: z.string(),
  userId: z.string().openapi({ description: "Entra object id" }),
  userPrincipalName: z.string(),
  displayName: z.string(),
  timeZone: z.string().nullable(),
  firstSeenAt: Instant.nullable().openapi({ description: "First time you opened the app; null when we hold no profile row" }),
});

const CircleMembershipSchema = z.object({
  circleId: z.string(),
  circleName: z.string(),
  purpose: z.string(),
  role: z.string().openapi({ description: "organizer | member" }),
  joinedAt: Instant,
  leftAt: Instant.nullable(),
  timeZone: z.string().nullable().openapi({ description: "Your zone as the circle last learned it" }),
  youOrganiseTheSeries: z.boolean().openapi({ description: "The circle's Outlook series is in your mailbox" }),
});

const QuestionSchema = z.object({ text: z.string(), style: z.string(), askedAt: Instant });

const SessionPartSchema = z.object({
  sessionId: z.string(),
  circleId: z.string(),
  date: z.string().openapi({ description: "The session's local date in the circle's zone (YYYY-MM-DD)" }),
  status: z.string(),
  roles: z.array(z.string()).openapi({ description: "Roles you held: facilitator, caseOwner, timekeeper, observer, coach" }),
  airtimeSeconds: z.number().int().nullable().openapi({ description: "Speaking time the observer tallied for you" }),
  questions: z.array(QuestionSchema).openapi({ description: "Questions you asked in the question storm" }),
});

const NoteExportSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  circleId: z.string(),
  visibility: z.enum(["private", "circle"]),
  text: z.string(),
  createdAt: Instant,
});

const CommitmentExportSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  circleId: z.string(),
  action: z.string(),
  dueDate: z.string(),
  signal: z.string(),
  supportWanted: z.string().nullable(),
  postedToChat: z.boolean(),
  todoTaskId: z.string().nullable(),
  review: z.object({ status: z.string(), learning: z.string(), reviewedAt: Instant.nullable() }).nullable(),
  createdAt: Instant,
});

const InsightExportSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  circleId: z.string(),
  text: z.string(),
  sharedWithProgram: z.boolean().openapi({ description: "An anonymised copy is in the program's learning library" }),
  createdAt: Instant,
  updatedAt: Instant,
});

const PulseExportSchema = z.object({ sessionId: z.string(), circleId: z.string(), rating: z.number().int(), createdAt: Instant, updatedAt: Instant });

const ProtectedTimeExportSchema = z.object({
  settings: z.array(z.object({ circleId: z.string(), optOut: z.boolean(), prepMinutes: z.number().int(), reflectionMinutes: z.number().int(), updatedAt: Instant })),
  blocks: z.array(z.object({ circleId: z.string(), occurrenceKey: z.string(), kind: z.string(), eventId: z.string(), start: Instant, end: Instant })),
  overrides: z.array(z.object({ circleId: z.string(), occurrenceKey: z.string(), kind: z.string(), blockStart: Instant, blockEnd: Instant, overriddenAt: Instant, nudgedAt: Instant.nullable() })),
});

export const MyDataExportSchema = z
  .object({
    format: z.literal(EXPORT_FORMAT),
    version: z.literal(EXPORT_VERSION),
    exportedAt: Instant,
    profile: ProfileSchema,
    circles: z.array(CircleMembershipSchema),
    sessions: z.array(SessionPartSchema),
    notes: z.array(NoteExportSchema).openapi({ description: "Notes you wrote, private and circle notes" }),
    commitments: z.array(CommitmentExportSchema),
    insights: z.array(InsightExportSchema),
    pulses: z.array(PulseExportSchema),
    protectedTime: ProtectedTimeExportSchema,
    nudgeSettings: z.array(z.object({ kind: z.string(), enabled: z.boolean(), updatedAt: Instant })),
    nudgeDeliveries: z
      .array(z.object({ circleId: z.string(), occurrenceKey: z.string(), kind: z.string(), dueAt: Instant, status: z.string(), finishedAt: Instant.nullable() }))
      .openapi({ description: "Reminders and prompts we sent you (or decided not to, when switched off)" }),
    sessionDeclines: z
      .array(
        z.object({
          circleId: z.string(),
          occurrenceKey: z.string().openapi({ description: "The session's slot (ISO UTC), or \"series\" when you declined the whole series" }),
          scope: z.string().openapi({ description: "occurrence | series" }),
          sessionStart: Instant.openapi({ description: "The session's start when you declined it (series: declined from then on)" }),
          declinedAt: Instant,
          withdrawnAt: Instant.nullable().openapi({ description: "When you accepted again; null while the decline stands" }),
          releasedBlocks: z.number().int().openapi({ description: "Protected-time blocks taken off your calendar for it" }),
          nudgedAt: Instant.nullable(),
        }),
      )
      .openapi({ description: "Sessions of your circles you declined in Outlook or Teams" }),
    seriesCopies: z
      .array(z.object({ circleId: z.string(), iCalUId: z.string(), seenAt: Instant }))
      .openapi({ description: "Your circles' series as first seen on your calendar (so a missing one can be read as declined)" }),
    attendance: z
      .array(z.object({ circleId: z.string(), meetingStart: Instant, meetingEnd: Instant, seconds: z.number().int() }))
      .openapi({ description: "How long you attended each session, from Teams attendance reports" }),
    calendarSubscriptions: z.array(z.object({ id: z.string(), resource: z.string(), status: z.string(), expiresAt: Instant, createdAt: Instant })),
    programs: z.object({
      enrolments: z.array(z.object({ programId: z.string(), programPurpose: z.string(), upn: z.string(), displayName: z.string(), enrolledAt: Instant })),
      owned: z.array(z.object({ programId: z.string(), purpose: z.string(), durationWeeks: z.number().int(), createdAt: Instant })),
    }),
    formats: z.array(z.object({ id: z.string(), basedOn: z.string(), definition: z.unknown(), createdAt: Instant, updatedAt: Instant })),
    meetingLinks: z.array(z.object({ circleId: z.string(), chatId: z.string(), linkedAt: Instant })),
    notIncluded: z.array(z.string()).openapi({ description: "What this export leaves out on purpose, and why" }),
  })
  .openapi("MyDataExport");
export type MyDataExport = z.infer<typeof MyDataExportSchema>;

const Count = z.number().int().min(0);

export const DeleteMyDataResultSchema = z
  .object({
    status: z.enum(["deleted", "nothingToDelete"]).openapi({ description: "nothingToDelete: a repeated request found nothing left in our store" }),
    deletedAt: Instant,
    removed: z
      .object({
        profile: Count,
        circleMemberships: Count,
        notes: Count,
        commitments: Count,
        insights: Count,
        sharedInsightCopies: Count,
        questions: Count,
        protectedTimeSettings: Count,
        protectedTimeBlocks: Count,
        protectedTimeOverrides: Count,
        nudgeSettings: Count,
        nudgeDeliveries: Count,
        sessionDeclines: Count.openapi({ description: "Sessions you declined, as read from your calendar (\"declined by most\" is counted without you from then on)" }),
        seriesCopies: Count.openapi({ description: "Records that your circles' series were on your calendar" }),
        calendarSubscriptions: Count,
        programEnrolments: Count,
        formats: Count,
      })
      .openapi({ description: "Rows removed from our store" }),
    anonymised: z
      .object({
        commitments: Count.openapi({ description: "Reviewed cards: text removed, outcome kept for completion rates" }),
        pulses: Count,
        attendance: Count.openapi({ description: "Attendance records: minutes attended stay for held-vs-planned" }),
        sessions: Count.openapi({ description: "Session runs where your roles and airtime now belong to 'a former member'" }),
        circlesHandedOver: Count.openapi({ description: "Circles you organised: the longest-standing member organises them now" }),
        formats: Count.openapi({ description: "Format copies a circle still uses: kept without you as owner" }),
        meetingLinks: Count,
        jobs: Count,
      })
      .openapi({ description: "Rows kept for the circle's and program's totals, with you taken out" }),
    microsoft365: z
      .object({
        protectedBlocksRemoved: Count,
        subscriptionsDeleted: Count,
        seriesAttendeesUpdated: Count,
        problems: z.array(z.string()).openapi({ description: "What could not be done in Microsoft 365 (safe to retry: delete again)" }),
      })
      .openapi({ description: "Best-effort clean-up in your Microsoft 365 calendar, after the database part committed" }),
    kept: z.array(z.string()).openapi({ description: "What stays, and why" }),
  })
  .openapi("DeleteMyDataResult");
export type DeleteMyDataResult = z.infer<typeof DeleteMyDataResultSchema>;
