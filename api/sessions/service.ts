import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { ServerResponse } from "node:http";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import { loadCircleForMember, type CircleRecord } from "../circles/access";
import { BUILT_IN_FORMATS, findBuiltInFormat, scaleSegments, type Format } from "../circles/formats";
import {
  createCommitment,
  findMyCommitment,
  listCommitmentsForReview,
  recordReview,
  type CommitmentView,
  type NewCommitment,
} from "../commitments/service";
import type { GraphFactory } from "../graph";
import { CadenceSchema, occurrenceDays } from "../scheduling";
import { formatLocalDate, parseLocalDate, DAY_MS } from "../scheduling/local-time";
import { AppError, badRequest, conflict, notFound } from "../shared/errors";
import type { Db } from "../storage";
import {
  chatHasSeries,
  consumeStreamTicket,
  findCircleIdForChat,
  findLatestNoteAt,
  findMeetingLink,
  findRun,
  findRunByOccurrence,
  findSeries,
  findTenantFormat,
  insertMeetingLink,
  insertNote,
  insertRunIfAbsent,
  insertStreamTicket,
  listNotesVisibleTo,
  listPastRoles,
  setRunChat,
  sumPastAirtime,
  type NoteVisibility,
  type RunRecord,
} from "./repository";
import { findMyInsight, findMyPulse, saveInsight, savePulse } from "./close-repository";
import { IntentWriter } from "./intent-writer";
import { assignRoles } from "./rotate-roles";
import type { FindSessionResult, InsightView, SessionView } from "./route-schemas";
import { applyIntent } from "./run-reducer";
import { createRunState } from "./run-state";
import type { Intent, RunState } from "./schemas";
import { encodeStateEvent, noteCursorOf, type EncodedStateEvent, type SessionHub, type StreamCursor, type StreamNote } from "./session-hub";

export interface SessionServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  hub: SessionHub;
}

/** How long a stream ticket may wait before EventSource uses it. */
export const STREAM_TICKET_TTL_MS = 60_000;
/** Runs kept in memory per instance (least recently loaded dropped first). */
const CACHE_LIMIT = 5_000;
/**
 * How long a circle's member list is trusted for intents without asking the database. Membership
 * changes made through this instance drop it at once (`membersChanged`, wired in app.ts); this
 * bound only matters for changes made through another instance (PostgreSQL scale-out), where a
 * removed member can still send intents for at most this long. Reads, tickets and notes always
 * check afresh.
 */
export const MEMBERS_TTL_MS = 15_000;

interface CachedRun {
  run: RunRecord;
  /** What the reducer needs beyond the state, read once per run. */
  commitmentOwners: Record<string, string>;
  previousAirtime: Record<string, number>;
  /** Epoch ms of the newest note written through this instance (notes' createdAt strictly increase per session). */
  lastNoteAt?: number;
}

const CharterSchema = z.array(z.string());

/** "MCMx…" (TeamsJS meeting.id) is base64 of "0#19:meeting_…@thread.v2#0": the chat id is inside. */
export function chatIdFromMeetingId(meetingId: string): string | undefined {
  const decoded = Buffer.from(meetingId, "base64").toString("utf8");
  return /19:[^#\s]+@thread\.(?:v2|tacv2|skype)/.exec(decoded)?.[0];
}

/** YYYY-MM-DD of `now` on the wall clock of `timeZone`. */
export function localDateIn(now: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" }).formatToParts(now);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? "";
  return `${part("year")}-${part("month")}-${part("day")}`;
}

/**
 * The live session: finding it from the meeting, its run (one versioned state, applied intent by
 * intent and fanned out), stream tickets, notes and commitment cards. Keeps an in-memory copy of
 * each run it serves and applies one intent at a time per session; the database write is
 * conditional on the version it read, so a second instance can never apply on a stale state.
 */
export function createSessionService(deps: SessionServiceDeps) {
  const { db, clock, hub } = deps;
  const cache = new Map<string, CachedRun>();
  const queues = new Map<string, Promise<unknown>>();
  /** circle id → the circle with its current members, as last loaded, and when (epoch ms); for intents. */
  const memberships = new Map<string, { record: CircleRecord; loadedAt: number }>();
  /** circle id → how many membership changes this instance has seen (guards against caching a read that raced one). */
  const membershipGeneration = new Map<string, number>();
  const writer = new IntentWriter(db);

  /** Runs `task` after every earlier task of the same session (intents apply strictly in order). */
  function serialise<T>(sessionId: string, task: () => Promise<T>): Promise<T> {
    const previous = queues.get(sessionId) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.then(
      () => undefined,
      () => undefined,
    );
    queues.set(sessionId, settled);
    void settled.then(() => {
      if (queues.get(sessionId) === settled) queues.delete(sessionId);
    });
    return next;
  }

  async function loadCached(sessionId: string, fresh = false): Promise<CachedRun | undefined> {
    const hit = cache.get(sessionId);
    if (hit && !fresh) return hit;
    const run = await findRun(db, sessionId);
    if (!run) return undefined;
    const review = await listCommitmentsForReview(db, run.circleId, run.occurrenceDate);
    const entry: CachedRun = {
      run,
      commitmentOwners: Object.fromEntries(review.map((c) => [c.id, c.ownerId])),
      previousAirtime: await sumPastAirtime(db, run.circleId, run.occurrenceDate),
    };
    cache.delete(sessionId);
    cache.set(sessionId, entry);
    if (cache.size > CACHE_LIMIT) cache.delete(cache.keys().next().value!);
    return entry;
  }

  /**
   * The run and its circle, when the caller is a current member of the circle.
   * @throws AppError not_found for unknown sessions and for non-members alike.
   */
  async function loadForMember(caller: CallerIdentity, sessionId: string): Promise<{ entry: CachedRun; record: CircleRecord }> {
    const entry = await loadCached(sessionId);
    if (!entry || entry.run.tenantId !== caller.tenantId) throw notFound("The session");
    const generation = membershipGeneration.get(entry.run.circleId) ?? 0;
    const record = await loadCircleForMember(db, caller, entry.run.circleId).catch((err: unknown) => {
      if (err instanceof AppError && err.code === "not_found") throw notFound("The session");
      throw err;
    });
    // A change that landed while we read may not be in `record`: then it is not worth remembering.
    if ((membershipGeneration.get(entry.run.circleId) ?? 0) === generation) remember(record);
    return { entry, record };
  }

  function remember(record: CircleRecord): void {
    memberships.delete(record.circle.id);
    memberships.set(record.circle.id, { record, loadedAt: clock().getTime() });
    if (memberships.size > CACHE_LIMIT) memberships.delete(memberships.keys().next().value!);
  }

  /**
   * The circle of the session when the caller is a member, for intents: from memory while fresh
   * (no database query on the hot path), else as loadForMember.
   * @throws AppError not_found for unknown sessions and non-members.
   */
  async function circleForIntent(caller: CallerIdentity, sessionId: string): Promise<CircleRecord> {
    const run = cache.get(sessionId)?.run;
    const known = run ? memberships.get(run.circleId) : undefined;
    if (
      run &&
      known &&
      run.tenantId === caller.tenantId &&
      clock().getTime() - known.loadedAt < MEMBERS_TTL_MS &&
      known.record.members.some((m) => m.user_id === caller.userId)
    ) {
      return known.record;
    }
    return (await loadForMember(caller, sessionId)).record;
  }

  async function formatOf(record: CircleRecord): Promise<Format> {
    return findBuiltInFormat(record.circle.format_id) ?? (await findTenantFormat(db, record.circle.tenant_id, record.circle.format_id)) ?? BUILT_IN_FORMATS[0]!;
  }

  async function datesOf(record: CircleRecord, today: string): Promise<{ next: string | null; defaultDue: string }> {
    const series = await findSeries(db, record.circle.id);
    const cadence = CadenceSchema.safeParse(record.circle.cadence);
    let next: string | null = null;
    if (cadence.success) {
      const anchor = series ? series.firstStart.slice(0, 10) : today;
      const count = series ? record.circle.session_count : 2;
      next = occurrenceDays(parseLocalDate(anchor), cadence.data, Math.max(count, 2)).map(formatLocalDate).find((d) => d > today) ?? null;
    }
    // "By when" defaults to before the next session (glossary, "Commitment card"): the day before it.
    const defaultDue = formatLocalDate(parseLocalDate(next ?? formatLocalDate(parseLocalDate(today) + 8 * DAY_MS)) - DAY_MS);
    return { next, defaultDue };
  }

  /** Today's run of the circle, created with fairly rotated roles on first open. */
  async function ensureRun(record: CircleRecord, chatId: string | null, meetingId: string | null): Promise<CachedRun> {
    const today = localDateIn(clock(), record.circle.time_zone);
    let run = await findRunByOccurrence(db, record.circle.id, today);
    if (!run) {
      const memberIds = record.members.map((m) => m.user_id);
      const history = await listPastRoles(db, record.circle.id, today);
      // Without rotation the circle keeps one facilitator: the rotation from an empty history (join order).
      const roles = assignRoles(memberIds, record.circle.rotate_roles ? history : []);
      const format = await formatOf(record);
      const segments = scaleSegments(format, record.circle.session_minutes);
      const id = randomUUID();
      const state = createRunState({ sessionId: id, segments, roles });
      await insertRunIfAbsent(db, { id, circleId: record.circle.id, tenantId: record.circle.tenant_id, occurrenceDate: today, chatId, meetingId, state }, clock().toISOString());
      run = await findRunByOccurrence(db, record.circle.id, today);
      if (!run) throw new AppError("internal", "The session could not be created.");
    } else if (run.chatId === null && chatId !== null) {
      await setRunChat(db, run.id, chatId, meetingId);
    }
    return (await loadCached(run.id))!;
  }

  async function viewOf(caller: CallerIdentity, entry: CachedRun, record: CircleRecord): Promise<SessionView> {
    const { run } = entry;
    const format = await formatOf(record);
    const { next, defaultDue } = await datesOf(record, run.occurrenceDate);
    const charter = CharterSchema.safeParse(safeJson(record.circle.charter));
    const review = await listCommitmentsForReview(db, run.circleId, run.occurrenceDate);
    return {
      id: run.id,
      circle: { id: record.circle.id, name: record.circle.name, purpose: record.circle.purpose, charter: charter.success ? charter.data : [] },
      occurrenceDate: run.occurrenceDate,
      nextSessionDate: next,
      defaultDueDate: defaultDue,
      me: caller.userId,
      members: record.members.map((m) => ({ id: m.user_id, displayName: m.display_name })),
      state: entry.run.state,
      serverNow: clock().getTime(),
      guide: format.segments.map((s) => ({ id: s.id, purpose: s.purpose, prompts: s.prompts })),
      review,
      myCommitment: await findMyCommitment(db, run.id, caller.userId),
      myInsight: insightView(await findMyInsight(db, run.id, caller.userId)),
      myPulse: (await findMyPulse(db, run.id, caller.userId))?.rating ?? null,
    };
  }

  function resolveChatId(input: { chatId?: string | undefined; meetingId?: string | undefined }): string {
    const chatId = input.chatId ?? (input.meetingId ? chatIdFromMeetingId(input.meetingId) : undefined);
    if (!chatId) throw badRequest("This meeting has no chat id in its Teams context; open the panel from the meeting itself.");
    return chatId;
  }

  return {
    hub,

    /** Members joined or left the circle: its member list is read afresh for the next intent. */
    membersChanged(circleId: string): void {
      memberships.delete(circleId);
      membershipGeneration.set(circleId, (membershipGeneration.get(circleId) ?? 0) + 1);
    },

    /**
     * A circle's runs were rewritten outside the intent path (a member deleted their data): the
     * cached copies would still show what was removed, so they are read afresh on next use.
     */
    runsChanged(circleId: string): void {
      for (const [sessionId, entry] of cache) if (entry.run.circleId === circleId) cache.delete(sessionId);
      this.membersChanged(circleId);
    },

    /** Resolves once every accepted intent is committed (shutdown, tests). */
    drain(): Promise<void> {
      return writer.drain();
    },

    /**
     * The session for the meeting the side panel runs in: its circle's run for today, or
     * "notLinked" with the caller's circles to pick from.
     * @throws AppError not_found when the meeting belongs to a circle the caller is not in.
     */
    async findMeetingSession(caller: CallerIdentity, input: { chatId?: string | undefined; meetingId?: string | undefined }, myCircles: () => Promise<Array<{ id: string; name: string }>>): Promise<FindSessionResult> {
      const chatId = resolveChatId(input);
      const circleId = await findCircleIdForChat(db, caller.tenantId, chatId);
      if (!circleId) return { status: "notLinked", circles: await myCircles() };
      const record = await loadCircleForMember(db, caller, circleId).catch((err: unknown) => {
        if (err instanceof AppError && err.code === "not_found") {
          throw new AppError("not_found", "This meeting belongs to a coaching circle you're not a member of. Only its members can see the session.");
        }
        throw err;
      });
      const entry = await ensureRun(record, chatId, input.meetingId ?? null);
      return { status: "linked", session: await viewOf(caller, entry, record) };
    },

    /**
     * Links a meeting (by its chat) to one of the caller's circles, then opens its session.
     * @throws not_found when the caller is not in the circle; conflict when the meeting already
     *   belongs to a circle.
     */
    async linkMeetingToCircle(caller: CallerIdentity, input: { chatId?: string | undefined; meetingId?: string | undefined; circleId: string }): Promise<FindSessionResult> {
      const chatId = resolveChatId(input);
      const record = await loadCircleForMember(db, caller, input.circleId);
      const existing = await findMeetingLink(db, caller.tenantId, chatId);
      if ((existing && existing.circle_id !== record.circle.id) || (!existing && (await chatHasSeries(db, chatId)))) {
        throw conflict("This meeting is already linked to a circle.");
      }
      await insertMeetingLink(db, { tenantId: caller.tenantId, chatId, circleId: record.circle.id, linkedBy: caller.userId, now: clock().toISOString() });
      const linked = await findMeetingLink(db, caller.tenantId, chatId);
      if (linked?.circle_id !== record.circle.id) throw conflict("This meeting is already linked to a circle.");
      const entry = await ensureRun(record, chatId, input.meetingId ?? null);
      return { status: "linked", session: await viewOf(caller, entry, record) };
    },

    /** @throws not_found for non-members. */
    async getSession(caller: CallerIdentity, sessionId: string): Promise<SessionView> {
      const { entry, record } = await loadForMember(caller, sessionId);
      return viewOf(caller, entry, record);
    },

    /**
     * Applies one intent, in order with every other intent of the session, stores the new version
     * and fans it out.
     * @returns the new state event, serialised once (the stream's frame and the intent's answer share it)
     * @throws not_found (non-member), forbidden (the caller's role may not), conflict (the run is
     *   not in a state for it, or `expectedVersion` is stale).
     */
    async applySessionIntent(caller: CallerIdentity, sessionId: string, intent: Intent, expectedVersion?: number): Promise<EncodedStateEvent & { state: RunState }> {
      const record = await circleForIntent(caller, sessionId);
      const memberIds = record.members.map((m) => m.user_id);
      return serialise(sessionId, async () => {
        for (let attempt = 0; ; attempt++) {
          const entry = (await loadCached(sessionId, attempt > 0))!;
          const before = entry.run.state;
          if (expectedVersion !== undefined && expectedVersion !== before.version) {
            throw conflict(`The session moved on (it is at version ${before.version}, you saw ${expectedVersion}). Check the panel, then try again.`);
          }
          const now = clock();
          const result = applyIntent(before, intent, { actorId: caller.userId, now: now.getTime(), memberIds, commitmentOwners: entry.commitmentOwners, previousAirtime: entry.previousAirtime });
          if (!result.ok) {
            if (result.code === "forbidden") throw new AppError("forbidden", result.message);
            if (result.code === "not_member") throw notFound("The session");
            throw conflict(result.message);
          }
          // Serialised once: stored, sent to every stream and answered with the same JSON.
          const stateJson = JSON.stringify(result.state);
          // Group commit: resolves once committed, sharing the transaction with other sessions' intents.
          const saved = await writer.save({ sessionId, fromVersion: before.version, state: result.state, stateJson, actorId: caller.userId, intentType: intent.type, payload: intent, now: now.toISOString() });
          if (!saved) {
            // Another instance wrote first: reload and apply on its state (once more at most).
            if (attempt >= 2) throw conflict("The session changed while your update was applied. Try again.");
            continue;
          }
          if (intent.type === "markReviewed") {
            await recordReview(db, intent.commitmentId, { status: intent.status, learning: intent.learning, sessionId, now });
          }
          entry.run = { ...entry.run, state: result.state };
          const encoded = hub.publish(result.state, encodeStateEvent({ state: result.state, serverNow: clock().getTime() }, stateJson));
          return { ...encoded, state: result.state };
        }
      });
    },

    /** A single-use ticket (60 s) that lets EventSource open the session's stream as the caller. */
    async createStreamTicket(caller: CallerIdentity, sessionId: string): Promise<{ ticket: string; expiresAt: string }> {
      await loadForMember(caller, sessionId);
      const ticket = randomBytes(24).toString("base64url");
      const now = clock();
      const expiresAt = new Date(now.getTime() + STREAM_TICKET_TTL_MS).toISOString();
      await insertStreamTicket(db, { hash: hashTicket(ticket), sessionId, tenantId: caller.tenantId, userId: caller.userId, expiresAt, now: now.toISOString() });
      return { ticket, expiresAt };
    },

    /**
     * Opens the event stream for the holder of a valid ticket for this session.
     * @throws AppError unauthorized for an unknown, used, expired or other session's ticket.
     */
    async openStream(sessionId: string, ticket: string, res: ServerResponse, last: StreamCursor | undefined): Promise<void> {
      const holder = await consumeStreamTicket(db, hashTicket(ticket), clock().toISOString());
      if (!holder || holder.sessionId !== sessionId) {
        throw new AppError("unauthorized", "This live-update link has expired or was already used. The panel asks for a new one by itself; reload it if updates stop.");
      }
      const entry = await loadCached(sessionId);
      if (!entry) throw notFound("The session");
      const subscriber = hub.subscribe(sessionId, holder.userId, res, entry.run.state, last?.version);
      // Read after subscribing: a note written meanwhile arrives live, and perhaps here too (clients merge by id).
      const after = last?.noteCursor !== undefined ? new Date(last.noteCursor).toISOString() : undefined;
      const rows = await listNotesVisibleTo(db, sessionId, holder.userId, after);
      hub.sendNotes(sessionId, subscriber, rows.map(streamNote));
    },

    /**
     * Writes the caller's one insight of the session (again: replaces it). Private unless
     * `shareWithProgram`, which stores an anonymised copy for the program; false withdraws it.
     * @throws AppError not_found for non-members.
     */
    async addInsight(caller: CallerIdentity, sessionId: string, input: { text: string; shareWithProgram: boolean }): Promise<{ created: boolean; insight: InsightView }> {
      const { entry } = await loadForMember(caller, sessionId);
      // One author's writes apply in order on this instance (a double tap cannot make two copies).
      return serialise(`insight:${sessionId}:${caller.userId}`, async () => {
        const before = await findMyInsight(db, sessionId, caller.userId);
        const saved = await saveInsight(db, { sessionId, authorId: caller.userId, tenantId: entry.run.tenantId, text: input.text, share: input.shareWithProgram, now: clock() });
        return { created: before === undefined, insight: insightView(saved)! };
      });
    },

    /** The caller's one-tap usefulness rating (1–5) of the session; a second tap replaces it. @throws not_found for non-members. */
    async sendPulse(caller: CallerIdentity, sessionId: string, rating: number): Promise<{ rating: number; updatedAt: string }> {
      await loadForMember(caller, sessionId);
      return savePulse(db, { sessionId, memberId: caller.userId, rating, now: clock() });
    },

    /**
     * Adds a note and sends it live: a circle note to every member's stream, a private note only to
     * the author's own. @throws not_found for non-members.
     */
    async addNote(caller: CallerIdentity, sessionId: string, note: { text: string; visibility: NoteVisibility }) {
      const { entry } = await loadForMember(caller, sessionId);
      const id = randomUUID();
      // Strictly increasing per session, so a stream's note cursor (a createdAt) never skips a note written in the same millisecond.
      const previous = entry.lastNoteAt ?? noteCursorOf({ createdAt: (await findLatestNoteAt(db, sessionId)) ?? "1970-01-01T00:00:00.000Z" });
      const at = Math.max(clock().getTime(), previous + 1);
      entry.lastNoteAt = at;
      const createdAt = new Date(at).toISOString();
      await insertNote(db, { id, sessionId, authorId: caller.userId, visibility: note.visibility, text: note.text, now: createdAt });
      const saved: StreamNote = { id, authorId: caller.userId, visibility: note.visibility, text: note.text, createdAt };
      hub.publishNote(sessionId, saved);
      return { ...saved, mine: true };
    },

    /** Circle notes and the caller's own private notes. */
    async listNotes(caller: CallerIdentity, sessionId: string) {
      await loadForMember(caller, sessionId);
      const rows = await listNotesVisibleTo(db, sessionId, caller.userId);
      return rows.map((r) => ({ ...streamNote(r), mine: r.author_id === caller.userId }));
    },

    /**
     * Writes the caller's commitment card: posted to the meeting chat on their behalf, optionally
     * as a To Do task. @throws not_found, conflict (already written, or no meeting chat), Graph errors.
     */
    async writeCommitment(caller: CallerIdentity, sessionId: string, input: Omit<NewCommitment, "dueDate"> & { dueDate?: string | undefined }): Promise<CommitmentView> {
      const { entry, record } = await loadForMember(caller, sessionId);
      const chatId = entry.run.chatId;
      if (!chatId) throw conflict("This session has no meeting chat to post the card to. Open the panel from the meeting.");
      const { defaultDue } = await datesOf(record, entry.run.occurrenceDate);
      const owner = record.members.find((m) => m.user_id === caller.userId);
      return createCommitment(
        { db, graph: deps.graph },
        caller,
        {
          sessionId,
          circleId: record.circle.id,
          circleName: record.circle.name,
          chatId,
          ownerName: owner?.display_name ?? caller.displayName,
          // Cards cannot open our tab without a bot; the meeting chat (where the tab lives) is the way back.
          deepLink: `https://teams.microsoft.com/l/chat/${encodeURIComponent(chatId)}/0?tenantId=${encodeURIComponent(caller.tenantId)}`,
          now: clock(),
        },
        { ...input, dueDate: input.dueDate ?? defaultDue },
      );
    },
  };
}

export type SessionService = ReturnType<typeof createSessionService>;

function insightView(record: { text: string; shared: boolean; createdAt: string; updatedAt: string } | undefined): InsightView | null {
  return record ? { text: record.text, shareWithProgram: record.shared, createdAt: record.createdAt, updatedAt: record.updatedAt } : null;
}

function streamNote(row: { id: string; author_id: string; visibility: string; text: string; created_at: string }): StreamNote {
  return { id: row.id, authorId: row.author_id, visibility: row.visibility === "circle" ? "circle" : "private", text: row.text, createdAt: row.created_at };
}

function hashTicket(ticket: string): string {
  return createHash("sha256").update(ticket).digest("hex");
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
