import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createSeriesRequest, readEventResult } from "../../../../api/graph";
import { loadDeclineView } from "../../../../api/notifications";
import { toPatternedRecurrence } from "../../../../api/scheduling";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";

// Alex Wilber manages Priya, Diego, Lee, Isaiah and Johanna in the seed: five reports, the threshold.
const alex = person("alex.wilber");
const priya = person("priya.raman");
const reports = ["diego.siciliani", "lee.gu", "isaiah.langer", "johanna.lorenz"].map(person);
const [diego, lee, isaiah] = reports as [SeedPerson, SeedPerson, SeedPerson, SeedPerson];

const ZONE = "Europe/London";
const TeamSchema = z.object({
  status: z.literal("shown"),
  participants: z.number(),
  protectedHours: z.object({ blocksProtected: z.number(), blocksOverridden: z.number() }),
  sessions: z.object({ held: z.number(), planned: z.number() }),
  circles: z.object({ active: z.number(), atRisk: z.number() }),
});

const thisMonday = () => DateTime.now().setZone(ZONE).startOf("week");

async function insertCircle(db: Db, organizer: SeedPerson, members: SeedPerson[], joinedAt: string): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto("circles")
    .values({ id, tenant_id: SANDBOX_TENANT_ID, name: "Declines circle", purpose: "p", charter: "[]", format_id: "coaching-circle", cadence: "weekly", session_minutes: 60, session_count: 20, time_zone: ZONE, rotate_roles: toDbBool(true), organizer_id: organizer.id, created_at: now, updated_at: now })
    .execute();
  for (const [i, m] of [organizer, ...members].entries()) {
    await db.insertInto("circle_members").values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: joinedAt, left_at: null, time_zone: m.timeZone }).execute();
  }
  return id;
}

async function insertDecline(db: Db, circleId: string, who: SeedPerson, start: DateTime, opts: { scope?: "occurrence" | "series"; withdrawn?: boolean } = {}): Promise<void> {
  const iso = start.toUTC().toISO()!;
  const at = new Date().toISOString();
  await db
    .insertInto("session_declines")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: SANDBOX_TENANT_ID, occurrence_key: opts.scope === "series" ? "series" : iso, scope: opts.scope ?? "occurrence", session_start_at: iso, declined_at: at, withdrawn_at: opts.withdrawn ? at : null, released_blocks: 0, nudged_at: null })
    .execute();
}

forEachEngine((engine) => {
  describe("the team view counts declined sessions (aggregates only)", () => {
    let stack: BookingStack;
    let circleId = "";
    let sessions: DateTime[] = [];

    beforeAll(async () => {
      stack = await startBookingStack(engine.db);
      const db = engine.db;
      circleId = await insertCircle(db, priya, reports, thisMonday().minus({ weeks: 13 }).toUTC().toISO()!);
      // A weekly series in Priya's Outlook from 10 weeks ago, every due session held in the app.
      const first = thisMonday().minus({ weeks: 10 }).set({ hour: 10 });
      const create = createSeriesRequest("s", {
        subject: "Coaching circle",
        bodyHtml: "<p>Agenda</p>",
        startDate: first.toFormat("yyyy-MM-dd"),
        startTime: "10:00",
        durationMinutes: 60,
        timeZone: ZONE,
        recurrence: toPatternedRecurrence({ start: { date: first.toFormat("yyyy-MM-dd"), time: "10:00", timeZone: ZONE }, cadence: "weekly", sessionCount: 20 }),
        attendees: reports.map((a) => ({ address: a.userPrincipalName, name: a.displayName })),
        categories: ["Coaching"],
        showAs: "busy",
        transactionId: `declines-team-${circleId}`,
        extension: { name: "com.example.test", properties: { circleId } },
      });
      const [created] = await stack.graph.forApp(SANDBOX_TENANT_ID).batch([{ ...create, url: `/users/${priya.id}/events` }]);
      const master = readEventResult(created!, "create series");
      const now = new Date().toISOString();
      await db
        .insertInto("circle_series")
        .values({ circle_id: circleId, event_id: master.id, ical_uid: master.iCalUId, organizer_id: priya.id, online_meeting_id: null, join_web_url: null, chat_id: null, time_zone: ZONE, first_start: first.toISO()!, transaction_id: `declines-team-${circleId}`, status: "booked", job_id: null, generation: 1, created_at: now, updated_at: now })
        .execute();
      sessions = Array.from({ length: 20 }, (_, k) => first.plus({ weeks: k }));
      for (const start of sessions.filter((s) => s.toMillis() < Date.now())) {
        await db
          .insertInto("session_runs")
          .values({ id: randomUUID(), circle_id: circleId, tenant_id: SANDBOX_TENANT_ID, occurrence_date: start.toFormat("yyyy-MM-dd"), chat_id: null, meeting_id: null, version: 1, state: "{}", roles: "{}", status: "ended", created_at: now, updated_at: now })
          .execute();
      }
    }, 60_000);

    afterAll(async () => {
      await stack?.sandbox.close();
    });

    async function team() {
      const res = await api(stack).get(await stack.token(alex), "/api/team");
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return { view: TeamSchema.parse(res.body), json: JSON.stringify(res.body) };
    }

    it("a declined session is neither held for that member nor their protected time", async () => {
      const before = (await team()).view;
      expect(before.participants).toBe(5);
      expect(before.sessions.held).toBe(before.sessions.planned);

      // Diego declined one held session in the window (week 5); a withdrawn decline does not count.
      await insertDecline(engine.db, circleId, diego, sessions[5]!);
      await insertDecline(engine.db, circleId, lee, sessions[6]!, { withdrawn: true });
      const { view, json } = await team();
      expect(view.sessions.planned).toBe(before.sessions.planned);
      expect(view.sessions.held).toBe(before.sessions.held - 1);
      // His prep and reflection around it are not protected time any more.
      expect(view.protectedHours.blocksProtected).toBe(before.protectedHours.blocksProtected - 2);
      for (const p of [diego, lee]) {
        expect(json).not.toContain(p.id);
        expect(json).not.toContain(p.displayName);
      }
    });

    it("a session more than half of the members declined is declined by most", async () => {
      const before = (await team()).view;
      const since = thisMonday().minus({ weeks: 20 }).toUTC().toISO()!;
      const week7 = sessions[7]!;
      // 2 of 5 members: not most.
      await insertDecline(engine.db, circleId, diego, week7);
      await insertDecline(engine.db, circleId, lee, week7);
      let view = await loadDeclineView(engine.db, [circleId], since);
      expect(view.declinedByMost(circleId, week7.toUTC().toISO()!)).toBe(false);
      expect(view.hasDeclined(circleId, diego.id, week7.toISO()!)).toBe(true);
      // A third (a series decline from before week 7 covers it): 3 of 5.
      await insertDecline(engine.db, circleId, isaiah, sessions[6]!, { scope: "series" });
      view = await loadDeclineView(engine.db, [circleId], since);
      expect(view.declinedByMost(circleId, week7.toUTC().toISO()!)).toBe(true);
      expect(view.declinedByMost(circleId, sessions[4]!.toUTC().toISO()!)).toBe(false);
      expect(view.hasDeclined(circleId, isaiah.id, sessions[12]!.toUTC().toISO()!)).toBe(true);
      expect(view.hasDeclined(circleId, isaiah.id, sessions[5]!.toUTC().toISO()!)).toBe(false);

      // The team view: week 7 was held all the same (a live run), so it is no slip; what changes is
      // whose session it was: Diego's and Lee's week 7, and Isaiah's weeks 6–9 (the last complete
      // week is 9), are not theirs — 6 fewer sessions taken part in, 12 fewer blocks protected.
      const { view: after } = await team();
      expect(after.circles.atRisk).toBe(0);
      expect(after.sessions.planned).toBe(before.sessions.planned);
      expect(after.sessions.held).toBe(before.sessions.held - 6);
      expect(after.protectedHours.blocksProtected).toBe(before.protectedHours.blocksProtected - 12);
    });
  });
});
