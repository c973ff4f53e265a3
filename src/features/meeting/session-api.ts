import { z } from "zod";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";

// The live-session API as the side panel and stage read it (api/sessions/route-schemas.ts). Parsed
// at the boundary so a contract drift is one clear error, not `undefined` deep in a component.

export const reviewStatusSchema = z.enum(["done", "partly", "notDone", "changed"]);
export type ReviewStatus = z.infer<typeof reviewStatusSchema>;

export const namedRoleSchema = z.enum(["facilitator", "caseOwner", "timekeeper", "observer"]);
export type NamedRole = z.infer<typeof namedRoleSchema>;

export const runStateSchema = z.object({
  sessionId: z.string(),
  version: z.number(),
  status: z.enum(["notStarted", "running", "paused", "ended"]),
  segments: z.array(z.object({ id: z.string(), name: z.string(), minutes: z.number(), kind: z.string() })).min(1),
  currentSegmentIndex: z.number(),
  segmentStartedAt: z.number().nullable(),
  segmentExtendedMinutes: z.number(),
  pausedAt: z.number().optional(),
  endedAt: z.number().optional(),
  roles: z.object({
    facilitator: z.string(),
    caseOwner: z.string().nullable(),
    timekeeper: z.string().nullable(),
    observer: z.string().nullable(),
    coaches: z.array(z.string()),
  }),
  speakingOrder: z.array(z.string()).optional(),
  questions: z.array(z.object({ id: z.string(), authorId: z.string(), text: z.string(), style: z.string(), suggestion: z.string().optional(), createdAt: z.number() })),
  airtime: z.record(z.string(), z.number()),
  reviewed: z.record(z.string(), z.object({ status: reviewStatusSchema, learning: z.string() })),
});
export type RunState = z.infer<typeof runStateSchema>;

export const stateEventSchema = z.object({ state: runStateSchema, serverNow: z.number() });
export type StateEvent = z.infer<typeof stateEventSchema>;

export const commitmentSchema = z.object({
  id: z.string(),
  sessionId: z.string(),
  ownerId: z.string(),
  action: z.string(),
  dueDate: z.string(),
  signal: z.string(),
  supportWanted: z.string().nullable(),
  postedToChat: z.boolean(),
  todoTaskId: z.string().nullable(),
  review: z.object({ status: reviewStatusSchema, learning: z.string() }).nullable(),
  todoProblem: z.string().optional(),
});
export type Commitment = z.infer<typeof commitmentSchema>;

export const insightSchema = z.object({ text: z.string(), shareWithProgram: z.boolean(), createdAt: z.string(), updatedAt: z.string() });
export type Insight = z.infer<typeof insightSchema>;

export const pulseSchema = z.object({ rating: z.number().int().min(1).max(5), updatedAt: z.string() });

export const sessionViewSchema = z.object({
  id: z.string(),
  circle: z.object({ id: z.string(), name: z.string(), purpose: z.string(), charter: z.array(z.string()) }),
  occurrenceDate: z.string(),
  nextSessionDate: z.string().nullable(),
  defaultDueDate: z.string(),
  me: z.string(),
  members: z.array(z.object({ id: z.string(), displayName: z.string() })),
  state: runStateSchema,
  serverNow: z.number(),
  guide: z.array(z.object({ id: z.string(), purpose: z.string(), prompts: z.array(z.string()) })),
  review: z.array(commitmentSchema),
  myCommitment: commitmentSchema.nullable(),
  myInsight: insightSchema.nullable().default(null),
  myPulse: z.number().int().min(1).max(5).nullable().default(null),
});
export type SessionView = z.infer<typeof sessionViewSchema>;

export const findSessionResultSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("linked"), session: sessionViewSchema }),
  z.object({ status: z.literal("notLinked"), circles: z.array(z.object({ id: z.string(), name: z.string() })) }),
]);
export type FindSessionResult = z.infer<typeof findSessionResultSchema>;

export const noteSchema = z.object({ id: z.string(), authorId: z.string(), visibility: z.enum(["private", "circle"]), text: z.string(), createdAt: z.string(), mine: z.boolean() });
export type Note = z.infer<typeof noteSchema>;

/** A note as the event stream carries it (whose it is follows from authorId). */
export const streamNoteSchema = noteSchema.omit({ mine: true });
export type StreamNote = z.infer<typeof streamNoteSchema>;
export const notesEventSchema = z.object({ notes: z.array(streamNoteSchema) });

export type Intent =
  | { type: "start" | "next" | "previous" | "pause" | "resume" | "end" }
  | { type: "extend"; minutes: number }
  | { type: "setRole"; role: NamedRole; memberId: string }
  | { type: "swapRoles"; a: string; b: string }
  | { type: "addQuestion"; text: string }
  | { type: "removeQuestion"; id: string }
  | { type: "tallyAirtime"; memberId: string; seconds: number }
  | { type: "drawSpeakingOrder" }
  | { type: "markReviewed"; commitmentId: string; status: ReviewStatus; learning: string };

export interface NewCommitment {
  action: string;
  dueDate: string;
  signal: string;
  supportWanted?: string;
  addToTodo: boolean;
}

export interface SessionApi {
  findMeetingSession(context: { chatId?: string; meetingId?: string }): Promise<FindSessionResult>;
  linkMeetingToCircle(input: { chatId?: string; meetingId?: string; circleId: string }): Promise<FindSessionResult>;
  getSession(sessionId: string): Promise<SessionView>;
  sendIntent(sessionId: string, intent: Intent, expectedVersion?: number): Promise<StateEvent>;
  createStreamTicket(sessionId: string): Promise<{ ticket: string }>;
  listNotes(sessionId: string): Promise<Note[]>;
  addNote(sessionId: string, note: { text: string; visibility: "private" | "circle" }): Promise<Note>;
  writeCommitment(sessionId: string, card: NewCommitment): Promise<Commitment>;
  addInsight(sessionId: string, insight: { text: string; shareWithProgram: boolean }): Promise<Insight>;
  sendPulse(sessionId: string, rating: number): Promise<{ rating: number }>;
}

/** Typed calls for the live session; every failure is an ApiError with a sentence a user can act on. */
export function createSessionApi(options: ApiClientOptions): SessionApi {
  const call = <S extends z.ZodType>(method: "GET" | "POST", path: string, schema: S, body?: unknown) => requestJson(options, path, schema, true, { method, body });
  const query = (context: { chatId?: string; meetingId?: string }) => {
    const params = new URLSearchParams();
    if (context.chatId) params.set("chatId", context.chatId);
    if (context.meetingId) params.set("meetingId", context.meetingId);
    return params.toString();
  };
  const s = (id: string) => encodeURIComponent(id);
  return {
    findMeetingSession: (context) => call("GET", `/api/sessions/current?${query(context)}`, findSessionResultSchema),
    linkMeetingToCircle: (input) => call("POST", "/api/sessions/links", findSessionResultSchema, input),
    getSession: (id) => call("GET", `/api/sessions/${s(id)}`, sessionViewSchema),
    sendIntent: (id, intent, expectedVersion) => call("POST", `/api/sessions/${s(id)}/intents`, stateEventSchema, { ...intent, ...(expectedVersion !== undefined ? { expectedVersion } : {}) }),
    createStreamTicket: (id) => call("POST", `/api/sessions/${s(id)}/stream-ticket`, z.object({ ticket: z.string() })),
    listNotes: async (id) => (await call("GET", `/api/sessions/${s(id)}/notes`, z.object({ notes: z.array(noteSchema) }))).notes,
    addNote: (id, note) => call("POST", `/api/sessions/${s(id)}/notes`, noteSchema, note),
    writeCommitment: (id, card) => call("POST", `/api/sessions/${s(id)}/commitments`, commitmentSchema, card),
    addInsight: (id, insight) => call("POST", `/api/sessions/${s(id)}/insights`, insightSchema, insight),
    sendPulse: (id, rating) => call("POST", `/api/sessions/${s(id)}/pulse`, pulseSchema, { rating }),
  };
}

/** The URL EventSource opens: a single-use ticket instead of the bearer token (never a token in a URL). */
export function eventsUrl(sessionId: string, ticket: string, lastEventId: number | string | undefined, baseUrl = ""): string {
  const params = new URLSearchParams({ ticket });
  if (lastEventId !== undefined) params.set("lastEventId", String(lastEventId));
  return `${baseUrl}/api/sessions/${encodeURIComponent(sessionId)}/events?${params.toString()}`;
}
