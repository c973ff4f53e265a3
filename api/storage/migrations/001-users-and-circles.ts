import type { Kysely } from "kysely";

// Migrations see the database as it was then, not today's table types: hence Kysely<unknown>.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("users")
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("upn", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("time_zone", "text")
    .addColumn("first_seen_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("users_pk", ["tenant_id", "id"])
    .execute();

  await db.schema
    .createTable("circles")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("tenant_id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("purpose", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("charter", "text", (c) => c.notNull().defaultTo("{}"))
    .addColumn("format_id", "text", (c) => c.notNull())
    .addColumn("cadence", "text", (c) => c.notNull())
    .addColumn("session_minutes", "integer", (c) => c.notNull())
    .addColumn("session_count", "integer", (c) => c.notNull())
    .addColumn("time_zone", "text", (c) => c.notNull())
    .addColumn("rotate_roles", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("organizer_id", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("circles_tenant_idx").on("circles").column("tenant_id").execute();

  await db.schema
    .createTable("circle_members")
    .addColumn("circle_id", "text", (c) => c.notNull().references("circles.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("upn", "text", (c) => c.notNull())
    .addColumn("display_name", "text", (c) => c.notNull())
    .addColumn("role", "text", (c) => c.notNull().defaultTo("member"))
    .addColumn("joined_at", "text", (c) => c.notNull())
    .addColumn("left_at", "text")
    .addPrimaryKeyConstraint("circle_members_pk", ["circle_id", "user_id"])
    .execute();
  // "My circles" looks members up by user.
  await db.schema.createIndex("circle_members_user_idx").on("circle_members").column("user_id").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("circle_members").execute();
  await db.schema.dropTable("circles").execute();
  await db.schema.dropTable("users").execute();
}
