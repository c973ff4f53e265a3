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
  /** Last day of the series (YYYY-MM-DD, circle zone, inclusive) when it ends on a date; null = after session_count sessions (migration 014). */
  ends_on: ColumnType<string | null, string | null | undefined, string | null>;
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
  /** The member's own IANA zone as last learned (migration 003); null until known. */
  time_zone: string | null;
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

/** A format someone copied and edited (migration 003); built-in formats live in code. */
export interface FormatsTable {
  /** Kebab-case, unique across the tenant's copies and never a built-in id. */
  id: string;
  tenant_id: string;
  /** Entra object id of the person who copied it: only they may edit it. */
  owner_id: string;
  /** The format it was copied from. */
  based_on: string;
  /** FormatSchema as JSON text. */
  definition: JsonText;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** One live session run (migration 005): RunState as JSON, `version` mirrors state.version. */
export interface SessionRunsTable {
  id: string;
  circle_id: string;
  tenant_id: string;
  /** The session's local date in the circle's zone, YYYY-MM-DD. */
  occurrence_date: string;
  chat_id: string | null;
  meeting_id: string | null;
  version: number;
  state: JsonText;
  /** RoleAssignment as JSON (rotation history). */
  roles: JsonText;
  status: string;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

export interface SessionIntentsTable {
  session_id: string;
  version: number;
  actor_id: string;
  type: string;
  payload: JsonText;
  created_at: IsoInstant;
}

export interface MeetingLinksTable {
  tenant_id: string;
  chat_id: string;
  circle_id: string;
  linked_by: string;
  created_at: IsoInstant;
}

export interface SessionStreamTicketsTable {
  ticket_hash: string;
  session_id: string;
  tenant_id: string;
  user_id: string;
  expires_at: IsoInstant;
  used_at: IsoInstant | null;
}

export interface SessionNotesTable {
  id: string;
  session_id: string;
  author_id: string;
  /** "private" (author only) or "circle" (members). */
  visibility: string;
  text: string;
  created_at: IsoInstant;
}

export interface CommitmentsTable {
  id: string;
  circle_id: string;
  session_id: string;
  owner_id: string;
  action: string;
  /** YYYY-MM-DD. */
  due_date: string;
  signal: string;
  support_wanted: string | null;
  chat_message_id: string | null;
  todo_list_id: string | null;
  todo_task_id: string | null;
  /** done | partly | notDone | changed, once reviewed. */
  review_status: string | null;
  review_learning: string | null;
  reviewed_in_session_id: string | null;
  reviewed_at: IsoInstant | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** A member's one insight of a session (migration 007): private to its author. */
export interface SessionInsightsTable {
  id: string;
  session_id: string;
  author_id: string;
  text: string;
  /** program_insights.id of the anonymised copy while the author shares it; null = private. */
  shared_copy_id: string | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** An insight shared with the program by its author's opt-in (migration 007): anonymised, no author, circle or session. */
export interface ProgramInsightsTable {
  id: string;
  tenant_id: string;
  text: string;
  /** YYYY-MM-DD (UTC): the day only. */
  shared_on: string;
}

/** One-tap usefulness pulse, 1–5, per member per session (migration 007). */
export interface SessionPulsesTable {
  session_id: string;
  member_id: string;
  rating: number;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** The series a circle is booked as (migration 004; team storage contract). */
export interface CircleSeriesTable {
  circle_id: string;
  /** Series master id in the organiser's mailbox; null while the booking has not created it. */
  event_id: string | null;
  ical_uid: string | null;
  organizer_id: string;
  online_meeting_id: string | null;
  join_web_url: string | null;
  chat_id: string | null;
  /** IANA zone the series is anchored in. */
  time_zone: string;
  /** First session, ISO 8601 with the zone's offset. */
  first_start: string;
  transaction_id: string;
  /** 'booking' | 'booked' | 'cancelled'. */
  status: string;
  job_id: string | null;
  generation: ColumnType<number, number | undefined, number>;
  /** JSON: the occurrences a rotation booking moves to its alternate slots; null for one slot (migration 014). */
  rotation: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** One recorded step of a durable job (migration 004). */
export interface JobStepsTable {
  job_id: string;
  name: string;
  position: number;
  label: string;
  /** 'pending' | 'running' | 'done' | 'failed'. */
  status: string;
  attempts: ColumnType<number, number | undefined, number>;
  /** What the step produced (JSON), for the steps after it. */
  output: JsonText | null;
  error: string | null;
  updated_at: IsoInstant;
}

/** A member's protected-time settings for one circle (migration 006); no row = defaults. */
export interface ProtectedTimeSettingsTable {
  circle_id: string;
  user_id: string;
  tenant_id: string;
  opt_out: DbBool;
  prep_minutes: number;
  reflection_minutes: number;
  updated_at: IsoInstant;
}

/** A prep or reflection block on a member's calendar (migration 006). */
export interface ProtectedTimeBlocksTable {
  circle_id: string;
  user_id: string;
  tenant_id: string;
  /** The session's original start (UTC ISO): stable when the session moves. */
  occurrence_key: string;
  /** 'prep' | 'reflection'. */
  kind: string;
  /** Event id in the member's own mailbox. */
  event_id: string;
  series_ical_uid: string | null;
  start_at: IsoInstant;
  end_at: IsoInstant;
  updated_at: IsoInstant;
}

/** A series (by iCalUId) a circle was booked as (migration 006): earlier ones survive a split. */
export interface ProtectedTimeSeriesTable {
  circle_id: string;
  ical_uid: string;
  recorded_at: IsoInstant;
}

/** A Graph change-notification subscription on a member's events (migration 008). */
export interface GraphSubscriptionsTable {
  id: string;
  tenant_id: string;
  user_id: string;
  resource: string;
  /** SHA-256 hex of the clientState secret. */
  client_state_hash: string;
  expires_at: IsoInstant;
  /** 'active' | 'removed'. */
  status: string;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** A protected block a meeting landed on (migration 008): "protected vs overridden". */
export interface ProtectedTimeOverridesTable {
  circle_id: string;
  user_id: string;
  tenant_id: string;
  occurrence_key: string;
  kind: string;
  event_id: string;
  block_start_at: IsoInstant;
  block_end_at: IsoInstant;
  overridden_at: IsoInstant;
  nudged_at: IsoInstant | null;
}

/** A member declined one session or the whole series (migration 015). */
export interface SessionDeclinesTable {
  circle_id: string;
  user_id: string;
  tenant_id: string;
  /** Slot (original start) of the session, or 'series'. */
  occurrence_key: string;
  /** 'occurrence' | 'series'. */
  scope: string;
  session_start_at: IsoInstant;
  declined_at: IsoInstant;
  withdrawn_at: IsoInstant | null;
  released_blocks: number;
  nudged_at: IsoInstant | null;
}

/** The member's copy of a circle's series was on their calendar (migration 015). */
export interface MemberSeriesCopiesTable {
  circle_id: string;
  user_id: string;
  tenant_id: string;
  ical_uid: string;
  seen_at: IsoInstant;
}

/** A person's switch for one kind of nudge (migration 008); no row = on. */
export interface NudgeSettingsTable {
  tenant_id: string;
  user_id: string;
  kind: string;
  enabled: DbBool;
  updated_at: IsoInstant;
}

/** A scheduled nudge claimed or sent (migration 011); the primary key makes each one happen once. */
export interface NudgeDeliveriesTable {
  tenant_id: string;
  user_id: string;
  circle_id: string;
  /** Session start (UTC ISO) the nudge is about. */
  occurrence_key: string;
  kind: string;
  due_at: IsoInstant;
  /** 'claimed' | 'sent' | 'switchedOff' | 'failed'. */
  status: string;
  claimed_at: IsoInstant;
  finished_at: IsoInstant | null;
  error: string | null;
}

/** A program (migration 009): owner, settings and the draft of formed circles. */
export interface ProgramsTable {
  id: string;
  tenant_id: string;
  owner_id: string;
  purpose: string;
  duration_weeks: number;
  /** JSON array of format ids. */
  format_ids: JsonText;
  /** JSON: "pairs" or { min, max }. */
  size: JsonText;
  /** JSON draft of formed circles; null until formed. */
  draft: JsonText | null;
  cohort_job_id: string | null;
  created_at: IsoInstant;
  updated_at: IsoInstant;
}

/** A person enrolled in a program's pool (migration 009). */
export interface ProgramEnrolmentsTable {
  program_id: string;
  user_id: string;
  upn: string;
  display_name: string;
  enrolled_at: IsoInstant;
}

/** A draft circle of a program that has been created as a circle (migration 009). */
export interface ProgramCirclesTable {
  program_id: string;
  position: number;
  circle_id: string;
  job_id: string | null;
  created_at: IsoInstant;
}

/** One attendance report of a circle's Teams meeting (migration 012). */
export interface AttendanceReportsTable {
  circle_id: string;
  report_id: string;
  tenant_id: string;
  meeting_start_at: IsoInstant;
  meeting_end_at: IsoInstant;
  total_participant_count: number;
  fetched_at: IsoInstant;
}

/** How long one member attended one report's session (migration 012); members only. */
export interface AttendanceRecordsTable {
  circle_id: string;
  report_id: string;
  user_id: string;
  seconds: number;
}

/** When a circle's attendance reports were last read, and from which meeting (migration 012). */
export interface AttendanceChecksTable {
  circle_id: string;
  tenant_id: string;
  online_meeting_id: string | null;
  /** 'ok' | 'unavailable'. */
  status: string;
  checked_at: IsoInstant;
}

/** Every table, keyed by name: `Kysely<Tables>`. */
export interface Tables {
  users: UsersTable;
  circles: CirclesTable;
  circle_members: CircleMembersTable;
  jobs: JobsTable;
  circle_series: CircleSeriesTable;
  job_steps: JobStepsTable;
  formats: FormatsTable;
  session_runs: SessionRunsTable;
  session_intents: SessionIntentsTable;
  meeting_links: MeetingLinksTable;
  session_stream_tickets: SessionStreamTicketsTable;
  session_notes: SessionNotesTable;
  commitments: CommitmentsTable;
  session_insights: SessionInsightsTable;
  program_insights: ProgramInsightsTable;
  session_pulses: SessionPulsesTable;
  protected_time_settings: ProtectedTimeSettingsTable;
  protected_time_blocks: ProtectedTimeBlocksTable;
  protected_time_series: ProtectedTimeSeriesTable;
  graph_subscriptions: GraphSubscriptionsTable;
  programs: ProgramsTable;
  program_enrolments: ProgramEnrolmentsTable;
  program_circles: ProgramCirclesTable;
  protected_time_overrides: ProtectedTimeOverridesTable;
  nudge_settings: NudgeSettingsTable;
  attendance_reports: AttendanceReportsTable;
  attendance_records: AttendanceRecordsTable;
  attendance_checks: AttendanceChecksTable;
  nudge_deliveries: NudgeDeliveriesTable;
  session_declines: SessionDeclinesTable;
  member_series_copies: MemberSeriesCopiesTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUserRow = Insertable<UsersTable>;
export type CircleRow = Selectable<CirclesTable>;
export type NewCircleRow = Insertable<CirclesTable>;
export type CircleUpdate = Updateable<CirclesTable>;
export type CircleMemberRow = Selectable<CircleMembersTable>;
export type NewCircleMemberRow = Insertable<CircleMembersTable>;
export type JobRow = Selectable<JobsTable>;
export type FormatRow = Selectable<FormatsTable>;
export type NewJobRow = Insertable<JobsTable>;
export type CircleSeriesRow = Selectable<CircleSeriesTable>;
export type JobStepRow = Selectable<JobStepsTable>;
export type ProtectedTimeSettingsRow = Selectable<ProtectedTimeSettingsTable>;
export type ProtectedTimeBlockRow = Selectable<ProtectedTimeBlocksTable>;
export type GraphSubscriptionRow = Selectable<GraphSubscriptionsTable>;
export type ProtectedTimeOverrideRow = Selectable<ProtectedTimeOverridesTable>;
export type SessionDeclineRow = Selectable<SessionDeclinesTable>;

export function toDbBool(value: boolean): 0 | 1 {
  return value ? 1 : 0;
}

export function readBool(value: SqlBool): boolean {
  return value === true || value === 1;
}

// Generated is re-exported for later tables with database-assigned keys.
export type { Generated };
