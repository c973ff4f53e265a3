import type { Kysely } from "kysely";

/**
 * The live session (issue #4): one versioned run per session, its intent log, meetings linked by
 * hand, stream tickets for server-sent events, notes and commitment cards.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  // One row per session (one occurrence of a circle's series). `state` is the whole RunState as
  // JSON; `version` mirrors state.version so a writer can update "where version = what I read".
  await db.schema
    .createTable("session_runs")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    // The session's local date in the circle's zone (YYYY-MM-DD): one run per circle per day.
    .addColumn("occurrence_date", "text", (c) => c.notNull())
    .addColumn("chat_id", "text")
    .addColumn("meeting_id", "text")
    .addColumn("version", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("state", "text", (c) => c.notNull())
    // Today's roles, kept apart from the state for the rotation history query.
    .addColumn("roles", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().defaultTo("notStarted"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("session_runs_occurrence_uq", ["circle_id", "occurrence_date"])
    .execute();

  // Every accepted intent, in order: an audit trail and a replay log for the run.
  await db.schema
    .createTable("session_intents")
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull())
    .addColumn("actor_id", "text", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("payload", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("session_intents_pk", ["session_id", "version"])
    .execute();

  // A meeting a member linked to their circle by hand (it was not booked through the app).
  await db.schema
    .createTable("meeting_links")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("chat_id", "text", (c) => c.notNull())
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("linked_by", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("meeting_links_pk", ["tenant_id", "chat_id"])
    .execute();

  // Short-lived, single-use tickets for EventSource (which cannot send an Authorization header).
  // Only a hash of the ticket is stored.
  await db.schema
    .createTable("session_stream_tickets")
    .addColumn("ticket_hash", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("session_stream_tickets_expiry_idx").on("session_stream_tickets").column("expires_at").execute();

  // visibility: "private" (author only) or "circle" (current members).
  await db.schema
    .createTable("session_notes")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("author_id", "text", (c) => c.notNull())
    .addColumn("visibility", "text", (c) => c.notNull())
    .addColumn("text", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("session_notes_session_idx").on("session_notes").column("session_id").execute();

  // One commitment card per member per session; reviewed at a later session.
  await db.schema
    .createTable("commitments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("session_id", "text", (c) => c.notNull().references("session_runs.id").onDelete("cascade"))
    .addColumn("owner_id", "text", (c) => c.notNull())
    .addColumn("action", "text", (c) => c.notNull())
    .addColumn("due_date", "text", (c) => c.notNull())
    .addColumn("signal", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("support_wanted", "text")
    .addColumn("chat_message_id", "text")
    .addColumn("todo_list_id", "text")
    .addColumn("todo_task_id", "text")
    .addColumn("review_status", "text")
    .addColumn("review_learning", "text")
    .addColumn("reviewed_in_session_id", "text")
    .addColumn("reviewed_at", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addUniqueConstraint("commitments_owner_session_uq", ["session_id", "owner_id"])
    .execute();
  await db.schema.createIndex("commitments_circle_idx").on("commitments").column("circle_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("commitments").execute();
  await db.schema.dropTable("session_notes").execute();
  await db.schema.dropTable("session_stream_tickets").execute();
  await db.schema.dropTable("meeting_links").execute();
  await db.schema.dropTable("session_intents").execute();
  await db.schema.dropTable("session_runs").execute();
}
