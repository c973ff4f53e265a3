import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";
import { forEachEngine } from "../../../fixtures/engines";
import { demoPeople, sandboxToken, seedCircle, startApiOver, type DemoPerson, type RunningSandbox } from "./sandbox-stack";

/**
 * The close of a session (issue #4, part 7) and who may act in it, over HTTP against the sandbox's
 * identity: one insight per member (private unless shared anonymised by opt-in) and the one-tap
 * usefulness pulse; a member who leaves the circle can no longer send intents.
 */
const XSS = "<img src=x onerror=alert(1)>";

let sandbox: RunningSandbox;
let megan: DemoPerson;
let alex: DemoPerson;
let priya: DemoPerson;
let outsider: DemoPerson;

beforeAll(async () => {
  sandbox = await startSandbox({ port: 0, appUrl: "http://localhost:0" });
  const people = await demoPeople(sandbox.url);
  const byUpn = (upn: string) => people.find((p) => p.upn === upn)!;
  megan = byUpn("megan.bowen@contoso.example");
  alex = byUpn("alex.wilber@contoso.example");
  priya = byUpn("priya.raman@contoso.example");
  outsider = people.find((p) => ![megan.id, alex.id, priya.id].includes(p.id))!;
});

afterAll(async () => {
  await sandbox?.close();
});

interface InsightLike {
  text: string;
  shareWithProgram: boolean;
}
interface SessionLike {
  id: string;
  myInsight: InsightLike | null;
  myPulse: number | null;
}

describe("closing a live session", () => {
  forEachEngine((ctx) => {
    let api: { url: string; close(): Promise<void> };
    const now = new Date("2030-05-06T10:50:00Z");
    const tokens = new Map<string, string>();
    let circleId: string;
    let sessionId: string;

    const call = async <T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown): Promise<{ status: number; body: T; text: string }> => {
      if (!tokens.has(who.upn)) tokens.set(who.upn, await sandboxToken(sandbox.url, who.upn));
      const res = await fetch(`${api.url}${path}`, {
        method,
        headers: { authorization: `Bearer ${tokens.get(who.upn)}`, ...(body ? { "content-type": "application/json" } : {}) },
        ...(body ? { body: JSON.stringify(body) } : {}),
      });
      const text = await res.text();
      return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T, text };
    };
    const insight = (who: DemoPerson, body: unknown) => call<InsightLike>(who, "POST", `/api/sessions/${sessionId}/insights`, body);
    const pulse = (who: DemoPerson, body: unknown) => call<{ rating: number }>(who, "POST", `/api/sessions/${sessionId}/pulse`, body);
    const view = (who: DemoPerson) => call<SessionLike>(who, "GET", `/api/sessions/${sessionId}`);
    const programCopies = () => ctx.db.selectFrom("program_insights").selectAll().execute();

    beforeAll(async () => {
      api = await startApiOver(ctx.db, sandbox.url, () => now);
      circleId = await seedCircle(ctx.db, { name: `Close circle ${ctx.engine}`, members: [megan, alex, priya] });
      // A meeting linked by hand (no booked series), so leaving the circle touches no calendar.
      const linked = await call<{ status: string; session: { id: string } }>(megan, "POST", "/api/sessions/links", { chatId: `19:meeting_close-${ctx.engine}@thread.v2`, circleId });
      expect(linked.status).toBe(200);
      sessionId = linked.body.session.id;
    });
    afterAll(async () => {
      await api?.close();
    });

    it("answers 404 to a non-member writing an insight or a pulse, and stores nothing", async () => {
      expect((await insight(outsider, { text: "I learnt nothing here" })).status).toBe(404);
      expect((await pulse(outsider, { rating: 5 })).status).toBe(404);
      expect(await ctx.db.selectFrom("session_insights").selectAll().execute()).toEqual([]);
      expect(await ctx.db.selectFrom("session_pulses").selectAll().execute()).toEqual([]);
    });

    it("keeps an insight private to its author by default: other members never see it", async () => {
      const text = `Asking before advising changes the room ${XSS}`;
      const written = await insight(alex, { text });
      expect(written.status).toBe(201);
      expect(written.body).toMatchObject({ text, shareWithProgram: false });

      expect((await view(alex)).body.myInsight).toMatchObject({ text, shareWithProgram: false });
      for (const other of [megan, priya]) {
        const theirs = await view(other);
        expect(theirs.status).toBe(200);
        expect(theirs.body.myInsight).toBeNull();
        expect(theirs.text).not.toContain("Asking before advising");
      }
      expect(await programCopies()).toEqual([]);
    });

    it("keeps one insight per member: writing again replaces it", async () => {
      const again = await insight(alex, { text: "Silence is a question too." });
      expect(again.status).toBe(200);
      expect((await view(alex)).body.myInsight?.text).toBe("Silence is a question too.");
      const rows = await ctx.db.selectFrom("session_insights").select("text").where("author_id", "=", alex.id).execute();
      expect(rows).toEqual([{ text: "Silence is a question too." }]);
    });

    it("shares an anonymised copy with the program only on opt-in, without author, circle or session, and withdraws it on opt-out", async () => {
      const text = "Name the pattern, not the person.";
      const shared = await insight(priya, { text, shareWithProgram: true });
      expect(shared.status).toBe(201);
      expect(shared.body.shareWithProgram).toBe(true);

      const copies = await programCopies();
      expect(copies).toHaveLength(1);
      const copy = copies[0]!;
      expect(copy).toMatchObject({ tenant_id: SANDBOX_TENANT_ID, text, shared_on: "2030-05-06" });
      expect(Object.keys(copy).sort()).toEqual(["id", "shared_on", "tenant_id", "text"]);
      const values = JSON.stringify(copy);
      for (const identifying of [priya.id, priya.upn, priya.displayName, sessionId, circleId]) expect(values).not.toContain(identifying);
      // Sharing with the program does not share it with the circle.
      expect((await view(megan)).text).not.toContain(text);

      const withdrawn = await insight(priya, { text, shareWithProgram: false });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.shareWithProgram).toBe(false);
      expect(await programCopies()).toEqual([]);
      expect((await view(priya)).body.myInsight).toMatchObject({ text, shareWithProgram: false });
    });

    it("records a one-tap usefulness pulse of 1–5 per member, a second tap replacing the first", async () => {
      expect((await pulse(megan, { rating: 0 })).status).toBe(400);
      expect((await pulse(megan, { rating: 6 })).status).toBe(400);
      expect((await pulse(megan, { rating: 3.5 })).status).toBe(400);
      expect((await pulse(megan, { rating: 4 })).body).toMatchObject({ rating: 4 });
      expect((await pulse(megan, { rating: 5 })).status).toBe(200);
      expect((await view(megan)).body.myPulse).toBe(5);
      expect((await view(alex)).body.myPulse).toBeNull();
      const rows = await ctx.db.selectFrom("session_pulses").select(["member_id", "rating"]).execute();
      expect(rows.map((r) => ({ member_id: r.member_id, rating: Number(r.rating) }))).toEqual([{ member_id: megan.id, rating: 5 }]);
    });

    it("stops a member who just left the circle from sending intents, at once", async () => {
      const before = await call(priya, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "What would you try first?" });
      expect(before.status).toBe(200);
      const left = await call(priya, "DELETE", `/api/circles/${circleId}/members/${priya.id}`);
      expect(left.status).toBe(200);
      const after = await call(priya, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "And then?" });
      expect(after.status).toBe(404);
      expect((await insight(priya, { text: "Too late" })).status).toBe(404);
      // The others carry on.
      expect((await call(alex, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "What else?" })).status).toBe(200);
    });
  });
});
