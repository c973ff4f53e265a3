import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { seedCircle, startApiOver, type DemoPerson } from "./sandbox-stack";
import { apiCaller, useSessionCast } from "./session-cast";

/**
 * The close of a session (issue #4, part 7) and who may act in it, over HTTP against the sandbox's
 * identity: one insight per member (private unless shared anonymised by opt-in) and the one-tap
 * usefulness pulse; a member who leaves the circle can no longer send intents.
 */
const XSS = "<img src=x onerror=alert(1)>";

const cast = useSessionCast();

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
    let circleId: string;
    let sessionId: string;

    const call = apiCaller(cast, () => api.url);
    const insight = (who: DemoPerson, body: unknown) => call<InsightLike>(who, "POST", `/api/sessions/${sessionId}/insights`, body);
    const pulse = (who: DemoPerson, body: unknown) => call<{ rating: number }>(who, "POST", `/api/sessions/${sessionId}/pulse`, body);
    const view = (who: DemoPerson) => call<SessionLike>(who, "GET", `/api/sessions/${sessionId}`);
    const programCopies = () => ctx.db.selectFrom("program_insights").selectAll().execute();

    beforeAll(async () => {
      api = await startApiOver(ctx.db, cast.sandbox.url, () => now);
      circleId = await seedCircle(ctx.db, { name: `Close circle ${ctx.engine}`, members: [cast.megan, cast.alex, cast.priya] });
      // A meeting linked by hand (no booked series), so leaving the circle touches no calendar.
      const linked = await call<{ status: string; session: { id: string } }>(cast.megan, "POST", "/api/sessions/links", { chatId: `19:meeting_close-${ctx.engine}@thread.v2`, circleId });
      expect(linked.status).toBe(200);
      sessionId = linked.body.session.id;
    });
    afterAll(async () => {
      await api?.close();
    });

    it("answers 404 to a non-member writing an insight or a pulse, and stores nothing", async () => {
      expect((await insight(cast.outsider, { text: "I learnt nothing here" })).status).toBe(404);
      expect((await pulse(cast.outsider, { rating: 5 })).status).toBe(404);
      expect(await ctx.db.selectFrom("session_insights").selectAll().execute()).toEqual([]);
      expect(await ctx.db.selectFrom("session_pulses").selectAll().execute()).toEqual([]);
    });

    it("keeps an insight private to its author by default: other members never see it", async () => {
      const text = `Asking before advising changes the room ${XSS}`;
      const written = await insight(cast.alex, { text });
      expect(written.status).toBe(201);
      expect(written.body).toMatchObject({ text, shareWithProgram: false });

      expect((await view(cast.alex)).body.myInsight).toMatchObject({ text, shareWithProgram: false });
      for (const other of [cast.megan, cast.priya]) {
        const theirs = await view(other);
        expect(theirs.status).toBe(200);
        expect(theirs.body.myInsight).toBeNull();
        expect(theirs.text).not.toContain("Asking before advising");
      }
      expect(await programCopies()).toEqual([]);
    });

    it("keeps one insight per member: writing again replaces it", async () => {
      const again = await insight(cast.alex, { text: "Silence is a question too." });
      expect(again.status).toBe(200);
      expect((await view(cast.alex)).body.myInsight?.text).toBe("Silence is a question too.");
      const rows = await ctx.db.selectFrom("session_insights").select("text").where("author_id", "=", cast.alex.id).execute();
      expect(rows).toEqual([{ text: "Silence is a question too." }]);
    });

    it("shares an anonymised copy with the program only on opt-in, without author, circle or session, and withdraws it on opt-out", async () => {
      const text = "Name the pattern, not the person.";
      const shared = await insight(cast.priya, { text, shareWithProgram: true });
      expect(shared.status).toBe(201);
      expect(shared.body.shareWithProgram).toBe(true);

      const copies = await programCopies();
      expect(copies).toHaveLength(1);
      const copy = copies[0]!;
      expect(copy).toMatchObject({ tenant_id: SANDBOX_TENANT_ID, text, shared_on: "2030-05-06" });
      expect(Object.keys(copy).sort()).toEqual(["id", "shared_on", "tenant_id", "text"]);
      const values = JSON.stringify(copy);
      for (const identifying of [cast.priya.id, cast.priya.upn, cast.priya.displayName, sessionId, circleId]) expect(values).not.toContain(identifying);
      // Sharing with the program does not share it with the circle.
      expect((await view(cast.megan)).text).not.toContain(text);

      const withdrawn = await insight(cast.priya, { text, shareWithProgram: false });
      expect(withdrawn.status).toBe(200);
      expect(withdrawn.body.shareWithProgram).toBe(false);
      expect(await programCopies()).toEqual([]);
      expect((await view(cast.priya)).body.myInsight).toMatchObject({ text, shareWithProgram: false });
    });

    it("records a one-tap usefulness pulse of 1–5 per member, a second tap replacing the first", async () => {
      expect((await pulse(cast.megan, { rating: 0 })).status).toBe(400);
      expect((await pulse(cast.megan, { rating: 6 })).status).toBe(400);
      expect((await pulse(cast.megan, { rating: 3.5 })).status).toBe(400);
      expect((await pulse(cast.megan, { rating: 4 })).body).toMatchObject({ rating: 4 });
      expect((await pulse(cast.megan, { rating: 5 })).status).toBe(200);
      expect((await view(cast.megan)).body.myPulse).toBe(5);
      expect((await view(cast.alex)).body.myPulse).toBeNull();
      const rows = await ctx.db.selectFrom("session_pulses").select(["member_id", "rating"]).execute();
      expect(rows.map((r) => ({ member_id: r.member_id, rating: Number(r.rating) }))).toEqual([{ member_id: cast.megan.id, rating: 5 }]);
    });

    it("stops a member who just left the circle from sending intents, at once", async () => {
      const before = await call(cast.priya, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "What would you try first?" });
      expect(before.status).toBe(200);
      const left = await call(cast.priya, "DELETE", `/api/circles/${circleId}/members/${cast.priya.id}`);
      expect(left.status).toBe(200);
      const after = await call(cast.priya, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "And then?" });
      expect(after.status).toBe(404);
      expect((await insight(cast.priya, { text: "Too late" })).status).toBe(404);
      // The others carry on.
      expect((await call(cast.alex, "POST", `/api/sessions/${sessionId}/intents`, { type: "addQuestion", text: "What else?" })).status).toBe(200);
    });
  });
});
