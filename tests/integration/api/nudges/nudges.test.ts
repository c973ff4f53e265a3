import { DateTime } from "luxon";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createNudgesModule } from "../../../../api/nudges";
import { createLogger } from "../../../../api/shared/logger";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { person } from "../booking/booking-stack";
import { bookWeeklySeries, cancelOccurrence, insertCircle, insertCommitment, insertRun, startNudgesStack, ZONE, type FeedItem, type NudgesStack } from "./nudges-stack";

const megan = person("megan.bowen"); // Europe/London
const priya = person("priya.raman"); // Asia/Kolkata
const isaiah = person("isaiah.langer"); // America/New_York
const alex = person("alex.wilber"); // Europe/London

const SettingsSchema = z.object({ prepReminder: z.boolean(), reflectionPrompt: z.boolean(), momentumFading: z.boolean(), protectedTimeConflict: z.boolean(), sessionDeclined: z.boolean() }).strict();

/** The circle a nudge's link opens: the personal tab's deep link, its context's subEntityId. */
function linkedCircle(item: FeedItem, teamsAppId: string): string | undefined {
  const url = new URL(item.topic.webUrl ?? "");
  expect(`${url.origin}${url.pathname}`).toBe(`https://teams.microsoft.com/l/entity/${encodeURIComponent(teamsAppId)}/circles`);
  const context = z.object({ subEntityId: z.string() }).parse(JSON.parse(url.searchParams.get("context") ?? "null"));
  return /^circle:(.+)$/.exec(context.subEntityId)?.[1];
}

const param = (item: FeedItem, name: string) => item.templateParameters?.find((p) => p.name === name)?.value;

forEachEngine((engine) => {
  describe("scheduled nudges in the Teams activity feed", () => {
    let stack: NudgesStack;
    beforeAll(async () => {
      stack = await startNudgesStack(engine.db);
    });
    afterAll(async () => {
      await stack?.runner.stop();
      await stack?.sandbox.close();
    });

    /** The person's nudges of one kind about one circle (the feed is shared by every test of the suite). */
    async function nudges(who: SeedPerson, kind: string, circleName: string): Promise<FeedItem[]> {
      return (await stack.feed(who)).filter((i) => i.activityType === kind && param(i, "circleName") === circleName);
    }
    async function at(iso: string): Promise<void> {
      stack.setNow(iso);
      await stack.runDue();
    }

    it("sends each member one prep reminder at 09:00 their time the day before, with their own commitments only, and never again after a restart", async () => {
      const name = "Leads A";
      const circleId = await insertCircle(stack.db, name, megan, [priya, isaiah]);
      const first = DateTime.fromISO("2030-06-04T15:00", { zone: ZONE });
      await bookWeeklySeries(stack, circleId, megan, [priya, isaiah], first);
      // The first session was run in the app: roles given out, and each member wrote a commitment.
      const runId = await insertRun(stack.db, circleId, first, { facilitator: megan.id, caseOwner: priya.id, coaches: [isaiah.id] });
      await insertCommitment(stack.db, circleId, runId, megan, "Call Sam about the rota");
      await insertCommitment(stack.db, circleId, runId, priya, "PRIYA-ONLY: talk to my manager");
      await insertCommitment(stack.db, circleId, runId, isaiah, "<img src=x onerror=alert(1)>");

      // Session 2: Tue 11 June 2030, 15:00 London = 14:00Z = 19:30 Kolkata = 10:00 New York.
      await at("2030-06-10T03:29:00Z");
      for (const who of [megan, priya, isaiah]) expect(await nudges(who, "prepReminder", name)).toEqual([]);

      await at("2030-06-10T03:30:00Z"); // 09:00 in Kolkata
      expect(await nudges(priya, "prepReminder", name)).toHaveLength(1);
      expect(await nudges(megan, "prepReminder", name)).toEqual([]);

      await at("2030-06-10T07:59:00Z");
      expect(await nudges(megan, "prepReminder", name)).toEqual([]);
      await at("2030-06-10T08:00:00Z"); // 09:00 in London
      expect(await nudges(megan, "prepReminder", name)).toHaveLength(1);
      expect(await nudges(isaiah, "prepReminder", name)).toEqual([]);

      await at("2030-06-10T13:00:00Z"); // 09:00 in New York
      for (const who of [megan, priya, isaiah]) expect(await nudges(who, "prepReminder", name)).toHaveLength(1);

      // A redeploy (new module, new runner, same database) scans again: nothing is sent twice.
      await stack.restart();
      await at("2030-06-10T13:00:00Z");
      await at("2030-06-10T20:00:00Z");
      for (const who of [megan, priya, isaiah]) expect(await nudges(who, "prepReminder", name)).toHaveLength(1);
      const rows = await stack.db.selectFrom("nudge_deliveries").select(["user_id", "status"]).where("circle_id", "=", circleId).where("kind", "=", "prepReminder").execute();
      expect(rows.map((r) => r.status)).toEqual(["sent", "sent", "sent"]);

      const [forMegan] = await nudges(megan, "prepReminder", name);
      expect(forMegan).toMatchObject({ recipientId: megan.id, topic: { source: "text", value: "Coaching Circles" } });
      // Clicking it opens this circle in the personal tab.
      expect(linkedCircle(forMegan!, stack.teamsAppId)).toBe(circleId);
      expect(param(forMegan!, "when")).toBe("tomorrow at 15:00");
      expect(forMegan!.previewText.content).toBe("Leads A meets tomorrow at 15:00. Bring a case or a question. Your commitment: “Call Sam about the rota”");

      const [forPriya] = await nudges(priya, "prepReminder", name);
      expect(param(forPriya!, "when")).toBe("tomorrow at 19:30");
      expect(forPriya!.previewText.content).toContain("PRIYA-ONLY: talk to my manager");

      // The rotation makes Isaiah case owner next (Priya facilitates); his own commitment stays text.
      const [forIsaiah] = await nudges(isaiah, "prepReminder", name);
      expect(param(forIsaiah!, "when")).toBe("tomorrow at 10:00");
      expect(forIsaiah!.previewText.content).toBe("Leads A meets tomorrow at 10:00. You are the case owner: bring a case. Your commitment: “‹img src=x onerror=alert(1)›”");

      // Nobody sees another member's commitment.
      for (const item of [forMegan!, forPriya!, forIsaiah!]) expect(JSON.stringify(item)).not.toMatch(/<img/);
      expect(JSON.stringify([forMegan, forIsaiah])).not.toContain("PRIYA-ONLY");
      expect(JSON.stringify([forPriya, forIsaiah])).not.toContain("Call Sam");
      expect(JSON.stringify([forMegan, forPriya])).not.toContain("img");
    });

    it("prompts reflection when the session ends, once", async () => {
      const name = "Leads A";
      await at("2030-06-11T14:59:00Z");
      for (const who of [megan, priya, isaiah]) expect(await nudges(who, "reflectionPrompt", name)).toEqual([]);
      await at("2030-06-11T15:00:00Z");
      await at("2030-06-11T16:00:00Z");
      for (const who of [megan, priya, isaiah]) {
        const items = await nudges(who, "reflectionPrompt", name);
        expect(items).toHaveLength(1);
        expect(items[0]!.previewText.content).not.toMatch(/rota|PRIYA|img/);
      }
    });

    it("lets each person switch their own nudges; a switched-off nudge is not sent, not even later", async () => {
      const name = "Leads B";
      const circleId = await insertCircle(stack.db, name, megan, [alex]);
      await bookWeeklySeries(stack, circleId, megan, [alex], DateTime.fromISO("2030-09-03T15:00", { zone: ZONE }));

      expect((await stack.call(megan, "get", "/api/me/nudges")).body).toEqual({ prepReminder: true, reflectionPrompt: true, momentumFading: true, protectedTimeConflict: true, sessionDeclined: true });
      const off = await stack.call(megan, "patch", "/api/me/nudges", { prepReminder: false });
      expect(off.status).toBe(200);
      expect(SettingsSchema.parse(off.body)).toEqual({ prepReminder: false, reflectionPrompt: true, momentumFading: true, protectedTimeConflict: true, sessionDeclined: true });
      // The declined-session nudge has a switch of its own.
      expect(SettingsSchema.parse((await stack.call(megan, "patch", "/api/me/nudges", { sessionDeclined: false })).body)).toMatchObject({ sessionDeclined: false, protectedTimeConflict: true });
      expect(SettingsSchema.parse((await stack.call(megan, "patch", "/api/me/nudges", { sessionDeclined: true })).body)).toMatchObject({ sessionDeclined: true });
      // Megan's switch is hers alone.
      expect((await stack.call(alex, "get", "/api/me/nudges")).body).toMatchObject({ prepReminder: true });

      await at("2030-09-02T08:00:00Z");
      expect(await nudges(alex, "prepReminder", name)).toHaveLength(1);
      expect(await nudges(megan, "prepReminder", name)).toEqual([]);
      const row = await stack.db.selectFrom("nudge_deliveries").select("status").where("circle_id", "=", circleId).where("user_id", "=", megan.id).executeTakeFirstOrThrow();
      expect(row.status).toBe("switchedOff");

      // Switching back on does not deliver the reminder that was due while it was off…
      expect((await stack.call(megan, "patch", "/api/me/nudges", { prepReminder: true })).body).toMatchObject({ prepReminder: true });
      await at("2030-09-02T09:00:00Z");
      expect(await nudges(megan, "prepReminder", name)).toEqual([]);
      // …but the next session's reminder comes.
      await at("2030-09-09T08:00:00Z");
      expect(await nudges(megan, "prepReminder", name)).toHaveLength(1);
      expect(await nudges(alex, "prepReminder", name)).toHaveLength(2);
    });

    it("sends each nudge once when two instances scan at the same moment", async () => {
      const name = "Leads A";
      // Session 3 of Leads A: Tue 18 June 2030; Megan's reminder is due at 09:00 London on the 17th.
      const when = "2030-06-17T08:00:00Z";
      stack.setNow(when);
      const other = createNudgesModule({ db: stack.db, graph: stack.graph, appUrl: "https://app.example", teamsAppId: stack.teamsAppId, clock: () => new Date(when), logger: createLogger({ level: "silent" }) });
      const results = await Promise.all([stack.nudges.scheduler.scan(), other.scheduler.scan()]);
      // Due now: Megan's (09:00 London) and Priya's (09:00 Kolkata, hours ago); Isaiah's comes at 09:00 New York.
      expect(results.reduce((n, r) => n + r.sent, 0)).toBe(2);
      expect(await nudges(megan, "prepReminder", name)).toHaveLength(2); // sessions 2 and 3
      expect(await nudges(priya, "prepReminder", name)).toHaveLength(2);
      expect(await nudges(isaiah, "prepReminder", name)).toHaveLength(1);
    });

    it("rejects settings that are not switches, and callers without a token", async () => {
      for (const body of [{}, { prepReminder: "no" }, { prepReminder: true, someoneElse: false }]) {
        const res = await stack.call(megan, "patch", "/api/me/nudges", body);
        expect(res.status, JSON.stringify(body)).toBe(400);
        expect(res.body).toMatchObject({ error: { code: "bad_request" } });
      }
      expect((await request(stack.app).get("/api/me/nudges")).status).toBe(401);
    });

    it("tells every member once when 2 of the last 3 sessions were skipped", async () => {
      const name = "Leads C";
      const circleId = await insertCircle(stack.db, name, megan, [alex, priya]);
      const first = DateTime.fromISO("2030-11-05T15:00", { zone: ZONE });
      const { eventId, sessions } = await bookWeeklySeries(stack, circleId, megan, [alex, priya], first);
      await cancelOccurrence(stack, megan, eventId, sessions[0]!);
      await insertRun(stack.db, circleId, sessions[1]!, { facilitator: megan.id, caseOwner: alex.id, coaches: [priya.id] });
      await cancelOccurrence(stack, megan, eventId, sessions[2]!);

      // After the held second session: one slip of two, no nudge.
      await at(sessions[1]!.plus({ hours: 2 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) expect(await nudges(who, "momentumFading", name)).toEqual([]);

      // The third is skipped too: 2 of the last 3. Later scans that day find it sent already.
      await at(sessions[2]!.plus({ minutes: 30 }).toUTC().toISO()!);
      await at(sessions[2]!.plus({ hours: 2 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) {
        const items = await nudges(who, "momentumFading", name);
        expect(items).toHaveLength(1);
        expect(param(items[0]!, "reason")).toBe("2 of the last 3 sessions were skipped");
      }

      // The fourth is not held either: still at risk, but nobody is told twice — also after a restart.
      await at(sessions[3]!.plus({ hours: 2 }).toUTC().toISO()!);
      await stack.restart();
      await at(sessions[3]!.plus({ hours: 3 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) expect(await nudges(who, "momentumFading", name)).toHaveLength(1);
    });

    it("tells every member when most of the circle declined 2 of the last 3 sessions", async () => {
      const name = "Leads D";
      const circleId = await insertCircle(stack.db, name, megan, [alex, priya]);
      const first = DateTime.fromISO("2031-02-04T15:00", { zone: ZONE });
      const { sessions } = await bookWeeklySeries(stack, circleId, megan, [alex, priya], first);
      await insertRun(stack.db, circleId, sessions[0]!, { facilitator: megan.id, caseOwner: alex.id, coaches: [priya.id] });
      // Sessions 2 and 3: Alex and Priya declined (2 of 3 members), as the decline tracker records it.
      // Megan declined session 2 alone too, then accepted again: a withdrawn decline does not count.
      await insertDecline(stack, circleId, alex, sessions[1]!);
      await insertDecline(stack, circleId, priya, sessions[1]!);
      await insertDecline(stack, circleId, alex, sessions[2]!);
      await insertDecline(stack, circleId, priya, sessions[2]!);
      await insertDecline(stack, circleId, megan, sessions[2]!, { withdrawn: true });

      // Session 2 ended declined by most: one slip of two, no nudge yet.
      await at(sessions[1]!.plus({ hours: 2 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) expect(await nudges(who, "momentumFading", name)).toEqual([]);
      // While session 3 runs, the others may still meet: nothing yet.
      await at(sessions[2]!.plus({ minutes: 30 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) expect(await nudges(who, "momentumFading", name)).toEqual([]);
      // Once it has ended: 2 of the last 3 were declined by most, and the nudge says so.
      await at(sessions[2]!.plus({ hours: 2 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) {
        const items = await nudges(who, "momentumFading", name);
        expect(items).toHaveLength(1);
        expect(param(items[0]!, "reason")).toBe("2 of the last 3 sessions were declined by most");
        expect(linkedCircle(items[0]!, stack.teamsAppId)).toBe(circleId);
      }
    });

    it("does not call a session declined by most when fewer than most declined it", async () => {
      const name = "Leads E";
      const circleId = await insertCircle(stack.db, name, megan, [alex, priya]);
      const first = DateTime.fromISO("2031-05-06T15:00", { zone: ZONE });
      const { sessions } = await bookWeeklySeries(stack, circleId, megan, [alex, priya], first);
      await insertRun(stack.db, circleId, sessions[0]!, { facilitator: megan.id, caseOwner: alex.id, coaches: [priya.id] });
      // Only Alex (1 of 3) declined sessions 2 and 3, and nobody ran them: they were not held.
      await insertDecline(stack, circleId, alex, sessions[1]!);
      await insertDecline(stack, circleId, alex, sessions[2]!);
      await at(sessions[2]!.plus({ hours: 2 }).toUTC().toISO()!);
      for (const who of [megan, alex, priya]) {
        const items = await nudges(who, "momentumFading", name);
        expect(items).toHaveLength(1);
        expect(param(items[0]!, "reason")).toBe("2 of the last 3 sessions were not held");
      }
    });
  });
});

/** A declined occurrence as the decline tracker (notifications/declines.ts) records it. */
async function insertDecline(stack: NudgesStack, circleId: string, who: SeedPerson, start: DateTime, opts: { withdrawn?: boolean } = {}): Promise<void> {
  const key = start.toUTC().toISO({ suppressMilliseconds: false })!;
  await stack.db
    .insertInto("session_declines")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: stack.sandbox.sandbox.tenantId, occurrence_key: key, scope: "occurrence", session_start_at: key, declined_at: "2030-01-01T00:00:00.000Z", withdrawn_at: opts.withdrawn ? "2030-01-02T00:00:00.000Z" : null, released_blocks: 0, nudged_at: null })
    .execute();
}
