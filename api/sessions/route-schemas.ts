import { ReviewStatusSchema } from "../commitments/schemas";
import { z } from "../http/zod";
import { IntentSchema, RunStateSchema } from "./schemas";

// HTTP shapes of the live-session API (issue #4). Domain shapes (RunState, Intent) live in schemas.ts.

export const SessionIdParamsSchema = z.object({ sessionId: z.uuid() });

export const FindSessionQuerySchema = z
  .object({
    chatId: z.string().trim().min(1).max(512).optional().openapi({ description: "TeamsJS context chat.id (the meeting chat thread id)" }),
    meetingId: z.string().trim().min(1).max(1024).optional().openapi({ description: "TeamsJS context meeting.id" }),
  })
  .refine((q) => q.chatId !== undefined || q.meetingId !== undefined, { message: "give chatId or meetingId from the Teams context" });

export const LinkMeetingBodySchema = z.object({
  chatId: z.string().trim().min(1).max(512).optional(),
  meetingId: z.string().trim().min(1).max(1024).optional(),
  circleId: z.uuid(),
});

export const MemberViewSchema = z.object({ id: z.string(), displayName: z.string() });

export const SegmentGuideSchema = z.object({ id: z.string(), purpose: z.string(), prompts: z.array(z.string()) });

export const CommitmentViewSchema = z
  .object({
    id: z.string(),
    sessionId: z.string(),
    ownerId: z.string(),
    action: z.string(),
    dueDate: z.string().openapi({ description: "YYYY-MM-DD" }),
    signal: z.string(),
    supportWanted: z.string().nullable(),
    postedToChat: z.boolean(),
    todoTaskId: z.string().nullable(),
    review: z.object({ status: ReviewStatusSchema, learning: z.string() }).nullable(),
    todoProblem: z.string().optional(),
  })
  .openapi("Commitment");

export const InsightSchema = z
  .object({
    text: z.string(),
    shareWithProgram: z.boolean().openapi({ description: "An anonymised copy (text only) is in the program's learning library" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("SessionInsight");
export type InsightView = z.infer<typeof InsightSchema>;

export const NewInsightSchema = z.object({
  text: z.string().trim().min(1).max(500).openapi({ description: "One sentence of learning" }),
  shareWithProgram: z.boolean().default(false).openapi({ description: "Opt in to share it anonymised with the program; false withdraws an earlier share" }),
});

export const PulseBodySchema = z.object({ rating: z.number().int().min(1).max(5).openapi({ description: "How useful was this session: 1 (not) to 5 (very)" }) });
export const PulseSchema = z.object({ rating: z.number().int().min(1).max(5), updatedAt: z.string() }).openapi("UsefulnessPulse");

export const SessionViewSchema = z
  .object({
    id: z.string(),
    circle: z.object({ id: z.string(), name: z.string(), purpose: z.string(), charter: z.array(z.string()) }),
    occurrenceDate: z.string().openapi({ description: "The session's local date in the circle's zone" }),
    nextSessionDate: z.string().nullable(),
    defaultDueDate: z.string().openapi({ description: "Default 'by when' for commitment cards: the day before the next session" }),
    me: z.string().openapi({ description: "The caller's member id" }),
    members: z.array(MemberViewSchema),
    state: RunStateSchema,
    serverNow: z.number().int().openapi({ description: "Server clock, epoch ms: timers are computed from server time" }),
    guide: z.array(SegmentGuideSchema),
    review: z.array(CommitmentViewSchema).openapi({ description: "Cards from the previous session, to review" }),
    myCommitment: CommitmentViewSchema.nullable(),
    myInsight: InsightSchema.nullable().openapi({ description: "The caller's own insight; nobody else's is ever returned" }),
    myPulse: z.number().int().min(1).max(5).nullable(),
  })
  .openapi("SessionView");
export type SessionView = z.infer<typeof SessionViewSchema>;

export const FindSessionResultSchema = z
  .discriminatedUnion("status", [
    z.object({ status: z.literal("linked"), session: SessionViewSchema }),
    z.object({
      status: z.literal("notLinked"),
      circles: z.array(z.object({ id: z.string(), name: z.string() })).openapi({ description: "The caller's circles, to link this meeting to" }),
    }),
  ])
  .openapi("FindSessionResult");
export type FindSessionResult = z.infer<typeof FindSessionResultSchema>;

export const IntentBodySchema = z
  .intersection(
    IntentSchema,
    z.object({
      expectedVersion: z.number().int().min(0).optional().openapi({ description: "The version the client saw; 409 if the run moved on" }),
    }),
  )
  .openapi("SessionIntent");

export const StateEventSchema = z.object({ state: RunStateSchema, serverNow: z.number().int() }).openapi("SessionStateEvent");

export const StreamTicketSchema = z
  .object({ ticket: z.string(), expiresAt: z.string().openapi({ description: "ISO instant; single use" }) })
  .openapi("StreamTicket");

export const EventsQuerySchema = z.object({
  ticket: z.string().min(16).max(128),
  lastEventId: z
    .string()
    .regex(/^\d{1,15}(?:\.\d{1,15})?$/)
    .optional()
    .openapi({ description: "Like the Last-Event-ID header, for a new EventSource: the id of the last event held (\"<version>\" or \"<version>.<noteCursor>\")" }),
});

export const NoteVisibilitySchema = z.enum(["private", "circle"]);
export const NewNoteSchema = z.object({ text: z.string().trim().min(1).max(2000), visibility: NoteVisibilitySchema.default("private") });
export const NoteSchema = z
  .object({ id: z.string(), authorId: z.string(), visibility: NoteVisibilitySchema, text: z.string(), createdAt: z.string(), mine: z.boolean() })
  .openapi("SessionNote");
export const NoteListSchema = z.object({ notes: z.array(NoteSchema) });

export const NewCommitmentSchema = z.object({
  action: z.string().trim().min(1).max(280),
  dueDate: z.iso.date().optional().openapi({ description: "Default: the session's defaultDueDate" }),
  signal: z.string().trim().max(280).default(""),
  supportWanted: z.string().trim().max(280).optional(),
  addToTodo: z.boolean().default(false),
});
