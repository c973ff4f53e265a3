import { FormatSchema, type Format } from "../circles/formats";
import { CompiledQuery } from "kysely";
import { storageEngineOf, type Db } from "../storage";
import type { RoleAssignment, RunState } from "./schemas";
import { RoleAssignmentSchema, RunStateSchema } from "./schemas";

/** A format copied by someone in the tenant (the circle's organiser, typically), by id. */
export async function findTenantFormat(db: Db, tenantId: string, formatId: string): Promise<Format | undefined> {
  const row = await db.selectFrom("formats").select("definition").where("id", "=", formatId).where("tenant_id", "=", tenantId).executeTakeFirst();
  return row ? FormatSchema.parse(JSON.parse(row.definition)) : undefined;
}

/** The booked series (booking's `circle_series`, team storage contract), as far as a session needs it. */
export interface SeriesForSession {
  circleId: string;
  timeZone: string;
  /** ISO 8601 with the zone's offset: its first 10 characters are the local date. */
  firstStart: string;
}

/** The circle whose booked series (or hand-made link) holds this meeting chat, in the caller's tenant. */
export async function findCircleIdForChat(db: Db, tenantId: string, chatId: string): Promise<string | undefined> {
  const booked = await db
    .selectFrom("circle_series as s")
    .innerJoin("circles as c", "c.id", "s.circle_id")
    .select("s.circle_id")
    .where("s.chat_id", "=", chatId)
    .where("c.tenant_id", "=", tenantId)
    .where("s.status", "!=", "cancelled")
    .executeTakeFirst();
  if (booked) return booked.circle_id;
  const linked = await db.selectFrom("meeting_links").select("circle_id").where("tenant_id", "=", tenantId).where("chat_id", "=", chatId).executeTakeFirst();
  return linked?.circle_id;
}

export async function findSeries(db: Db, circleId: string): Promise<SeriesForSession | undefined> {
  const row = await db
    .selectFrom("circle_series")
    .select(["circle_id", "time_zone", "first_start"])
    .where("circle_id", "=", circleId)
    .where("status", "!=", "cancelled")
    .executeTakeFirst();
  return row ? { circleId: row.circle_id, timeZone: row.time_zone, firstStart: row.first_start } : undefined;
}

/** Whether a booked series already owns this chat (a hand-made link must not compete with it). */
export async function chatHasSeries(db: Db, chatId: string): Promise<boolean> {
  const row = await db.selectFrom("circle_series").select("circle_id").where("chat_id", "=", chatId).executeTakeFirst();
  return row !== undefined;
}

export async function findMeetingLink(db: Db, tenantId: string, chatId: string) {
  return db.selectFrom("meeting_links").selectAll().where("tenant_id", "=", tenantId).where("chat_id", "=", chatId).executeTakeFirst();
}

export async function insertMeetingLink(db: Db, row: { tenantId: string; chatId: string; circleId: string; linkedBy: string; now: string }): Promise<void> {
  await db
    .insertInto("meeting_links")
    .values({ tenant_id: row.tenantId, chat_id: row.chatId, circle_id: row.circleId, linked_by: row.linkedBy, created_at: row.now })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export interface RunRecord {
  id: string;
  circleId: string;
  tenantId: string;
  occurrenceDate: string;
  chatId: string | null;
  meetingId: string | null;
  state: RunState;
}

type RunRow = { id: string; circle_id: string; tenant_id: string; occurrence_date: string; chat_id: string | null; meeting_id: string | null; state: string };

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    circleId: row.circle_id,
    tenantId: row.tenant_id,
    occurrenceDate: row.occurrence_date,
    chatId: row.chat_id,
    meetingId: row.meeting_id,
    state: RunStateSchema.parse(JSON.parse(row.state)),
  };
}

const RUN_COLUMNS = ["id", "circle_id", "tenant_id", "occurrence_date", "chat_id", "meeting_id", "state"] as const;

export async function findRun(db: Db, sessionId: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom("session_runs").select(RUN_COLUMNS).where("id", "=", sessionId).executeTakeFirst();
  return row ? toRunRecord(row) : undefined;
}

export async function findRunByOccurrence(db: Db, circleId: string, occurrenceDate: string): Promise<RunRecord | undefined> {
  const row = await db.selectFrom("session_runs").select(RUN_COLUMNS).where("circle_id", "=", circleId).where("occurrence_date", "=", occurrenceDate).executeTakeFirst();
  return row ? toRunRecord(row) : undefined;
}

/** Inserts the run unless one exists for that circle and date (two members opening at once). */
export async function insertRunIfAbsent(db: Db, run: RunRecord, now: string): Promise<void> {
  await db
    .insertInto("session_runs")
    .values({
      id: run.id,
      circle_id: run.circleId,
      tenant_id: run.tenantId,
      occurrence_date: run.occurrenceDate,
      chat_id: run.chatId,
      meeting_id: run.meetingId,
      version: run.state.version,
      state: JSON.stringify(run.state),
      roles: JSON.stringify(run.state.roles),
      status: run.state.status,
      created_at: now,
      updated_at: now,
    })
    .onConflict((oc) => oc.columns(["circle_id", "occurrence_date"]).doNothing())
    .execute();
}

/** Remembers the meeting chat of a run that was created without one. */
export async function setRunChat(db: Db, sessionId: string, chatId: string, meetingId: string | null): Promise<void> {
  await db.updateTable("session_runs").set({ chat_id: chatId, meeting_id: meetingId }).where("id", "=", sessionId).where("chat_id", "is", null).execute();
}

/** One applied intent to store: the run's next state and the intent-log row. */
export interface AppliedIntent {
  sessionId: string;
  /** The version the state was computed from; the write only happens if the row is still there. */
  fromVersion: number;
  state: RunState;
  /** JSON.stringify(state), when the caller has it already (the live path serialises each state once). */
  stateJson?: string;
  actorId: string;
  intentType: string;
  payload: unknown;
  /** ISO instant. */
  now: string;
}

/**
 * Sessions per statement. Each takes 11 parameters in the UPDATE and 6 in the INSERT, well under
 * SQLite's 32,766 and PostgreSQL's 65,535.
 */
const SAVE_CHUNK = 100;

/**
 * Stores several applied intents (of different sessions, at most one per session) in one
 * transaction: group commit, so a busy instance pays one commit for many intents. Each run's write
 * is conditional on the version it was computed from (optimistic concurrency, so two API instances
 * can never both apply an intent on the same version); only the intents whose write went through
 * are logged.
 *
 * This is the live session's hot path (bench/session-fanout), so it is two hand-written statements
 * per chunk, portable across SQLite and PostgreSQL, rather than a query built per intent: one
 * UPDATE … CASE over every run of the chunk (RETURNING the ids it updated) and one multi-row INSERT.
 * @returns per input, whether it was stored (false: the stored version moved on; nothing written for it).
 */
export async function saveAppliedIntents(db: Db, batch: readonly AppliedIntent[]): Promise<boolean[]> {
  if (batch.length === 0) return [];
  const postgres = storageEngineOf(db) === "postgres";
  return db.transaction().execute(async (trx) => {
    const stored = new Set<string>();
    for (let from = 0; from < batch.length; from += SAVE_CHUNK) {
      const chunk = batch.slice(from, from + SAVE_CHUNK);
      const update = runUpdateStatement(chunk);
      const result = await trx.executeQuery<{ id: string }>(CompiledQuery.raw(postgres ? numbered(update.sql) : update.sql, update.parameters));
      for (const row of result.rows) stored.add(row.id);
      const logged = chunk.filter((input) => stored.has(input.sessionId));
      if (logged.length === 0) continue;
      const insert = intentInsertStatement(logged);
      await trx.executeQuery(CompiledQuery.raw(postgres ? numbered(insert.sql) : insert.sql, insert.parameters));
    }
    return batch.map((input) => stored.has(input.sessionId));
  });
}

/** UPDATE of every run in `chunk` whose stored version is still the one its intent was applied to. */
function runUpdateStatement(chunk: readonly AppliedIntent[]): { sql: string; parameters: unknown[] } {
  const parameters: unknown[] = [];
  const whenThen = (value: (input: AppliedIntent) => unknown, cast = "") =>
    `CASE id ${chunk
      .map((input) => {
        parameters.push(input.sessionId, value(input));
        return cast ? `WHEN ? THEN CAST(? AS ${cast})` : "WHEN ? THEN ?";
      })
      .join(" ")} END`;
  const set = [
    `state = ${whenThen((i) => i.stateJson ?? JSON.stringify(i.state))}`,
    `version = ${whenThen((i) => i.state.version, "integer")}`,
    `roles = ${whenThen((i) => JSON.stringify(i.state.roles))}`,
    `status = ${whenThen((i) => i.state.status)}`,
    `updated_at = ${whenThen((i) => i.now)}`,
  ].join(", ");
  const expected = whenThen((i) => i.fromVersion, "integer");
  for (const input of chunk) parameters.push(input.sessionId);
  return { sql: `UPDATE session_runs SET ${set} WHERE version = ${expected} AND id IN (${chunk.map(() => "?").join(", ")}) RETURNING id`, parameters };
}

function intentInsertStatement(rows: readonly AppliedIntent[]): { sql: string; parameters: unknown[] } {
  const parameters = rows.flatMap((i) => [i.sessionId, i.state.version, i.actorId, i.intentType, JSON.stringify(i.payload), i.now]);
  return { sql: `INSERT INTO session_intents (session_id, version, actor_id, type, payload, created_at) VALUES ${rows.map(() => "(?, ?, ?, ?, ?, ?)").join(", ")}`, parameters };
}

/** `?` placeholders as PostgreSQL's `$1, $2 …` (the statements above hold no other question marks). */
function numbered(sql: string): string {
  let n = 0;
  return sql.replace(/\?/g, () => `$${++n}`);
}

/** Stores one applied intent (see saveAppliedIntents). @returns false when the stored version moved on. */
export async function saveAppliedIntent(db: Db, input: AppliedIntent): Promise<boolean> {
  const [stored] = await saveAppliedIntents(db, [input]);
  return stored === true;
}

/** Roles of the circle's earlier sessions, oldest first (the rotation's history). */
export async function listPastRoles(db: Db, circleId: string, beforeDate: string): Promise<RoleAssignment[]> {
  const rows = await db
    .selectFrom("session_runs")
    .select("roles")
    .where("circle_id", "=", circleId)
    .where("occurrence_date", "<", beforeDate)
    .orderBy("occurrence_date")
    .execute();
  return rows.map((r) => RoleAssignmentSchema.parse(JSON.parse(r.roles)));
}

/** Seconds each member spoke across the circle's earlier sessions (for "quieter voices not last"). */
export async function sumPastAirtime(db: Db, circleId: string, beforeDate: string): Promise<Record<string, number>> {
  const rows = await db.selectFrom("session_runs").select("state").where("circle_id", "=", circleId).where("occurrence_date", "<", beforeDate).execute();
  const total: Record<string, number> = {};
  for (const row of rows) {
    const state = RunStateSchema.parse(JSON.parse(row.state));
    for (const [id, seconds] of Object.entries(state.airtime)) total[id] = (Object.hasOwn(total, id) ? total[id]! : 0) + seconds;
  }
  return total;
}

// --- stream tickets -----------------------------------------------------------------------

export async function insertStreamTicket(db: Db, row: { hash: string; sessionId: string; tenantId: string; userId: string; expiresAt: string; now: string }): Promise<void> {
  // Expired tickets are worthless; sweep them while we are here (indexed on expires_at).
  await db.deleteFrom("session_stream_tickets").where("expires_at", "<", row.now).execute();
  await db
    .insertInto("session_stream_tickets")
    .values({ ticket_hash: row.hash, session_id: row.sessionId, tenant_id: row.tenantId, user_id: row.userId, expires_at: row.expiresAt, used_at: null })
    .execute();
}

/** Marks the ticket used and returns whom it was for; undefined when unknown, used or expired. */
export async function consumeStreamTicket(db: Db, hash: string, now: string): Promise<{ sessionId: string; tenantId: string; userId: string } | undefined> {
  const result = await db
    .updateTable("session_stream_tickets")
    .set({ used_at: now })
    .where("ticket_hash", "=", hash)
    .where("used_at", "is", null)
    .where("expires_at", ">", now)
    .executeTakeFirst();
  if (Number(result.numUpdatedRows) !== 1) return undefined;
  const row = await db.selectFrom("session_stream_tickets").select(["session_id", "tenant_id", "user_id"]).where("ticket_hash", "=", hash).executeTakeFirstOrThrow();
  return { sessionId: row.session_id, tenantId: row.tenant_id, userId: row.user_id };
}

// --- notes --------------------------------------------------------------------------------

export type NoteVisibility = "private" | "circle";

export async function insertNote(db: Db, row: { id: string; sessionId: string; authorId: string; visibility: NoteVisibility; text: string; now: string }): Promise<void> {
  await db
    .insertInto("session_notes")
    .values({ id: row.id, session_id: row.sessionId, author_id: row.authorId, visibility: row.visibility, text: row.text, created_at: row.now })
    .execute();
}

/**
 * Circle notes of the session plus the reader's own private notes; never anyone else's private notes.
 * @param createdAfter only notes written after this instant (ISO), for a reconnecting stream.
 */
export async function listNotesVisibleTo(db: Db, sessionId: string, readerId: string, createdAfter?: string) {
  let query = db
    .selectFrom("session_notes")
    .selectAll()
    .where("session_id", "=", sessionId)
    .where((eb) => eb.or([eb("visibility", "=", "circle"), eb("author_id", "=", readerId)]));
  if (createdAfter !== undefined) query = query.where("created_at", ">", createdAfter);
  return query
    .orderBy("created_at")
    .orderBy("id")
    .execute();
}

/** When the session's newest note was written (ISO), or undefined before its first note. */
export async function findLatestNoteAt(db: Db, sessionId: string): Promise<string | undefined> {
  const row = await db.selectFrom("session_notes").select((eb) => eb.fn.max("created_at").as("latest")).where("session_id", "=", sessionId).executeTakeFirst();
  return row?.latest ?? undefined;
}
