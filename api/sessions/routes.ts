import { listMyCircles } from "../circles/service";
import type { GraphFactory } from "../graph";
import { defineRoute, RESPONSE_SENT, z, type ApiRoutes } from "../http";
import type { Db } from "../storage";
import {
  CommitmentViewSchema,
  EventsQuerySchema,
  FindSessionQuerySchema,
  FindSessionResultSchema,
  InsightSchema,
  IntentBodySchema,
  LinkMeetingBodySchema,
  NewCommitmentSchema,
  NewInsightSchema,
  NewNoteSchema,
  NoteListSchema,
  NoteSchema,
  PulseBodySchema,
  PulseSchema,
  SessionIdParamsSchema,
  SessionViewSchema,
  StateEventSchema,
  StreamTicketSchema,
} from "./route-schemas";
import { createSessionService, type SessionService } from "./service";
import { SessionHub, parseEventId } from "./session-hub";

/**
 * The live session API (issue #4). Every route but the event stream needs the bearer token; the
 * stream takes a single-use ticket instead, because EventSource cannot send an Authorization
 * header and a bearer token in a URL would end up in logs and browser history.
 * @returns the service (its hub fans out to this instance's streams).
 */
export function registerSessionRoutes(api: ApiRoutes, deps: { db: Db; graph: GraphFactory; clock: () => Date; hub?: SessionHub }): SessionService {
  const hub = deps.hub ?? new SessionHub(deps.clock);
  const sessions = createSessionService({ db: deps.db, graph: deps.graph, clock: deps.clock, hub });

  defineRoute(api, {
    method: "get",
    path: "/api/sessions/current",
    operationId: "findMeetingSession",
    summary: "The session of the meeting the side panel runs in",
    description: "From the TeamsJS context's chat id (or meeting id). Answers 404 when the meeting belongs to a circle the caller is not in.",
    auth: true,
    request: { query: FindSessionQuerySchema },
    responses: { 200: FindSessionResultSchema },
    handler: async ({ caller, query }) => ({
      status: 200,
      body: await sessions.findMeetingSession(caller, query, async () => (await listMyCircles({ db: deps.db }, caller)).map((c) => ({ id: c.id, name: c.name }))),
    }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/links",
    operationId: "linkMeetingToCircle",
    summary: "Link this meeting to one of my circles",
    auth: true,
    request: { body: LinkMeetingBodySchema },
    responses: { 200: FindSessionResultSchema },
    handler: async ({ caller, body }) => ({ status: 200, body: await sessions.linkMeetingToCircle(caller, body) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/sessions/{sessionId}",
    operationId: "getSession",
    summary: "One session: circle, roles, run state, review and my card",
    auth: true,
    request: { params: SessionIdParamsSchema },
    responses: { 200: SessionViewSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: await sessions.getSession(caller, params.sessionId) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/intents",
    operationId: "sendSessionIntent",
    summary: "Ask the live run to do something (start, next, add a question …)",
    description: "Applied in order; 403 when the caller's role may not, 409 when the run is not in a state for it or expectedVersion is stale.",
    auth: true,
    request: { params: SessionIdParamsSchema, body: IntentBodySchema },
    responses: { 200: StateEventSchema },
    handler: async ({ caller, params, body, res }): Promise<typeof RESPONSE_SENT> => {
      const { expectedVersion, ...intent } = body;
      const event = await sessions.applySessionIntent(caller, params.sessionId, intent, expectedVersion);
      // The answer is the JSON the stream just sent (StateEventSchema by construction: the reducer's
      // state and the clock), written as is: no second serialisation, no re-validation, on the
      // hottest route of the live session (bench/session-fanout).
      res.statusCode = 200;
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.setHeader("Content-Length", Buffer.byteLength(event.json));
      res.end(event.json);
      return RESPONSE_SENT;
    },
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/stream-ticket",
    operationId: "createSessionStreamTicket",
    summary: "A single-use, 60-second ticket to open the session's event stream",
    auth: true,
    request: { params: SessionIdParamsSchema },
    responses: { 201: StreamTicketSchema },
    handler: async ({ caller, params }) => ({ status: 201, body: await sessions.createStreamTicket(caller, params.sessionId) }),
  });

  defineRoute(api, {
    method: "get",
    path: "/api/sessions/{sessionId}/events",
    operationId: "streamSessionEvents",
    summary: "Server-sent events: the run's state on connect and after every change",
    description:
      "text/event-stream. `event: state`, `id: <version>`, data = SessionStateEvent, on connect and after every change. `event: notes`, `id: <version>.<noteCursor>`, data = { notes: SessionNote[] without `mine` }: on connect the notes the client lacks, then each new circle note (members) and each of the reader's own private notes (never anyone else's). Send the last id (Last-Event-ID header or lastEventId) to skip what you hold. Heartbeat comments every 15 s.",
    auth: false,
    request: { params: SessionIdParamsSchema, query: EventsQuerySchema },
    responses: { 200: { schema: z.string(), contentType: "text/event-stream", description: "The event stream" } },
    handler: async ({ params, query, req, res }): Promise<typeof RESPONSE_SENT> => {
      const header = req.headers["last-event-id"];
      const last = parseEventId(typeof header === "string" ? header : undefined) ?? parseEventId(query.lastEventId);
      await sessions.openStream(params.sessionId, query.ticket, res, last);
      return RESPONSE_SENT;
    },
  });

  defineRoute(api, {
    method: "get",
    path: "/api/sessions/{sessionId}/notes",
    operationId: "listSessionNotes",
    summary: "Circle notes and my private notes",
    auth: true,
    request: { params: SessionIdParamsSchema },
    responses: { 200: NoteListSchema },
    handler: async ({ caller, params }) => ({ status: 200, body: { notes: await sessions.listNotes(caller, params.sessionId) } }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/notes",
    operationId: "addSessionNote",
    summary: "Add a private note (only me) or a circle note (members)",
    auth: true,
    request: { params: SessionIdParamsSchema, body: NewNoteSchema },
    responses: { 201: NoteSchema },
    handler: async ({ caller, params, body }) => ({ status: 201, body: await sessions.addNote(caller, params.sessionId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/commitments",
    operationId: "writeCommitment",
    summary: "Write my commitment card: posted to the meeting chat as me, optionally a To Do task",
    auth: true,
    request: { params: SessionIdParamsSchema, body: NewCommitmentSchema },
    responses: { 201: CommitmentViewSchema },
    handler: async ({ caller, params, body }) => ({ status: 201, body: await sessions.writeCommitment(caller, params.sessionId, body) }),
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/insights",
    operationId: "addSessionInsight",
    summary: "Write my one insight of this session (private unless I opt in to share it anonymised)",
    description:
      "One per member per session: writing again replaces it (200; 201 the first time). Only its author ever reads it back. With shareWithProgram, an anonymised copy (text only: no author, circle or session) goes to the program's learning library; false withdraws that copy.",
    auth: true,
    request: { params: SessionIdParamsSchema, body: NewInsightSchema },
    responses: { 200: InsightSchema, 201: InsightSchema },
    handler: async ({ caller, params, body }) => {
      const { created, insight } = await sessions.addInsight(caller, params.sessionId, body);
      return created ? { status: 201, body: insight } : { status: 200, body: insight };
    },
  });

  defineRoute(api, {
    method: "post",
    path: "/api/sessions/{sessionId}/pulse",
    operationId: "sendUsefulnessPulse",
    summary: "Rate how useful this session was, 1–5, in one tap",
    description: "One rating per member per session; tapping again replaces it. Reported only in aggregate.",
    auth: true,
    request: { params: SessionIdParamsSchema, body: PulseBodySchema },
    responses: { 200: PulseSchema },
    handler: async ({ caller, params, body }) => ({ status: 200, body: await sessions.sendPulse(caller, params.sessionId, body.rating) }),
  });

  return sessions;
}
