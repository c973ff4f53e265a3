import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { insertRunIfAbsent, saveAppliedIntents, findRun, type AppliedIntent } from "../../../../api/sessions/repository";
import { createRunState } from "../../../../api/sessions/run-state";
import type { RunState } from "../../../../api/sessions/schemas";
import { toDbBool } from "../../../../api/storage";
import { forEachEngine } from "../../../fixtures/engines";

/** The live session's group commit against both engines: conditional per run, one transaction for many. */
describe("saveAppliedIntents", () => {
  forEachEngine((ctx) => {
    const runs: string[] = [];
    const roles = { facilitator: "u1", caseOwner: "u2", timekeeper: null, observer: null, coaches: [] };
    const now = "2030-03-04T10:00:00.000Z";

    beforeAll(async () => {
      const circleId = randomUUID();
      await ctx.db
        .insertInto("circles")
        .values({ id: circleId, tenant_id: "t", name: "C", purpose: "", charter: "[]", format_id: "coaching-circle", cadence: "weekly", session_minutes: 60, session_count: 6, time_zone: "UTC", rotate_roles: toDbBool(true), organizer_id: "u1", created_at: now, updated_at: now })
        .execute();
      for (let i = 0; i < 130; i++) {
        const id = randomUUID();
        runs.push(id);
        const state = createRunState({ sessionId: id, segments: [{ id: "a", name: "check-in", minutes: 5 }, { id: "b", name: "close", minutes: 5 }], roles });
        await insertRunIfAbsent(ctx.db, { id, circleId, tenantId: "t", occurrenceDate: `2030-01-01+${i}`, chatId: null, meetingId: null, state }, now);
      }
    });

    const next = (state: RunState, change: Partial<RunState>, actorId = "u1"): AppliedIntent => ({
      sessionId: state.sessionId,
      fromVersion: state.version,
      state: { ...state, ...change, version: state.version + 1 },
      actorId,
      intentType: "start",
      payload: { type: "start", note: "it's \"quoted\" and has a ? mark" },
      now,
    });

    it("stores every run of a large batch with its intent-log row, in one call", async () => {
      const batch: AppliedIntent[] = [];
      for (const id of runs) batch.push(next((await findRun(ctx.db, id))!.state, { status: "running", segmentStartedAt: 1_000 }));
      expect(await saveAppliedIntents(ctx.db, batch)).toEqual(runs.map(() => true));
      const reread = (await findRun(ctx.db, runs[129]!))!;
      expect(reread.state).toMatchObject({ version: 1, status: "running", segmentStartedAt: 1_000 });
      const row = await ctx.db.selectFrom("session_runs").select(["version", "status", "roles"]).where("id", "=", runs[0]!).executeTakeFirstOrThrow();
      expect({ version: Number(row.version), status: row.status, roles: JSON.parse(row.roles) as unknown }).toEqual({ version: 1, status: "running", roles });
      const logged = await ctx.db.selectFrom("session_intents").selectAll().where("session_id", "=", runs[0]!).execute();
      expect(logged.map((l) => ({ version: Number(l.version), actor: l.actor_id, type: l.type, payload: JSON.parse(l.payload) as unknown }))).toEqual([
        { version: 1, actor: "u1", type: "start", payload: { type: "start", note: "it's \"quoted\" and has a ? mark" } },
      ]);
    });

    it("skips only the runs whose stored version moved on (another instance wrote first), and logs nothing for them", async () => {
      const [a, b, c] = await Promise.all(runs.slice(0, 3).map(async (id) => (await findRun(ctx.db, id))!.state));
      const stale = { ...b!, version: 0 };
      const result = await saveAppliedIntents(ctx.db, [next(a!, { status: "paused", pausedAt: 2_000 }), next(stale, { status: "ended" }, "intruder"), next(c!, { status: "paused", pausedAt: 2_000 })]);
      expect(result).toEqual([true, false, true]);
      expect((await findRun(ctx.db, runs[1]!))!.state).toMatchObject({ version: 1, status: "running" });
      expect((await findRun(ctx.db, runs[0]!))!.state).toMatchObject({ version: 2, status: "paused", pausedAt: 2_000 });
      const intruder = await ctx.db.selectFrom("session_intents").select("actor_id").where("actor_id", "=", "intruder").execute();
      expect(intruder).toEqual([]);
    });
  });
});
