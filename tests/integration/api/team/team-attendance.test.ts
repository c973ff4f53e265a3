import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import { seedPeople, type SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";
import { bookPastSeries, firstSession, holdInTeams, insertBlock, insertCircle as insertActivityCircle, insertPrepOverride, insertRun as insertActivityRun, thisMonday } from "./activity-fixtures";

// Sessions held in Teams without the side panel (issue #5 part 6) and protected vs overridden
// time (part 4), as a manager sees them. Bianca Weber leads a pool team of 11; six of her
// reports are in two circles. Weekly sessions began 10 weeks before this one.
const bianca = person("bianca.weber");
const reports = seedPeople.filter((p) => p.managerId === bianca.id).slice(0, 6) as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
const [r1, r2, r3, r4, r5, r6] = reports;
const outsider = person("kwame.mensah");

const ShownSchema = z.object({
  status: z.literal("shown"),
  participants: z.number(),
  protectedHours: z.object({ weeks: z.array(z.object({ weekStart: z.string(), prepHours: z.number(), totalHours: z.number() })), blocksProtected: z.number(), blocksOverridden: z.number() }),
  sessions: z.object({ held: z.number(), planned: z.number() }),
  circles: z.object({ active: z.number(), atRisk: z.number() }),
});

forEachEngine((engine) => {
  let stack: BookingStack;
  let alphaMeeting: { id: string; joinWebUrl: string; eventId: string };
  let betaMeeting: { id: string; joinWebUrl: string; eventId: string };
  const session = (k: number) => firstSession().plus({ weeks: k });

  const insertCircle = (db: Db, name: string, organizer: SeedPerson, members: SeedPerson[]) =>
    insertActivityCircle(db, { name, organizer, members, joinedAt: thisMonday().minus({ weeks: 13 }).toUTC().toISO()! });

  /** Books the series in the organiser's Outlook (a Teams meeting comes with it) and records it as booking would: meeting id, or only the join URL. */
  async function bookSeries(circleId: string, organizer: SeedPerson, attendees: SeedPerson[], record: "meetingId" | "joinUrlOnly") {
    const series = await bookPastSeries(stack, { circleId, organizer, attendees, record: { meetingId: record === "meetingId", joinUrl: true } });
    return series.meeting!;
  }

  /** "Holds" session k in Teams: the attendance report Teams makes when it ends. */
  const hold = (meetingKey: string, k: number, attendees: Array<[SeedPerson, number?]>) => holdInTeams(stack.sandbox.url, meetingKey, session(k), attendees);

  /** Session k run in the app. */
  const insertRun = (db: Db, circleId: string, k: number, facilitator: SeedPerson) => insertActivityRun(db, circleId, session(k), facilitator);

  let alpha = "";
  let beta = "";

  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
    const db = engine.db;
    alpha = await insertCircle(db, "Alpha", r1, [r2, r3]);
    alphaMeeting = await bookSeries(alpha, r1, [r2, r3], "meetingId");
    beta = await insertCircle(db, "Beta", r4, [r5, r6]);
    betaMeeting = await bookSeries(beta, r4, [r5, r6], "joinUrlOnly");

    // Alpha, by session (0–9 are the 10 in the window):
    await hold(alphaMeeting.id, 2, [[r1], [r2], [r3]]); // held in Teams, no side panel
    await hold(alphaMeeting.id, 3, [[r1]]); // only the organiser turned up: not held
    await hold(alphaMeeting.eventId, 4, [[r1], [r2, 60]]); // a one-minute drop-in is not taking part
    await insertRun(db, alpha, 5, r1); // run in the app, no Teams report: held (fallback)
    await hold(alphaMeeting.joinWebUrl, 6, [[r1], [r2], [outsider]]); // held; r3 absent; a guest is not counted
    await insertRun(db, alpha, 7, r1);
    await hold(alphaMeeting.id, 7, [[r1]]); // the report wins over a run: one person is not a circle meeting
    // Beta (booking recorded only the join URL): session 2 held by two members.
    await hold(betaMeeting.id, 2, [[r4], [r5]]);
  }, 90_000);

  afterAll(async () => {
    await stack?.sandbox.close();
  });

  async function team(manager: SeedPerson) {
    const res = await api(stack).get(await stack.token(manager), "/api/team");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return res.body as unknown;
  }

  describe("sessions held", () => {
    it("come from Teams attendance reports where there is one (≥ 2 members there), else from the live run", async () => {
      const view = ShownSchema.parse(await team(bianca));
      expect(view.participants).toBe(6);
      // Alpha: s2 ×3 (report), s5 ×3 (run), s6 ×2 (r3 absent) = 8; Beta: s2 ×2 (r6 absent) = 2. Each of 6 reports has 10 due sessions.
      expect(view.sessions).toEqual({ held: 10, planned: 60 });
      // Both circles' last 3 sessions were not held.
      expect(view.circles).toEqual({ active: 2, atRisk: 2 });
    });

    it("stores only members' attendance, and reads each report once", async () => {
      const stored = await engine.db.selectFrom("attendance_records").select(["circle_id", "user_id", "seconds"]).execute();
      expect(new Set(stored.map((s) => s.user_id))).toEqual(new Set([r1.id, r2.id, r3.id, r4.id, r5.id]));
      expect(stored.some((s) => s.user_id === outsider.id)).toBe(false);
      const reportsBefore = await engine.db.selectFrom("attendance_reports").select("report_id").execute();
      expect(reportsBefore).toHaveLength(6);
      // Beta's meeting was found by its join URL and remembered.
      const check = await engine.db.selectFrom("attendance_checks").selectAll().where("circle_id", "=", beta).executeTakeFirstOrThrow();
      expect(check).toMatchObject({ online_meeting_id: betaMeeting.id, status: "ok" });

      // Within 15 minutes a second view reads no attendance from Graph at all.
      stack.sandbox.sandbox.stats.reset();
      await team(bianca);
      const paths = Object.keys(stack.sandbox.sandbox.stats.snapshot().byMethodAndPath);
      expect(paths.filter((p) => p.includes("attendanceReports"))).toEqual([]);
    });
  });

  describe("protected vs overridden", () => {
    it("counts a block a meeting was accepted on top of as overridden, and takes its time out of the hours", async () => {
      // r4 has synced: their blocks are recorded (prep 15 min before, reflection 10 after each session).
      for (let k = 0; k < 10; k++) for (const kind of ["prep", "reflection"] as const) await insertBlock(engine.db, beta, r4, session(k), kind, `${kind}-${k}`);
      const before = ShownSchema.parse(await team(bianca));
      expect(before.protectedHours.blocksOverridden).toBe(0);
      // 6 reports × 10 sessions × (prep + reflection).
      expect(before.protectedHours.blocksProtected).toBe(120);

      // A meeting lands on r4's prep time for session 4 (recorded by the notifications module).
      await insertPrepOverride(engine.db, beta, r4, session(4), "other-meeting");
      const after = ShownSchema.parse(await team(bianca));
      expect(after.protectedHours.blocksOverridden).toBe(1);
      expect(after.protectedHours.blocksProtected).toBe(119);
      const week = after.protectedHours.weeks.findIndex((w) => w.weekStart === thisMonday().minus({ weeks: 6 }).toISODate());
      expect(after.protectedHours.weeks[week]!.prepHours).toBe(before.protectedHours.weeks[week]!.prepHours - 0.25);
      expect(JSON.stringify(after)).not.toContain("other-meeting");
    });
  });

  describe("who sees what", () => {
    it("a report, or a colleague outside the team, gets no figures about anyone", async () => {
      for (const p of [r1, outsider]) {
        const body = await team(p);
        expect(body).toMatchObject({ status: "hidden" });
        expect(JSON.stringify(body)).not.toMatch(/held|blocks/);
      }
    });

    it("a manager below the threshold still sees nothing, attendance or not", async () => {
      // A manager pinned to 7 sees the reason and no figures.
      const strict = createApp({ config: { ...stack.config, teamMinParticipants: 7 }, db: engine.db, graph: stack.graph, tokenVerifier: createTokenVerifier({ config: stack.config.auth }), logger: createLogger({ level: "silent" }), booking: stack.booking, distDir: "/nonexistent/dist" });
      const res = await request(strict).get("/api/team").set("Authorization", `Bearer ${await stack.token(bianca)}`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "hidden", threshold: 7, reason: { code: "tooFewParticipants", message: expect.stringContaining("at least 7") } });
    });

    it("Graph refuses attendance reports to anyone but the organiser", async () => {
      const token = await stack.sandbox.sandbox.identity.graphToken(r2.userPrincipalName);
      const res = await fetch(`${stack.sandbox.url}/v1.0/me/onlineMeetings/${encodeURIComponent(alphaMeeting.id)}/attendanceReports`, { headers: { Authorization: `Bearer ${token}` } });
      expect(res.status).toBe(403);
      const anonymous = await api(stack).get("", "/api/team");
      expect(anonymous.status).toBe(401);
    });
  });
});
