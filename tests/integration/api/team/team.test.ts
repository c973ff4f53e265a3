import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";
import { bookPastSeries, cancelOccurrence, expectNothingIdentifying as expectNothingIdentifyingIn, insertCircle, insertReview, insertRun, numbersIn, thisMonday } from "./activity-fixtures";

// Managers in the seed: Alex Wilber has 5 reports (Priya, Diego, Lee, Isaiah, Johanna), Adele
// Vance has 5 (Pradeep, Joni, Miriam, Henrietta, Lidia); Priya manages nobody.
const alex = person("alex.wilber");
const priya = person("priya.raman");
const diego = person("diego.siciliani");
const lee = person("lee.gu");
const isaiah = person("isaiah.langer");
const johanna = person("johanna.lorenz");
const megan = person("megan.bowen");
const nestor = person("nestor.wilke");
const adele = person("adele.vance");
const adeleReports = ["pradeep.gupta", "joni.sherman", "miriam.graham", "henrietta.mueller", "lidia.holloway"].map(person);
const kwame = person("kwame.mensah");

const NumberSchema = z.number();
const ShownSchema = z.object({
  status: z.literal("shown"),
  threshold: NumberSchema,
  participants: NumberSchema,
  protectedHours: z.object({
    weeks: z.array(z.object({ weekStart: z.string(), sessionHours: NumberSchema, prepHours: NumberSchema, reflectionHours: NumberSchema, totalHours: NumberSchema })),
    averagePerParticipantPerWeek: NumberSchema,
    blocksProtected: NumberSchema,
    blocksOverridden: NumberSchema,
  }),
  sessions: z.object({ held: NumberSchema, planned: NumberSchema }),
  commitmentCompletion: z.object({ status: z.literal("shown"), rate: NumberSchema.nullable(), reviewed: NumberSchema }),
  circles: z.object({ active: NumberSchema, atRisk: NumberSchema }),
});

forEachEngine((engine) => {
  let stack: BookingStack;
  const circleNames = ["Alex-team circle Alpha", "Alex-team circle Beta", "Adele-team circle Gamma", "Lidia's old circle"];
  const ids: string[] = [];

  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
    const db = engine.db;
    const joinedAt = thisMonday().minus({ weeks: 13 }).toUTC().toISO()!;
    const nowMs = Date.now();

    // Alpha: Priya (organiser), Diego, Lee — and Megan, who is not Alex's report. Every due session held.
    const alpha = await insertCircle(db, { name: circleNames[0]!, organizer: priya, members: [diego, lee, megan], joinedAt });
    const alphaSeries = await bookPastSeries(stack, { circleId: alpha, organizer: priya, attendees: [diego, lee, megan] });
    let firstRun = "";
    for (const start of alphaSeries.sessions.filter((s) => s.toMillis() < nowMs)) {
      const run = await insertRun(db, alpha, start, priya);
      firstRun ||= run;
    }
    // Beta: Isaiah (organiser), Johanna, Nestor. Week 5 skipped in Outlook; the last two weeks not held.
    const beta = await insertCircle(db, { name: circleNames[1]!, organizer: isaiah, members: [johanna, nestor], joinedAt });
    const betaSeries = await bookPastSeries(stack, { circleId: beta, organizer: isaiah, attendees: [johanna, nestor] });
    await cancelOccurrence(stack, isaiah, betaSeries.eventId, betaSeries.sessions[5]!);
    let betaRun = "";
    for (const [k, start] of betaSeries.sessions.entries()) {
      if (k === 5 || k >= 8 || start.toMillis() >= nowMs) continue;
      const run = await insertRun(db, beta, start, isaiah);
      betaRun ||= run;
    }
    const reviewedAt = thisMonday().minus({ weeks: 6 }).set({ hour: 11 });
    await insertReview(db, alpha, firstRun, priya, "done", reviewedAt);
    await insertReview(db, alpha, firstRun, diego, "done", reviewedAt);
    await insertReview(db, alpha, firstRun, lee, "partly", reviewedAt);
    await insertReview(db, alpha, firstRun, megan, "notDone", reviewedAt); // not a report: left out
    await insertReview(db, beta, betaRun, isaiah, "done", reviewedAt);
    await insertReview(db, beta, betaRun, johanna, "notDone", reviewedAt);

    // Adele: 4 of her 5 reports in a circle; the fifth left hers long before the 12 weeks.
    const [pradeep, joni, miriam, henrietta, lidia] = adeleReports as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
    const gamma = await insertCircle(db, { name: circleNames[2]!, organizer: pradeep, members: [joni, miriam, henrietta, kwame], joinedAt });
    await bookPastSeries(stack, { circleId: gamma, organizer: pradeep, attendees: [joni, miriam, henrietta, kwame] });
    const longAgo = thisMonday().minus({ weeks: 40 }).toUTC().toISO()!;
    const old = await insertCircle(db, { name: circleNames[3]!, organizer: kwame, members: [lidia], joinedAt: longAgo, leftAt: { [lidia.id]: thisMonday().minus({ weeks: 30 }).toUTC().toISO()! } });
    ids.push(alpha, beta, gamma, old, alphaSeries.eventId, betaSeries.eventId);
  }, 60_000);

  afterAll(async () => {
    await stack?.sandbox.close();
  });

  async function getTeam(manager: SeedPerson, query = "") {
    const res = await api(stack).get(await stack.token(manager), `/api/team${query}`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return { body: res.body as unknown, json: JSON.stringify(res.body) };
  }

  const expectNothingIdentifying = (json: string) =>
    expectNothingIdentifyingIn(json, { people: [alex, priya, diego, lee, isaiah, johanna, megan, nestor, adele, kwame, ...adeleReports], circleNames, ids });

  describe("a manager with 5 participating reports", () => {
    it("sees protected hours per week, sessions held vs planned, completion and circles at risk — and nothing else", async () => {
      const { body, json } = await getTeam(alex);
      const view = ShownSchema.strict().parse(body);
      expect(view.participants).toBe(5);
      expect(view.threshold).toBe(5);

      // 12 complete weeks before this one, Monday to Sunday in Alex's zone (London).
      const weeks = view.protectedHours.weeks;
      expect(weeks.map((w) => w.weekStart)).toEqual(Array.from({ length: 12 }, (_, i) => thisMonday().minus({ weeks: 12 - i }).toISODate()));
      // Sessions began 10 weeks ago: the first two weeks are empty.
      expect(weeks[0]).toMatchObject({ totalHours: 0 });
      expect(weeks[1]).toMatchObject({ totalHours: 0 });
      // A full week: 5 reports × 60 min + 15 min prep + 10 min reflection (defaults; nobody changed them).
      expect(weeks[2]).toEqual({ weekStart: weeks[2]!.weekStart, sessionHours: 5, prepHours: 1.25, reflectionHours: 0.83, totalHours: 7.08 });
      // Beta skipped its 6th session in Outlook: no session and no blocks for its 2 reports that week.
      expect(weeks[7]).toMatchObject({ sessionHours: 3, prepHours: 0.75, reflectionHours: 0.5, totalHours: 4.25 });
      // Beta's last two sessions were not held, but the time around them stayed blocked.
      expect(weeks[10]).toMatchObject({ sessionHours: 3, prepHours: 1.25, reflectionHours: 0.83 });
      expect(weeks[11]).toMatchObject({ sessionHours: 3, prepHours: 1.25, reflectionHours: 0.83 });

      // Alpha: 3 reports × 10 held; Beta: 2 reports × 10 planned, 7 held.
      expect(view.sessions).toEqual({ held: 44, planned: 50 });
      // Priya done, Diego done, Lee partly, Isaiah done, Johanna not done (Megan is not Alex's report).
      expect(view.commitmentCompletion).toEqual({ status: "shown", rate: 0.7, reviewed: 5 });
      expect(view.circles).toEqual({ active: 2, atRisk: 1 });
      expect(view.protectedHours.blocksOverridden).toBe(0);

      expectNothingIdentifying(json);
    });

    it("charts fewer weeks when asked, and refuses a window outside 4–26 weeks", async () => {
      const { body } = await getTeam(alex, "?weeks=6");
      expect(ShownSchema.parse(body).protectedHours.weeks).toHaveLength(6);
      const res = await api(stack).get(await stack.token(alex), "/api/team?weeks=2");
      expect(res.status).toBe(400);
      expect(res.body).toEqual({ error: { code: "bad_request", message: expect.stringContaining("weeks") } });
    });
  });

  describe("a manager with fewer than 5 participating reports", () => {
    it("gets the reason and no figures — not even how many take part", async () => {
      const { body, json } = await getTeam(adele);
      expect(body).toEqual({ status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: expect.stringContaining("at least 5 of your reports") } });
      expect(numbersIn(body)).toEqual(["$.threshold"]);
      expect(json).not.toMatch(/\b4\b/);
      expectNothingIdentifying(json);
    });
  });

  describe("someone who manages nobody", () => {
    it("is told there is no team to show (not an error)", async () => {
      const { body, json } = await getTeam(priya);
      expect(body).toEqual({ status: "hidden", threshold: 5, reason: { code: "noReports", message: expect.any(String) } });
      expectNothingIdentifying(json);
    });
  });

  it("is documented as getTeamHealth and needs a bearer token", async () => {
    const doc = await api(stack).get("", "/api/openapi.json");
    expect(doc.body.paths["/api/team"].get.operationId).toBe("getTeamHealth");
    const anonymous = await api(stack).get("", "/api/team");
    expect(anonymous.status).toBe(401);
  });
});
