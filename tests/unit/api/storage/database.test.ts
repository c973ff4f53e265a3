import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, readBool, storageEngineOf, toDbBool, type Db, type NewCircleRow } from "../../../../api/storage";
import { forEachEngine } from "../../../fixtures/engines";

const NOW = "2025-03-03T09:00:00.000Z";

function circle(overrides: Partial<NewCircleRow> = {}): NewCircleRow {
  return {
    id: randomUUID(),
    tenant_id: "tenant-a",
    name: "Leading through change",
    purpose: "Peer coaching for new managers",
    charter: JSON.stringify({ confidentiality: true }),
    format_id: "troika",
    cadence: "biweekly",
    session_minutes: 60,
    session_count: 6,
    time_zone: "Europe/Berlin",
    rotate_roles: toDbBool(true),
    organizer_id: "user-1",
    created_at: NOW,
    updated_at: NOW,
    ...overrides,
  };
}

describe("storage", () => {
  forEachEngine((ctx) => {
    it("reports which engine it talks to", () => {
      expect(storageEngineOf(ctx.db)).toBe(ctx.engine);
    });

    it("runs migrations once: running them again applies nothing", async () => {
      const schema = ctx.engine === "postgres" ? await currentSchema(ctx.db) : undefined;
      await expect(migrateToLatest(ctx.database, { schema })).resolves.toEqual([]);
    });

    it("round-trips a circle with its booleans and JSON charter", async () => {
      const row = circle({ rotate_roles: toDbBool(false) });
      await ctx.db.insertInto("circles").values(row).execute();
      const read = await ctx.db.selectFrom("circles").selectAll().where("id", "=", row.id).executeTakeFirstOrThrow();
      expect(readBool(read.rotate_roles)).toBe(false);
      expect(JSON.parse(read.charter)).toEqual({ confidentiality: true });
      expect(read.session_minutes).toBe(60);
    });

    it("enforces foreign keys and removes members with their circle", async () => {
      const row = circle();
      await ctx.db.insertInto("circles").values(row).execute();
      await ctx.db
        .insertInto("circle_members")
        .values({ circle_id: row.id, user_id: "u1", upn: "u1@contoso.example", display_name: "U One", role: "member", joined_at: NOW, left_at: null })
        .execute();
      await expect(
        ctx.db
          .insertInto("circle_members")
          .values({ circle_id: randomUUID(), user_id: "u1", upn: "u1@contoso.example", display_name: "U One", role: "member", joined_at: NOW, left_at: null })
          .execute(),
      ).rejects.toThrow();
      await ctx.db.deleteFrom("circles").where("id", "=", row.id).execute();
      const left = await ctx.db.selectFrom("circle_members").select("user_id").where("circle_id", "=", row.id).execute();
      expect(left).toEqual([]);
    });

    it("rejects a second user row for the same tenant and object id", async () => {
      const user = { tenant_id: "tenant-a", id: "oid-1", upn: "a@contoso.example", display_name: "A", time_zone: "UTC", first_seen_at: NOW };
      await ctx.db.insertInto("users").values(user).execute();
      await expect(ctx.db.insertInto("users").values(user).execute()).rejects.toThrow();
    });

    it("stores jobs with default progress and attempts", async () => {
      const id = randomUUID();
      await ctx.db.insertInto("jobs").values({ id, type: "book-series", status: "queued", payload: "{}", progress_total: null, error: null, run_after: NOW, locked_by: null, locked_until: null, created_at: NOW, updated_at: NOW }).execute();
      const job = await ctx.db.selectFrom("jobs").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
      expect(job).toMatchObject({ status: "queued", progress_done: 0, attempts: 0 });
    });
  });
});

async function currentSchema(db: Db): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]?.schema ?? "public";
}
