import { randomUUID } from "node:crypto";
import type { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";
import {
  SECRET,
  bookPastSeries as bookSeries,
  cancelOccurrence,
  expectNothingIdentifying as expectNothingIdentifyingIn,
  holdInTeams,
  insertBlock,
  insertCircle as insertBareCircle,
  insertDecline,
  insertPrepOverride,
  insertReview,
  insertRun,
  numbersIn,
  thisMonday,
} from "../team/activity-fixtures";

// The program owner's health dashboard (issue #5 part 5). Tomás Reyes (L&D) owns the programs and
// organises every circle; the circles and their past series are put in place directly (as the
// cohort booking would have, weeks ago) so there is history to aggregate.

const owner = person("tomas.reyes");
const alphaMembers = ["diego.siciliani", "lee.gu", "isaiah.langer"].map(person);
const betaMembers = ["johanna.lorenz", "priya.raman", "mei.tanaka"].map(person);
/** In circle Beta but not enrolled in the program: never counted. */
const outsider = person("kwame.mensah");
const smallPool = ["pradeep.gupta", "joni.sherman", "miriam.graham", "henrietta.mueller"].map(person);
const megan = person("megan.bowen");
/** A second owner, whose program's circle meets in Teams without the side panel. */
const olivia = person("olivia.brooks");
const teamsPool = ["kavya.menon", "patti.fernandez", "christie.cline", "sofia.alvarez", "rahul.verma"].map(person);

/** A purpose a spreadsheet would run as a formula, with a comma and quotes. */
const FORMULA_PURPOSE = '=HYPERLINK("https://evil.example/?x","Leadership, pilot")';

const ReasonSchema = z.object({ code: z.string(), message: z.string() });
const ShownSchema = z.strictObject({
  status: z.literal("shown"),
  threshold: z.number(),
  participants: z.number(),
  circles: z.strictObject({ booked: z.number(), atRisk: z.number() }),
  sessions: z.strictObject({ held: z.number(), planned: z.number() }),
  protectedHours: z.strictObject({
    weeks: z.array(z.strictObject({ weekStart: z.string(), sessionHours: z.number(), prepHours: z.number(), reflectionHours: z.number(), totalHours: z.number() })),
    averagePerParticipantPerWeek: z.number(),
    blocksProtected: z.number(),
    blocksOverridden: z.number(),
  }),
  commitmentCompletion: z.union([z.strictObject({ status: z.literal("shown"), rate: z.number().nullable(), reviewed: z.number() }), z.strictObject({ status: z.literal("hidden"), reason: ReasonSchema })]),
  pulse: z.union([z.strictObject({ status: z.literal("shown"), average: z.number().nullable(), ratings: z.number() }), z.strictObject({ status: z.literal("hidden"), reason: ReasonSchema })]),
  insightsShared: z.number(),
});
const ListSchema = z.object({ programs: z.array(z.object({ id: z.string(), purpose: z.string(), enrolled: z.number(), draftCircles: z.number(), stage: z.string() })) });

forEachEngine((engine) => {
  let stack: BookingStack;
  const programs = { shown: "", small: "", unbooked: "", teams: "" };
  const circleNames = ["Program circle Alpha", "Program circle Beta", "Program circle Gamma"];
  const ids: string[] = [];

  const http = () => api(stack);
  async function ownerGet(path: string) {
    return http().get(await stack.token(owner), path);
  }

  async function createProgram(purpose: string, enrol: SeedPerson[], by: SeedPerson = owner): Promise<string> {
    const token = await stack.token(by);
    const created = await http().post(token, "/api/programs", { purpose, durationWeeks: 24, formatIds: ["coaching-circle"], size: { min: 3, max: 4 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = z.object({ id: z.string() }).parse(created.body).id;
    if (enrol.length > 0) {
      const enrolled = await http().post(token, `/api/programs/${id}/enrolments`, { upns: enrol.map((p) => p.userPrincipalName) });
      expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    }
    return id;
  }

  /** A circle of the program, organised by the owner unless said otherwise. */
  async function insertCircle(db: Db, programId: string, position: number, name: string, members: SeedPerson[], joinedAt: string, organizer: SeedPerson = owner): Promise<string> {
    const id = await insertBareCircle(db, { name, organizer, members, joinedAt });
    await db.insertInto("program_circles").values({ program_id: programId, position, circle_id: id, job_id: null, created_at: new Date().toISOString() }).execute();
    return id;
  }

  /** The owner's series, or with `organizer` that person's, recorded with its Teams meeting id. */
  async function bookPastSeries(circleId: string, attendees: SeedPerson[], organizer?: SeedPerson) {
    const series = await bookSeries(stack, { circleId, organizer: organizer ?? owner, attendees, record: { meetingId: organizer !== undefined } });
    return { ...series, meetingId: series.meeting?.id ?? null };
  }

  async function insertPulse(db: Db, sessionId: string, who: SeedPerson, rating: number, at: DateTime) {
    const iso = at.toUTC().toISO()!;
    await db.insertInto("session_pulses").values({ session_id: sessionId, member_id: who.id, rating, created_at: iso, updated_at: iso }).execute();
  }

  async function insertInsight(db: Db, sessionId: string, who: SeedPerson, shared: boolean) {
    const now = new Date().toISOString();
    const copyId = shared ? randomUUID() : null;
    if (copyId) await db.insertInto("program_insights").values({ id: copyId, tenant_id: SANDBOX_TENANT_ID, text: `${SECRET} insight`, shared_on: now.slice(0, 10) }).execute();
    await db.insertInto("session_insights").values({ id: randomUUID(), session_id: sessionId, author_id: who.id, text: `${SECRET} insight of ${who.displayName}`, shared_copy_id: copyId, created_at: now, updated_at: now }).execute();
  }

  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
    const db = engine.db;
    const joinedAt = thisMonday().minus({ weeks: 13 }).toUTC().toISO()!;
    const nowMs = Date.now();

    programs.shown = await createProgram(FORMULA_PURPOSE, [...alphaMembers, ...betaMembers]);
    // Alpha: every due session held.
    const alpha = await insertCircle(db, programs.shown, 0, circleNames[0]!, alphaMembers, joinedAt);
    const alphaSeries = await bookPastSeries(alpha, alphaMembers);
    const alphaRuns: string[] = [];
    for (const start of alphaSeries.sessions.filter((s) => s.toMillis() < nowMs)) alphaRuns.push(await insertRun(db, alpha, start, owner));
    // Beta (with an outsider who is not enrolled): week 5 skipped in Outlook, the last two weeks not held.
    const beta = await insertCircle(db, programs.shown, 1, circleNames[1]!, [...betaMembers, outsider], joinedAt);
    const betaSeries = await bookPastSeries(beta, [...betaMembers, outsider]);
    await cancelOccurrence(stack, owner, betaSeries.eventId, betaSeries.sessions[5]!);
    const betaRuns: string[] = [];
    for (const [k, start] of betaSeries.sessions.entries()) {
      if (k === 5 || k >= 8 || start.toMillis() >= nowMs) continue;
      betaRuns.push(await insertRun(db, beta, start, owner));
    }

    const [diego, lee, isaiah] = alphaMembers as [SeedPerson, SeedPerson, SeedPerson];
    const [johanna, priya, mei] = betaMembers as [SeedPerson, SeedPerson, SeedPerson];
    const week6 = thisMonday().minus({ weeks: 6 }).set({ hour: 11 });
    await insertReview(db, alpha, alphaRuns[0]!, diego, "done", week6);
    await insertReview(db, alpha, alphaRuns[0]!, lee, "done", week6);
    await insertReview(db, alpha, alphaRuns[0]!, isaiah, "partly", week6);
    await insertReview(db, beta, betaRuns[0]!, johanna, "done", week6);
    await insertReview(db, beta, betaRuns[0]!, priya, "notDone", week6);
    await insertReview(db, beta, betaRuns[0]!, outsider, "notDone", week6); // not enrolled: left out
    for (const [who, rating, runs] of [
      [diego, 5, alphaRuns],
      [lee, 4, alphaRuns],
      [isaiah, 4, alphaRuns],
      [johanna, 3, betaRuns],
      [priya, 5, betaRuns],
      [outsider, 1, betaRuns], // not enrolled: left out
      [owner, 1, alphaRuns], // the organiser, not a participant: left out
    ] as const) {
      await insertPulse(db, runs[3]!, who, rating, week6);
    }
    await insertInsight(db, alphaRuns[1]!, diego, true);
    await insertInsight(db, alphaRuns[1]!, lee, true);
    await insertInsight(db, alphaRuns[1]!, isaiah, false);
    await insertInsight(db, betaRuns[1]!, outsider, true);
    await insertInsight(db, betaRuns[1]!, mei, false);
    // Diego's blocks are recorded for the first two sessions; a meeting landed on the second prep.
    for (const k of [0, 1]) for (const kind of ["prep", "reflection"] as const) await insertBlock(db, alpha, diego, alphaSeries.sessions[k]!, kind);
    await insertPrepOverride(db, alpha, diego, alphaSeries.sessions[1]!);

    // Four people in one booked circle: below the threshold of 5.
    programs.small = await createProgram("Sales pilot", smallPool);
    const gamma = await insertCircle(db, programs.small, 0, circleNames[2]!, smallPool, joinedAt);
    const gammaSeries = await bookPastSeries(gamma, smallPool);
    for (const start of gammaSeries.sessions.filter((s) => s.toMillis() < nowMs)) await insertRun(db, gamma, start, owner);

    programs.unbooked = await createProgram("Not booked yet", [megan]);

    // Olivia's program: one circle that meets in Teams and never opens the side panel (one
    // session excepted). Sofia declined sessions 3 and 8.
    programs.teams = await createProgram("Teams-only pilot", teamsPool, olivia);
    const delta = await insertCircle(db, programs.teams, 0, "Program circle Delta", teamsPool, joinedAt, olivia);
    const deltaSeries = await bookPastSeries(delta, teamsPool, olivia);
    const [kavya, patti, christie, sofia, rahul] = teamsPool as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
    const everyone: Array<[SeedPerson]> = [[olivia], ...teamsPool.map((p): [SeedPerson] => [p])];
    for (const k of [0, 1, 2, 4, 5, 6, 7]) await holdInTeams(stack.sandbox.url, deltaSeries.meetingId!, deltaSeries.sessions[k]!, everyone);
    await holdInTeams(stack.sandbox.url, deltaSeries.meetingId!, deltaSeries.sessions[3]!, [[olivia], [kavya], [patti], [christie], [rahul]]);
    await insertRun(db, delta, deltaSeries.sessions[8]!, owner); // the one session run in the app: no Teams report
    await holdInTeams(stack.sandbox.url, deltaSeries.meetingId!, deltaSeries.sessions[9]!, [[olivia]]); // only the organiser came
    for (const k of [3, 8]) await insertDecline(db, delta, sofia, deltaSeries.sessions[k]!);
    ids.push(alpha, beta, gamma, alphaSeries.eventId, betaSeries.eventId, gammaSeries.eventId);
  }, 90_000);

  afterAll(async () => {
    await stack?.sandbox.close();
  });

  const expectNothingIdentifying = (text: string) =>
    expectNothingIdentifyingIn(text, { people: [owner, ...alphaMembers, ...betaMembers, outsider, ...smallPool], circleNames, ids });

  describe("a program with 6 people taking part", () => {
    it("shows circles, sessions held vs planned, protected hours, completion, pulse and insights shared — aggregates only", async () => {
      const res = await ownerGet(`/api/programs/${programs.shown}/health`);
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const view = ShownSchema.parse(res.body);
      expect(view.threshold).toBe(5);
      expect(view.participants).toBe(6);
      expect(view.circles).toEqual({ booked: 2, atRisk: 1 });
      // Alpha held all 10 sessions in the window; Beta skipped one and did not hold two.
      expect(view.sessions).toEqual({ held: 17, planned: 20 });

      const weeks = view.protectedHours.weeks;
      expect(weeks.map((w) => w.weekStart)).toEqual(Array.from({ length: 12 }, (_, i) => thisMonday().minus({ weeks: 12 - i }).toISODate()));
      expect(weeks[0]).toMatchObject({ totalHours: 0 });
      // First sessions: 6 people × (60 min + 15 prep + 10 reflection); Diego's blocks are recorded ones.
      expect(weeks[2]).toEqual({ weekStart: weeks[2]!.weekStart, sessionHours: 6, prepHours: 1.5, reflectionHours: 1, totalHours: 8.5 });
      // A meeting overrode Diego's prep: it no longer counts as protected.
      expect(weeks[3]).toMatchObject({ sessionHours: 6, prepHours: 1.25, reflectionHours: 1, totalHours: 8.25 });
      // Beta's skipped week: 3 sessions, and no blocks around the called-off one.
      expect(weeks[7]).toMatchObject({ sessionHours: 3, prepHours: 0.5, reflectionHours: 0.33 });
      expect(view.protectedHours.blocksOverridden).toBe(1);
      // Defaults: Lee, Isaiah 10 sessions × 2; Beta's three 9 × 2; Diego's recorded 3 kept.
      expect(view.protectedHours.blocksProtected).toBe(40 + 54 + 3);

      // Diego done, Lee done, Isaiah partly, Johanna done, Priya not done (the outsider is left out).
      expect(view.commitmentCompletion).toEqual({ status: "shown", rate: 0.7, reviewed: 5 });
      // 5, 4, 4, 3, 5 from five people (the outsider's and the organiser's 1s are left out).
      expect(view.pulse).toEqual({ status: "shown", average: 4.2, ratings: 5 });
      expect(view.insightsShared).toBe(2);
      expectNothingIdentifying(JSON.stringify(res.body));
    });

    it("exports the same figures as a CSV attachment, with a formula-like purpose kept as text", async () => {
      const json = ShownSchema.parse((await ownerGet(`/api/programs/${programs.shown}/health`)).body);
      const res = await ownerGet(`/api/programs/${programs.shown}/health/export`);
      expect(res.status).toBe(200);
      expect(res.headers["content-type"]).toMatch(/^text\/csv/);
      expect(res.headers["content-disposition"]).toMatch(/^attachment; filename="program-health-\d{4}-\d{2}-\d{2}\.csv"$/);
      const csv = res.text;
      expect(csv.startsWith("\uFEFFFigure,Value,Note\r\n")).toBe(true);
      // The apostrophe makes spreadsheets read it as text; quotes keep the comma inside one cell.
      expect(csv).toContain(`Program,"'=HYPERLINK(""https://evil.example/?x"",""Leadership, pilot"")",\r\n`);
      expect(csv.split("\r\n").some((line) => /^[=+\-@]/.test(line) || /,[=+\-@]/.test(line))).toBe(false);
      expect(csv).toContain("People taking part,6,");
      expect(csv).toContain("Sessions held,17,");
      expect(csv).toContain("Sessions planned,20,");
      expect(csv).toContain("Circles at risk,1,");
      expect(csv).toContain("Commitment completion rate,0.7,");
      expect(csv).toContain("Usefulness pulse average (1-5),4.2,");
      expect(csv).toContain("Insights shared with the program,2,");
      const weekly = csv.split("\r\n\r\n")[1]!.trim().split("\r\n");
      expect(weekly[0]).toBe("Week starting,Session hours,Prep hours,Reflection hours,Total hours");
      expect(weekly.slice(1)).toEqual(json.protectedHours.weeks.map((w) => [w.weekStart, w.sessionHours, w.prepHours, w.reflectionHours, w.totalHours].join(",")));
      expectNothingIdentifying(csv);
    });

    it("charts fewer weeks when asked and refuses a window outside 4–26 weeks", async () => {
      expect(ShownSchema.parse((await ownerGet(`/api/programs/${programs.shown}/health?weeks=6`)).body).protectedHours.weeks).toHaveLength(6);
      const res = await ownerGet(`/api/programs/${programs.shown}/health?weeks=52`);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain("weeks");
    });
  });

  describe("a program whose circle meets in Teams", () => {
    it("counts sessions held from the Teams attendance reports, as the team view does", async () => {
      const view = ShownSchema.parse((await http().get(await stack.token(olivia), `/api/programs/${programs.teams}/health`)).body);
      expect(view.participants).toBe(5);
      expect(view.circles.booked).toBe(1);
      // Sessions 0–8 held (0–7 by their reports, 8 by its live run); 9 had only the organiser.
      expect(view.sessions).toEqual({ held: 9, planned: 10 });
      const week = (k: number) => view.protectedHours.weeks[2 + k]!;
      expect(week(2)).toMatchObject({ sessionHours: 5, prepHours: 1.25, reflectionHours: 0.83 });
      // Session 9 was not held: no session time, though the prep and reflection time was kept free.
      expect(week(9)).toMatchObject({ sessionHours: 0, prepHours: 1.25, reflectionHours: 0.83 });
    });

    it("does not count a session a member declined, nor its prep and reflection, as their protected time", async () => {
      const view = ShownSchema.parse((await http().get(await stack.token(olivia), `/api/programs/${programs.teams}/health`)).body);
      const week = (k: number) => view.protectedHours.weeks[2 + k]!;
      // Session 8 was held in the app (attendance unknown): everyone but Sofia, who declined it.
      expect(week(8)).toMatchObject({ sessionHours: 4, prepHours: 1, reflectionHours: 0.67 });
      expect(week(3)).toMatchObject({ sessionHours: 4, prepHours: 1, reflectionHours: 0.67 });
      // 5 people × 10 sessions × (prep + reflection), less Sofia's two declined sessions.
      expect(view.protectedHours.blocksProtected).toBe(96);
      expect(view.protectedHours.blocksOverridden).toBe(0);
      expect(JSON.stringify(view)).not.toMatch(/Sofia|sofia|Delta/);
    });
  });

  describe("below the threshold", () => {
    it("gives the reason and no figures — not even how many take part — in the dashboard and the CSV", async () => {
      const res = await ownerGet(`/api/programs/${programs.small}/health`);
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: expect.stringContaining("at least 5 enrolled people") } });
      expect(numbersIn(res.body)).toEqual(["$.threshold"]);
      expectNothingIdentifying(JSON.stringify(res.body));

      const csv = (await ownerGet(`/api/programs/${programs.small}/health/export`)).text;
      expect(csv).toContain("Figures shown,no,");
      expect(csv).not.toContain("Sessions held");
      expect(csv).not.toMatch(/,4,/);
      expectNothingIdentifying(csv);
    });

    it("says nothing is booked yet for a program whose circles are not booked", async () => {
      const res = await ownerGet(`/api/programs/${programs.unbooked}/health`);
      expect(res.body).toEqual({ status: "hidden", threshold: 5, reason: { code: "notBooked", message: expect.stringContaining("Nothing is booked yet") } });
    });
  });

  describe("only the owner", () => {
    it("answers 404 to anyone else, for the dashboard and the export", async () => {
      const other = await stack.token(megan);
      for (const path of [`/api/programs/${programs.shown}/health`, `/api/programs/${programs.shown}/health/export`, `/api/programs/${randomUUID()}/health`]) {
        const res = await http().get(other, path);
        expect(res.status, path).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
      // A member of the program's circles is no owner either.
      const member = await http().get(await stack.token(alphaMembers[0]!), `/api/programs/${programs.shown}/health/export`);
      expect(member.status).toBe(404);
      expect(member.text).not.toContain("Sessions held");
    });

    it("lists the caller's own programs, newest first, and nobody else's", async () => {
      const mine = ListSchema.parse((await ownerGet("/api/programs")).body);
      expect(mine.programs.map((p) => p.id)).toEqual([programs.unbooked, programs.small, programs.shown]);
      expect(mine.programs[2]).toMatchObject({ purpose: FORMULA_PURPOSE, enrolled: 6, draftCircles: 0, stage: "enrolling" });
      const theirs = ListSchema.parse((await http().get(await stack.token(megan), "/api/programs")).body);
      expect(theirs.programs).toEqual([]);
    });

    it("is documented and needs a bearer token", async () => {
      const doc = await http().get("", "/api/openapi.json");
      expect(doc.body.paths["/api/programs"].get.operationId).toBe("listPrograms");
      expect(doc.body.paths["/api/programs/{programId}/health"].get.operationId).toBe("getProgramHealth");
      expect(Object.keys(doc.body.paths["/api/programs/{programId}/health/export"].get.responses["200"].content)).toEqual(["text/csv; charset=utf-8"]);
      expect((await http().get("", `/api/programs/${programs.shown}/health`)).status).toBe(401);
    });
  });
});
