import type { ColumnType, Generated, Insertable, Selectable, SqlBool, Updateable } from "kysely";

/*
 * Table types for Kysely. Portable conventions, so one migration set serves SQLite and PostgreSQL:
 * - instants are ISO-8601 UTC strings (`Date.toISOString()`): they sort and compare as text;
 * - JSON is text (`JSON.stringify` in, zod-parse out in the repository);
 * - booleans are written as 0/1 (better-sqlite3 cannot bind `true`; PostgreSQL parses '1'/'0')
 *   and read back as 0/1 (SQLite) or true/false (PostgreSQL): use `readBool`.
 */

/** An ISO-8601 UTC instant stored as text. */
export type IsoInstant = string;
/** A boolean column: write `toDbBool(x)`, read with `readBool(x)`. */
export type DbBool = ColumnType<SqlBool, 0 | 1, 0 | 1>;
/** A JSON document stored as text. */
export type JsonText = string;

export interface UsersTable {
  tenant_id: string;
  /** Entra object id. */
  id: string;
  upn: string;
  display_name: string;
  /** IANA zone. */
  time_zone: string | null;
  first_seen_at: IsoInstant;
}

export interface CirclesTable {
  /** UUID (text). */
  id: string;
  tenant_id: string;
  name: string;
  purpose: string;
  charter: JsonText;
  format_id: string;
  /** e.g. "weekly", "biweekly", "monthly". */
  cadence: string;
  session_minutes: number;
  session_count: number;
  /** IANA zone the series is anchored in. */
  time_zone: string;
  rotate_roles: DbBool;
  organizer_id: string;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface CircleMembersTable {
  circle_id: string;
  user_id: string;
  upn: string;
  display_name: string;
  /** e.g. "organizer", "member". */
  role: string;
  joined_at: IsoInstant;
  /** Null while the person is a current member. */
  left_at: IsoInstant | null;
}

export type JobStatus = "queued" | "running" | "succeeded" | "failed" | "cancelled";

export interface JobsTable {
  id: string;
  type: string;
  status: JobStatus;
  payload: JsonText;
  progress_done: ColumnType<number, number | undefined, number>;
  progress_total: number | null;
  error: string | null;
  attempts: ColumnType<number, number | undefined, number>;
  run_after: IsoInstant;
  locked_by: string | null;
  locked_until: IsoInstant | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** Every table, keyed by name: `Kysely<Tables>`. */
export interface Tables {
  users: UsersTable;
  circles: CirclesTable;
  circle_members: CircleMembersTable;
  jobs: JobsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type CircleRow = Selectable<CirclesTable>;
export type NewCircleRow = Insertable<CirclesTable>;
export type CircleUpdate = Updateable<CirclesTable>;
export type CircleMemberRow = Selectable<CircleMembersTable>;
export type NewCircleMemberRow = Insertable<CircleMembersTable>;
export type JobRow = Selectable<JobsTable>;
export type NewJobRow = Insertable<JobsTable>;

export function toDbBool(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

export function readBool(value: SqlBool): boolean {
  return value === true || value === 1;
}

// Generated is re-exported for later tables with database-assigned keys.
export type { Generated };
