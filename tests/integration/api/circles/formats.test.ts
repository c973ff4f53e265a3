import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { forEachEngine } from "../../../fixtures/engines";
import { ALEX, MEGAN, PRIYA, as, startSandboxStack, type SandboxStack } from "./sandbox-stack";

const NOW = new Date("2026-03-02T09:00:00.000Z");
let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack({ now: NOW });
});
afterAll(async () => {
  await stack?.close();
});

interface FormatBody {
  id: string;
  name: string;
  builtIn: boolean;
  basedOn?: string;
  defaultMinutes: number;
  segments: Array<{ id: string; name: string; minutes: number; purpose: string }>;
}

forEachEngine((ctx) => {
  let app: Express;
  beforeAll(() => {
    app = stack.appFor(ctx.db);
  });

  describe("formats", () => {
    it("lists the seven built-in formats", async () => {
      const res = await as(stack, app, MEGAN).get("/api/formats");
      expect(res.status).toBe(200);
      const formats = res.body.formats as FormatBody[];
      expect(formats.filter((f) => f.builtIn).map((f) => f.name)).toEqual([
        "Coaching circle",
        "Intent · Exploration · Experiment",
        "GROW for equals",
        "SBI + feedforward",
        "Action learning set",
        "Micro-session",
        "First session",
      ]);
    });

    it("copies a format with edited segments for its owner only, who can edit it and use it; others cannot see or edit it", async () => {
      const copied = await as(stack, app, MEGAN).post("/api/formats", {
        fromFormatId: "micro-session",
        name: "Micro-session (long debrief)",
        segments: [
          { id: "intention", name: "intention", minutes: 3 },
          { id: "practise-one-skill", name: "practise one skill", minutes: 12 },
          { id: "debrief", name: "long debrief", minutes: 12 },
        ],
      });
      expect(copied.status).toBe(201);
      const copy = copied.body as FormatBody;
      expect(copy).toMatchObject({ name: "Micro-session (long debrief)", builtIn: false, basedOn: "micro-session", defaultMinutes: 27 });
      expect(copy.id).not.toBe("micro-session");
      // Kept segments inherit their purpose.
      expect(copy.segments[2]).toMatchObject({ id: "debrief", name: "long debrief", minutes: 12, purpose: expect.stringMatching(/observations/) });

      const mine = (await as(stack, app, MEGAN).get("/api/formats")).body.formats as FormatBody[];
      expect(mine.map((f) => f.id)).toContain(copy.id);
      const theirs = (await as(stack, app, ALEX).get("/api/formats")).body.formats as FormatBody[];
      expect(theirs.map((f) => f.id)).not.toContain(copy.id);

      const edited = await as(stack, app, MEGAN).patch(`/api/formats/${copy.id}`, { name: "Micro-session, my way", segments: [{ id: "intention", name: "intention", minutes: 5 }, { id: "debrief", name: "debrief", minutes: 20 }] });
      expect(edited.status).toBe(200);
      expect(edited.body).toMatchObject({ id: copy.id, name: "Micro-session, my way", defaultMinutes: 25 });
      const reread = ((await as(stack, app, MEGAN).get("/api/formats")).body.formats as FormatBody[]).find((f) => f.id === copy.id);
      expect(reread?.segments.map((s) => s.minutes)).toEqual([5, 20]);

      // Someone else's copy is as good as missing.
      const byOther = await as(stack, app, ALEX).patch(`/api/formats/${copy.id}`, { name: "Hijacked" });
      expect(byOther.status).toBe(404);
      expect(byOther.body.error.code).toBe("not_found");

      // The owner can base a circle on the copy; someone else cannot.
      const circle = { name: "Practice", purpose: "", members: [PRIYA], formatId: copy.id, cadence: "weekly", sessionMinutes: 30, sessionCount: 4 };
      const ownCircle = await as(stack, app, MEGAN).post("/api/circles", circle);
      expect(ownCircle.status).toBe(201);
      expect(ownCircle.body.formatId).toBe(copy.id);
      // Members of that circle read the copy through the circle (booking's agenda, the side panel).
      const { findCircleFormat } = await import("../../../../api/circles/formats");
      const { SANDBOX_TENANT_ID } = await import("../../../../sandbox/seed/people");
      expect((await findCircleFormat(ctx.db, SANDBOX_TENANT_ID, copy.id))?.segments.map((s) => s.minutes)).toEqual([5, 20]);
      const otherCircle = await as(stack, app, ALEX).post("/api/circles", circle);
      expect(otherCircle.status).toBe(400);
      expect(otherCircle.body.error.message).toContain(copy.id);
    });

    it("refuses to edit a built-in format and to save an invalid copy", async () => {
      const builtIn = await as(stack, app, MEGAN).patch("/api/formats/coaching-circle", { name: "Mine" });
      expect(builtIn.status).toBe(403);
      const before = await ctx.db.selectFrom("formats").select("id").execute();
      const zero = await as(stack, app, MEGAN).post("/api/formats", { fromFormatId: "coaching-circle", segments: [{ name: "nothing", minutes: 0 }] });
      expect(zero.status).toBe(400);
      expect(zero.body.error.message).toMatch(/minutes/);
      const unknown = await as(stack, app, MEGAN).post("/api/formats", { fromFormatId: "no-such-format" });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain("no-such-format");
      expect(await ctx.db.selectFrom("formats").select("id").execute()).toEqual(before);
    });
  });
});
