import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSeriesRequest, instancesRequest, readEventResult, readInstancesResult } from "../../../../api/graph";
import { toPatternedRecurrence } from "../../../../api/scheduling";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";

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

const ZONE = "Europe/London";
const SECRET = "CONFIDENTIAL-CONTENT";

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

/** Every number anywhere in a value, with its path. */
function numbersIn(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

/** Monday 00:00 of the current week in London, and the session slots of a weekly series from 10 weeks before it. */
const thisMonday = () => DateTime.now().setZone(ZONE).startOf("week");
const firstSession = () => thisMonday().minus({ weeks: 10 }).set({ hour: 10 });

async function insertCircle(db: Db, name: string, organizer: SeedPerson, members: SeedPerson[], opts: { joinedAt: string; leftAt?: Record<string, string> }): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto("circles")
    .values({
      id,
      tenant_id: SANDBOX_TENANT_ID,
      name,
      purpose: `${SECRET} purpose`,
      charter: JSON.stringify([`${SECRET} charter`]),
      format_id: "coaching-circle",
      cadence: "weekly",
      session_minutes: 60,
      session_count: 20,
      time_zone: ZONE,
      rotate_roles: toDbBool(true),
      organizer_id: organizer.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [i, m] of [organizer, ...members].entries()) {
    await db
      .insertInto("circle_members")
      .values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: opts.joinedAt, left_at: opts.leftAt?.[m.id] ?? null, time_zone: m.timeZone })
      .execute();
  }
  return id;
}

forEachEngine((engine) => {
  let stack: BookingStack;
  const circleNames = ["Alex-team circle Alpha", "Alex-team circle Beta", "Adele-team circle Gamma", "Lidia's old circle"];
  const ids: string[] = [];

  /** A weekly series booked in the organiser's Outlook (app-only, as the booking job would as them), recorded as booked. */
  async function bookPastSeries(db: Db, circleId: string, organizer: SeedPerson, attendees: SeedPerson[]): Promise<{ eventId: string; sessions: DateTime[] }> {
    const first = firstSession();
    const app = stack.graph.forApp(SANDBOX_TENANT_ID);
    const create = createSeriesRequest("s", {
      subject: "Coaching circle",
      bodyHtml: "<p>Agenda</p>",
      startDate: first.toFormat("yyyy-MM-dd"),
      startTime: "10:00",
      durationMinutes: 60,
      timeZone: ZONE,
      recurrence: toPatternedRecurrence({ start: { date: first.toFormat("yyyy-MM-dd"), time: "10:00", timeZone: ZONE }, cadence: "weekly", sessionCount: 20 }),
      attendees: attendees.map((a) => ({ address: a.userPrincipalName, name: a.displayName })),
      categories: ["Coaching"],
      showAs: "busy",
      transactionId: `team-test-${circleId}`,
      extension: { name: "com.example.test", properties: { circleId } },
    });
    const [created] = await app.batch([{ ...create, url: `/users/${organizer.id}/events` }]);
    const master = readEventResult(created!, "create series");
    const now = new Date().toISOString();
    await db
      .insertInto("circle_series")
      .values({
        circle_id: circleId,
        event_id: master.id,
        ical_uid: master.iCalUId,
        organizer_id: organizer.id,
        online_meeting_id: null,
        join_web_url: null,
        chat_id: null,
        time_zone: ZONE,
        first_start: first.toISO()!,
        transaction_id: `team-test-${circleId}`,
        status: "booked",
        job_id: null,
        generation: 1,
        created_at: now,
        updated_at: now,
      })
      .execute();
    return { eventId: master.id, sessions: Array.from({ length: 20 }, (_, k) => first.plus({ weeks: k })) };
  }

  /** Cancels one occurrence in the organiser's calendar (the circle skipped that week). */
  async function cancelOccurrence(organizer: SeedPerson, eventId: string, start: DateTime) {
    const app = stack.graph.forApp(SANDBOX_TENANT_ID);
    const req = instancesRequest("i", eventId, start.toMillis() - 3_600_000, start.toMillis() + 3_600_000, ZONE);
    const [page] = await app.batch([{ ...req, url: req.url.replace(/^\/me\//, `/users/${organizer.id}/`) }]);
    const [occurrence] = readInstancesResult(page!);
    await app.post(`/users/${organizer.id}/events/${occurrence!.id}/cancel`, { comment: "" });
  }

  /** A live run of one session (held in the app), with content that must never reach a manager. */
  async function insertRun(db: Db, circleId: string, start: DateTime, authorId: string): Promise<string> {
    const id = randomUUID();
    const now = new Date().toISOString();
    await db
      .insertInto("session_runs")
      .values({
        id,
        circle_id: circleId,
        tenant_id: SANDBOX_TENANT_ID,
        occurrence_date: start.setZone(ZONE).toFormat("yyyy-MM-dd"),
        chat_id: null,
        meeting_id: null,
        version: 3,
        state: JSON.stringify({ status: "ended", questions: [{ text: `${SECRET} question` }] }),
        roles: JSON.stringify({ facilitator: authorId }),
        status: "ended",
        created_at: now,
        updated_at: now,
      })
      .execute();
    await db.insertInto("session_notes").values({ id: randomUUID(), session_id: id, author_id: authorId, visibility: "circle", text: `${SECRET} note`, created_at: now }).execute();
    return id;
  }

  async function insertReviewedCommitment(db: Db, circleId: string, sessionId: string, owner: SeedPerson, status: string, reviewedAt: DateTime) {
    const now = new Date().toISOString();
    await db
      .insertInto("commitments")
      .values({
        id: randomUUID(),
        circle_id: circleId,
        session_id: sessionId,
        owner_id: owner.id,
        action: `${SECRET} action of ${owner.displayName}`,
        due_date: reviewedAt.toFormat("yyyy-MM-dd"),
        signal: `${SECRET} signal`,
        support_wanted: null,
        chat_message_id: null,
        todo_list_id: null,
        todo_task_id: null,
        review_status: status,
        review_learning: `${SECRET} learning`,
        reviewed_in_session_id: sessionId,
        reviewed_at: reviewedAt.toUTC().toISO()!,
        created_at: now,
        updated_at: now,
      })
      .execute();
  }

  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
    const db = engine.db;
    const joinedAt = thisMonday().minus({ weeks: 13 }).toUTC().toISO()!;
    const nowMs = Date.now();

    // Alpha: Priya (organiser), Diego, Lee — and Megan, who is not Alex's report. Every due session held.
    const alpha = await insertCircle(db, circleNames[0]!, priya, [diego, lee, megan], { joinedAt });
    const alphaSeries = await bookPastSeries(db, alpha, priya, [diego, lee, megan]);
    let firstRun = "";
    for (const start of alphaSeries.sessions.filter((s) => s.toMillis() < nowMs)) {
      const run = await insertRun(db, alpha, start, priya.id);
      firstRun ||= run;
    }
    // Beta: Isaiah (organiser), Johanna, Nestor. Week 5 skipped in Outlook; the last two weeks not held.
    const beta = await insertCircle(db, circleNames[1]!, isaiah, [johanna, nestor], { joinedAt });
    const betaSeries = await bookPastSeries(db, beta, isaiah, [johanna, nestor]);
    await cancelOccurrence(isaiah, betaSeries.eventId, betaSeries.sessions[5]!);
    let betaRun = "";
    for (const [k, start] of betaSeries.sessions.entries()) {
      if (k === 5 || k >= 8 || start.toMillis() >= nowMs) continue;
      const run = await insertRun(db, beta, start, isaiah.id);
      betaRun ||= run;
    }
    const reviewedAt = thisMonday().minus({ weeks: 6 }).set({ hour: 11 });
    await insertReviewedCommitment(db, alpha, firstRun, priya, "done", reviewedAt);
    await insertReviewedCommitment(db, alpha, firstRun, diego, "done", reviewedAt);
    await insertReviewedCommitment(db, alpha, firstRun, lee, "partly", reviewedAt);
    await insertReviewedCommitment(db, alpha, firstRun, megan, "notDone", reviewedAt); // not a report: left out
    await insertReviewedCommitment(db, beta, betaRun, isaiah, "done", reviewedAt);
    await insertReviewedCommitment(db, beta, betaRun, johanna, "notDone", reviewedAt);

    // Adele: 4 of her 5 reports in a circle; the fifth left hers long before the 12 weeks.
    const [pradeep, joni, miriam, henrietta, lidia] = adeleReports as [SeedPerson, SeedPerson, SeedPerson, SeedPerson, SeedPerson];
    const gamma = await insertCircle(db, circleNames[2]!, pradeep, [joni, miriam, henrietta, kwame], { joinedAt });
    await bookPastSeries(db, gamma, pradeep, [joni, miriam, henrietta, kwame]);
    const longAgo = thisMonday().minus({ weeks: 40 }).toUTC().toISO()!;
    const old = await insertCircle(db, circleNames[3]!, kwame, [lidia], { joinedAt: longAgo, leftAt: { [lidia.id]: thisMonday().minus({ weeks: 30 }).toUTC().toISO()! } });
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

  function expectNothingIdentifying(json: string) {
    const people = [alex, priya, diego, lee, isaiah, johanna, megan, nestor, adele, kwame, ...adeleReports];
    for (const p of people) {
      expect(json).not.toContain(p.displayName);
      expect(json).not.toContain(p.givenName);
      expect(json.toLowerCase()).not.toContain(p.userPrincipalName.toLowerCase());
      expect(json).not.toContain(p.id);
    }
    for (const name of circleNames) expect(json).not.toContain(name);
    for (const id of ids) expect(json).not.toContain(id);
    expect(json).not.toContain(SECRET);
  }

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
