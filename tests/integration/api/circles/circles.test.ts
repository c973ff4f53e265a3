import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Express } from "express";
import { addMember, removeMember, type CirclesDeps } from "../../../../api/circles/service";
import type { CircleRecord } from "../../../../api/circles/access";
import type { SeriesPort } from "../../../../api/circles/ports";
import { forEachEngine } from "../../../fixtures/engines";
import { ALEX, DIEGO, ISAIAH, LEE, MEGAN, PRIYA, as, idOf, startSandboxStack, type SandboxStack } from "./sandbox-stack";

const NOW = new Date("2026-03-02T09:00:00.000Z");
let stack: SandboxStack;

beforeAll(async () => {
  stack = await startSandboxStack({ now: NOW });
});
afterAll(async () => {
  await stack?.close();
});

const validBody = {
  name: "New managers circle",
  purpose: "Practise the hard conversations of a first management role.",
  members: [ALEX, PRIYA],
  formatId: "coaching-circle",
  cadence: "biweekly",
  sessionMinutes: 60,
  sessionCount: 6,
};

forEachEngine((ctx) => {
  let app: Express;
  beforeAll(() => {
    app = stack.appFor(ctx.db);
  });

  async function counts() {
    const circles = await ctx.db.selectFrom("circles").select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
    const members = await ctx.db.selectFrom("circle_members").select((eb) => eb.fn.countAll<string | number>().as("n")).executeTakeFirstOrThrow();
    return { circles: Number(circles.n), members: Number(members.n) };
  }

  async function create(upn: string, body: Record<string, unknown> = validBody) {
    const res = await as(stack, app, upn).post("/api/circles", body);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; members: Array<{ id: string; upn: string; role: string; timeZone: string | null }>; organizerId: string };
  }

  describe("createCircle → getCircle", () => {
    it("creates a circle with the caller as organiser, the default charter and the organiser's mailbox zone, and reads it back", async () => {
      const created = await create(MEGAN);
      expect(created).toMatchObject({
        name: validBody.name,
        purpose: validBody.purpose,
        formatId: "coaching-circle",
        cadence: "biweekly",
        sessionMinutes: 60,
        sessionCount: 6,
        timeZone: "Europe/London",
        rotateRoles: true,
        organizerId: idOf(MEGAN),
      });
      expect(created.members.map((m) => [m.upn, m.role])).toEqual([
        [MEGAN, "organizer"],
        [ALEX, "member"],
        [PRIYA, "member"],
      ]);
      expect(created.members[0]?.timeZone).toBe("Europe/London");
      const charter = (created as unknown as { charter: string[] }).charter;
      expect(charter).toHaveLength(4);
      expect(charter.join(" ")).toMatch(/confidential/i);
      expect(charter.join(" ")).toMatch(/listen/i);
      expect(charter.join(" ")).toMatch(/time/i);
      expect(charter.join(" ")).toMatch(/conflicts of interest/i);

      const read = await as(stack, app, PRIYA).get(`/api/circles/${created.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(created);
      // Not booked, and no booking module wired here: no series to show.
      expect(read.body.series).toBeUndefined();

      const list = await as(stack, app, ALEX).get("/api/circles");
      expect(list.body.circles.map((c: { id: string }) => c.id)).toContain(created.id);
    });

    it("makes a pair of two, keeps the organiser once when listed, and takes an explicit zone, charter and rotation", async () => {
      const created = await create(PRIYA, { ...validBody, members: [PRIYA, LEE], timeZone: "Asia/Kolkata", charter: ["We keep it kind."], rotateRoles: false });
      expect(created.members.map((m) => m.upn)).toEqual([PRIYA, LEE]);
      expect(created).toMatchObject({ timeZone: "Asia/Kolkata", charter: ["We keep it kind."], rotateRoles: false });
    });

    it("keeps text with <script> as inert JSON data, byte for byte", async () => {
      const name = "<script>alert('x')</script> circle";
      const res = await as(stack, app, MEGAN).post("/api/circles", { ...validBody, name, purpose: "<img src=x onerror=alert(1)>" });
      expect(res.status).toBe(201);
      expect(res.headers["content-type"]).toMatch(/^application\/json/);
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.body.name).toBe(name);
      expect(res.body.purpose).toBe("<img src=x onerror=alert(1)>");
    });
  });

  describe("bad input", () => {
    const cases: Array<[string, Record<string, unknown>, RegExp]> = [
      ["an empty name", { ...validBody, name: "  " }, /name/],
      ["a name over 80 characters", { ...validBody, name: "x".repeat(81) }, /name/],
      ["a purpose over 500 characters", { ...validBody, purpose: "x".repeat(501) }, /purpose/],
      ["no members", { ...validBody, members: [] }, /members/],
      ["only the organiser", { ...validBody, members: [MEGAN] }, /members/],
      ["nine people", { ...validBody, members: ["a", "b", "c", "d", "e", "f", "g", "h"].map((n) => `${n}.person@contoso.example`) }, /members/],
      ["a malformed UPN", { ...validBody, members: ["not an address"] }, /members/],
      ["a session of 19 minutes", { ...validBody, sessionMinutes: 19 }, /sessionMinutes/],
      ["a session of 91 minutes", { ...validBody, sessionMinutes: 91 }, /sessionMinutes/],
      ["no sessions", { ...validBody, sessionCount: 0 }, /sessionCount/],
      ["53 sessions", { ...validBody, sessionCount: 53 }, /sessionCount/],
      ["a daily cadence", { ...validBody, cadence: "daily" }, /cadence/],
      ["an unknown time zone", { ...validBody, timeZone: "Mars/Olympus_Mons" }, /timeZone/],
      ["an unknown format", { ...validBody, formatId: "troika" }, /formatId/],
      ["an empty charter", { ...validBody, charter: [] }, /charter/],
      ["a missing cadence", { ...validBody, cadence: undefined }, /cadence/],
    ];
    it.each(cases)("answers 400 for %s and stores nothing", async (_what, body, field) => {
      const before = await counts();
      const res = await as(stack, app, MEGAN).post("/api/circles", body);
      expect(res.status).toBe(400);
      expect(res.body.error.code).toBe("bad_request");
      expect(res.body.error.message).toMatch(field);
      expect(await counts()).toEqual(before);
    });

    it("names the UPN the directory does not know and stores nothing", async () => {
      const before = await counts();
      const res = await as(stack, app, MEGAN).post("/api/circles", { ...validBody, members: [ALEX, "nobody.here@contoso.example"] });
      expect(res.status).toBe(400);
      expect(res.body.error).toMatchObject({ code: "bad_request" });
      expect(res.body.error.message).toContain("nobody.here@contoso.example");
      expect(res.body.error.message).not.toContain(ALEX);
      expect(await counts()).toEqual(before);
    });

    it("answers 401 without a token", async () => {
      const { default: request } = await import("supertest");
      const res = await request(app).post("/api/circles").send(validBody);
      expect(res.status).toBe(401);
    });
  });

  describe("only members can see a circle", () => {
    it("answers 404 to a non-member on every circle route, as for a circle that does not exist", async () => {
      const circle = await create(MEGAN);
      const stranger = as(stack, app, LEE);
      const responses = await Promise.all([
        stranger.get(`/api/circles/${circle.id}`),
        stranger.patch(`/api/circles/${circle.id}`, { name: "Mine now" }),
        stranger.post(`/api/circles/${circle.id}/members`, { upn: LEE }),
        stranger.delete(`/api/circles/${circle.id}/members/${idOf(ALEX)}`),
        stranger.post(`/api/circles/${circle.id}/slots`, {}),
      ]);
      for (const res of responses) {
        expect(res.status).toBe(404);
        expect(res.body.error.code).toBe("not_found");
      }
      const missing = await stranger.get("/api/circles/00000000-0000-4000-8000-00000000dead");
      expect(missing.status).toBe(404);
      expect(missing.body.error.message).toBe(responses[0]!.body.error.message);
      const list = await stranger.get("/api/circles");
      expect(list.body.circles.map((c: { id: string }) => c.id)).not.toContain(circle.id);
    });
  });

  describe("updateCircle", () => {
    it("lets the organiser change name, purpose, charter and rotation, and refuses other members", async () => {
      const circle = await create(MEGAN);
      const res = await as(stack, app, MEGAN).patch(`/api/circles/${circle.id}`, { name: "Renamed", charter: ["One rule."], rotateRoles: false });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ name: "Renamed", purpose: validBody.purpose, charter: ["One rule."], rotateRoles: false });
      const byMember = await as(stack, app, ALEX).patch(`/api/circles/${circle.id}`, { name: "Alex's" });
      expect(byMember.status).toBe(403);
      const bad = await as(stack, app, MEGAN).patch(`/api/circles/${circle.id}`, { name: "" });
      expect(bad.status).toBe(400);
      expect((await as(stack, app, ALEX).get(`/api/circles/${circle.id}`)).body.name).toBe("Renamed");
    });
  });

  describe("membership", () => {
    it("lets the organiser add and remove people, keeps history, and lets a member leave", async () => {
      const circle = await create(MEGAN);
      const organiser = as(stack, app, MEGAN);

      const added = await organiser.post(`/api/circles/${circle.id}/members`, { upn: DIEGO });
      expect(added.status).toBe(200);
      expect(added.body.members.map((m: { upn: string }) => m.upn)).toEqual([MEGAN, ALEX, DIEGO, PRIYA]);
      expect((await as(stack, app, DIEGO).get(`/api/circles/${circle.id}`)).status).toBe(200);

      expect((await organiser.post(`/api/circles/${circle.id}/members`, { upn: DIEGO })).status).toBe(409);
      const unknown = await organiser.post(`/api/circles/${circle.id}/members`, { upn: "ghost@contoso.example" });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain("ghost@contoso.example");
      // Only the organiser adds people.
      expect((await as(stack, app, ALEX).post(`/api/circles/${circle.id}/members`, { upn: ISAIAH })).status).toBe(403);
      // …and removes others.
      expect((await as(stack, app, ALEX).delete(`/api/circles/${circle.id}/members/${idOf(PRIYA)}`)).status).toBe(403);

      const removed = await organiser.delete(`/api/circles/${circle.id}/members/${idOf(DIEGO)}`);
      expect(removed.status).toBe(200);
      expect(removed.body.members.map((m: { upn: string }) => m.upn)).toEqual([MEGAN, ALEX, PRIYA]);
      expect((await as(stack, app, DIEGO).get(`/api/circles/${circle.id}`)).status).toBe(404);

      const left = await as(stack, app, PRIYA).delete(`/api/circles/${circle.id}/members/${idOf(PRIYA)}`);
      expect(left.status).toBe(200);
      expect((await as(stack, app, PRIYA).get(`/api/circles/${circle.id}`)).status).toBe(404);

      // History: the rows stay, with when they left.
      const rows = await ctx.db.selectFrom("circle_members").select(["upn", "left_at"]).where("circle_id", "=", circle.id).orderBy("upn").execute();
      expect(rows.filter((r) => r.left_at !== null).map((r) => r.upn).sort()).toEqual([DIEGO, PRIYA]);

      // Two left: a circle keeps at least two members.
      const last = await organiser.delete(`/api/circles/${circle.id}/members/${idOf(ALEX)}`);
      expect(last.status).toBe(409);
      expect((await as(stack, app, ALEX).get(`/api/circles/${circle.id}`)).body.members).toHaveLength(2);

      // Someone who left can be brought back.
      const back = await organiser.post(`/api/circles/${circle.id}/members`, { upn: PRIYA });
      expect(back.body.members.map((m: { upn: string }) => m.upn)).toContain(PRIYA);
    });

    it("hands the organiser role to the longest-standing member when the organiser leaves", async () => {
      const circle = await create(MEGAN);
      const res = await as(stack, app, MEGAN).delete(`/api/circles/${circle.id}/members/${idOf(MEGAN)}`);
      expect(res.status).toBe(200);
      const after = await as(stack, app, ALEX).get(`/api/circles/${circle.id}`);
      expect(after.body.organizerId).toBe(idOf(ALEX));
      expect(after.body.members.find((m: { upn: string }) => m.upn === ALEX).role).toBe("organizer");
      // The new organiser can now change it.
      expect((await as(stack, app, ALEX).patch(`/api/circles/${circle.id}`, { name: "Alex's now" })).status).toBe(200);
    });

    it("tells the booked series about every membership change, with the circle as it now is", async () => {
      const circle = await create(MEGAN);
      const calls: Array<{ members: string[]; by: string }> = [];
      // Sorted: the port sees the stored order (by join time, then UPN), which is not its concern.
      const series: SeriesPort = {
        read: async () => undefined,
        latestBooking: async () => undefined,
        membersChanged: async (record: CircleRecord, caller) => {
          calls.push({ members: record.members.map((m) => m.upn).sort(), by: caller.userPrincipalName });
        },
      };
      const deps: CirclesDeps = { db: ctx.db, graph: stack.graph, clock: () => NOW, series };
      await addMember(deps, await stack.callerFor(MEGAN), circle.id, LEE);
      await removeMember(deps, await stack.callerFor(ALEX), circle.id, idOf(ALEX));
      expect(calls).toEqual([
        { members: [ALEX, LEE, MEGAN, PRIYA], by: MEGAN },
        { members: [LEE, MEGAN, PRIYA], by: ALEX },
      ]);
    });

    it("shows the series and the latest booking read through the port", async () => {
      const circle = await create(MEGAN);
      const series: SeriesPort = {
        read: async (record) => ({ eventId: `evt-${record.circle.id}`, joinWebUrl: null, chatId: "19:meeting_x@thread.v2", occurrences: [{ id: "o1", start: "2026-03-10T15:00:00+00:00", end: "2026-03-10T16:00:00+00:00", status: "scheduled" }] }),
        latestBooking: async () => ({ jobId: "job-1", status: "succeeded" }),
        membersChanged: async () => undefined,
      };
      const { getCircle } = await import("../../../../api/circles/service");
      const detail = await getCircle({ db: ctx.db, graph: stack.graph, clock: () => NOW, series }, await stack.callerFor(PRIYA), circle.id);
      expect(detail.series).toMatchObject({ eventId: `evt-${circle.id}`, chatId: "19:meeting_x@thread.v2" });
      expect(detail.booking).toEqual({ jobId: "job-1", status: "succeeded" });
    });
  });
});
