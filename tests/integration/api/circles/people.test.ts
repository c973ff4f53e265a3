import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { forEachEngine } from "../../../fixtures/engines";
import { MEGAN, as, idOf, startSandboxStack, type SandboxStack } from "./sandbox-stack";

let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack({ now: new Date("2026-03-02T09:00:00.000Z") });
});
afterAll(async () => {
  await stack?.close();
});

forEachEngine((ctx) => {
  let app: Express;
  beforeAll(() => {
    app = stack.appFor(ctx.db);
  });

  describe("searchPeople", () => {
    it("finds people whose name or address starts with the query, with title and department", async () => {
      const res = await as(stack, app, MEGAN).get("/api/people?q=pri");
      expect(res.status).toBe(200);
      expect(res.body.people).toContainEqual({ id: idOf("priya.raman@contoso.example"), upn: "priya.raman@contoso.example", displayName: "Priya Raman", jobTitle: "Senior Engineer", department: "Engineering" });
      const bySurname = await as(stack, app, MEGAN).get("/api/people?q=Wilber");
      expect(bySurname.body.people.map((p: { upn: string }) => p.upn)).toEqual(["alex.wilber@contoso.example"]);
    });

    it("returns at most 10 people", async () => {
      // Every seeded address is @contoso.example, but none starts with it: use a common first letter.
      const res = await as(stack, app, MEGAN).get("/api/people?q=a");
      expect(res.status).toBe(200);
      expect(res.body.people.length).toBeGreaterThan(0);
      expect(res.body.people.length).toBeLessThanOrEqual(10);
    });

    it("treats quotes in the query as text, not as OData", async () => {
      const res = await as(stack, app, MEGAN).get(`/api/people?q=${encodeURIComponent("o'brien') or startswith(displayName,'")}`);
      expect(res.status).toBe(200);
      expect(res.body.people).toEqual([]);
    });

    it("answers 400 for an empty query", async () => {
      const res = await as(stack, app, MEGAN).get("/api/people?q=");
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
    });
  });
});
