import { randomUUID } from "node:crypto";
import type { Db } from "../storage";

// The close of a session (migration 007): insights and the usefulness pulse.

export interface InsightRecord {
  text: string;
  shared: boolean;
  createdAt: string;
  updatedAt: string;
}

/** The author's own insight of the session; nobody else's is ever read here. */
export async function findMyInsight(db: Db, sessionId: string, authorId: string): Promise<InsightRecord | undefined> {
  const row = await db
    .selectFrom("session_insights")
    .select(["text", "shared_copy_id", "created_at", "updated_at"])
    .where("session_id", "=", sessionId)
    .where("author_id", "=", authorId)
    .executeTakeFirst();
  return row ? { text: row.text, shared: row.shared_copy_id !== null, createdAt: row.created_at, updatedAt: row.updated_at } : undefined;
}

/**
 * Writes the author's one insight of the session (a second write replaces the first). With
 * `share`, an anonymised copy goes to the program's library: text, tenant and day only, never the
 * author, circle or session. Without it, an earlier copy is withdrawn.
 */
export async function saveInsight(db: Db, input: { sessionId: string; authorId: string; tenantId: string; text: string; share: boolean; now: Date }): Promise<InsightRecord> {
  const now = input.now.toISOString();
  return db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("session_insights")
      .select(["id", "shared_copy_id", "created_at"])
      .where("session_id", "=", input.sessionId)
      .where("author_id", "=", input.authorId)
      .executeTakeFirst();
    let copyId = existing?.shared_copy_id ?? null;
    if (input.share && copyId) {
      await trx.updateTable("program_insights").set({ text: input.text }).where("id", "=", copyId).execute();
    } else if (input.share) {
      copyId = randomUUID();
      await trx.insertInto("program_insights").values({ id: copyId, tenant_id: input.tenantId, text: input.text, shared_on: now.slice(0, 10) }).execute();
    } else if (copyId) {
      await trx.deleteFrom("program_insights").where("id", "=", copyId).execute();
      copyId = null;
    }
    if (existing) {
      await trx.updateTable("session_insights").set({ text: input.text, shared_copy_id: copyId, updated_at: now }).where("id", "=", existing.id).execute();
    } else {
      await trx
        .insertInto("session_insights")
        .values({ id: randomUUID(), session_id: input.sessionId, author_id: input.authorId, text: input.text, shared_copy_id: copyId, created_at: now, updated_at: now })
        .execute();
    }
    return { text: input.text, shared: copyId !== null, createdAt: existing?.created_at ?? now, updatedAt: now };
  });
}

/** The member's pulse (1–5) for the session, if they gave one. */
export async function findMyPulse(db: Db, sessionId: string, memberId: string): Promise<{ rating: number; updatedAt: string } | undefined> {
  const row = await db.selectFrom("session_pulses").select(["rating", "updated_at"]).where("session_id", "=", sessionId).where("member_id", "=", memberId).executeTakeFirst();
  return row ? { rating: Number(row.rating), updatedAt: row.updated_at } : undefined;
}

/** Records the member's one-tap pulse; a second tap replaces the first. */
export async function savePulse(db: Db, input: { sessionId: string; memberId: string; rating: number; now: Date }): Promise<{ rating: number; updatedAt: string }> {
  const now = input.now.toISOString();
  await db
    .insertInto("session_pulses")
    .values({ session_id: input.sessionId, member_id: input.memberId, rating: input.rating, created_at: now, updated_at: now })
    .onConflict((oc) => oc.columns(["session_id", "member_id"]).doUpdateSet({ rating: input.rating, updated_at: now }))
    .execute();
  return { rating: input.rating, updatedAt: now };
}
