import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { createMeetingChat, demoPeople, seedCircle, type DemoPerson } from "../sessions/sandbox-stack";
import { dumpStore, startPrivacyStack, type PrivacyStack } from "./privacy-stack";

/**
 * "Your data" (issue #5 part 7) end to end against the sandbox: Alex takes part in a booked circle
 * (notes, a question, a commitment reviewed at the next session, an insight shared with the
 * program, a pulse, protected time on his calendar, a calendar subscription), then exports and
 * deletes his data. Priya and Megan are the rest of the circle.
 */

interface SessionLike {
  id: string;
  review: Array<{ id: string; ownerId: string; action: string; review: { status: string; learning: string } | null }>;
}
interface ExportLike {
  format: string;
  version: number;
  profile: { userId: string; userPrincipalName: string };
  circles: Array<{ circleId: string; role: string; youOrganiseTheSeries: boolean }>;
  sessions: Array<{ sessionId: string; roles: string[]; airtimeSeconds: number | null; questions: Array<{ text: string }> }>;
  notes: Array<{ text: string; visibility: string }>;
  commitments: Array<{ action: string; review: { status: string; learning: string } | null }>;
  insights: Array<{ text: string; sharedWithProgram: boolean }>;
  pulses: Array<{ rating: number }>;
  protectedTime: { blocks: unknown[] };
  calendarSubscriptions: Array<{ id: string }>;
  attendance: unknown[];
  nudgeDeliveries: unknown[];
  sessionDeclines: Array<{ circleId: string; occurrenceKey: string; scope: string; withdrawnAt: string | null }>;
  seriesCopies: Array<{ circleId: string; iCalUId: string }>;
  notIncluded: string[];
}
interface GraphInstance {
  id: string;
  start: { dateTime: string };
  originalStart?: string | null;
}
interface DeleteLike {
  status: string;
  removed: Record<string, number>;
  anonymised: Record<string, number>;
  microsoft365: { protectedBlocksRemoved: number; subscriptionsDeleted: number; seriesAttendeesUpdated: number; problems: string[] };
  kept: string[];
}

const CONFIRM = { confirm: "delete my data" };

describe("exporting and deleting my data", { timeout: 60_000 }, () => {
  forEachEngine((ctx) => {
    let stack: PrivacyStack;
    let now = new Date("2030-03-04T10:05:00Z");
    let megan: DemoPerson;
    let alex: DemoPerson;
    let priya: DemoPerson;
    let outsider: DemoPerson;
    let circleId: string;
    let chatId: string;
    let seriesEventId: string;
    let seriesICalUId: string;
    let declinedSlot: string;
    let first: SessionLike;
    let second: SessionLike;

    const call = <T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown) => stack.call<T>(who, method, path, body);
    const exportOf = (who: DemoPerson, query = "") => call<ExportLike>(who, "GET", `/api/me/data${query}`);
    const find = (who: DemoPerson) => call<{ session: SessionLike }>(who, "GET", `/api/sessions/current?chatId=${encodeURIComponent(chatId)}`);
    const intent = (who: DemoPerson, sessionId: string, body: unknown) => call(who, "POST", `/api/sessions/${sessionId}/intents`, body);
    const ok = <T>(reply: { status: number; text: string; body: T }, status = 200): T => {
      expect(reply.status, reply.text).toBe(status);
      return reply.body;
    };
    /** Figures the circle's totals are built from: review outcomes and pulse ratings. */
    const circleFigures = async () => ({
      outcomes: (await ctx.db.selectFrom("commitments").select("review_status").where("circle_id", "=", circleId).where("review_status", "is not", null).execute()).map((r) => r.review_status).sort(),
      ratings: (await ctx.db.selectFrom("session_pulses").select("rating").where("session_id", "=", first.id).execute()).map((r) => Number(r.rating)).sort(),
      attendedSeconds: (await ctx.db.selectFrom("attendance_records").select("seconds").where("circle_id", "=", circleId).execute()).map((r) => Number(r.seconds)).sort(),
    });

    beforeAll(async () => {
      stack = await startPrivacyStack(ctx.db, () => now);
      const people = await demoPeople(stack.sandbox.url);
      const byUpn = (upn: string) => people.find((p) => p.upn === upn)!;
      megan = byUpn("megan.bowen@contoso.example");
      alex = byUpn("alex.wilber@contoso.example");
      priya = byUpn("priya.raman@contoso.example");
      outsider = people.find((p) => ![megan.id, alex.id, priya.id].includes(p.id))!;

      // A real series in Megan's mailbox (Alex and Priya invited) and the circle booked as it.
      ({ chatId } = await createMeetingChat(stack.sandbox.url, megan, [alex, priya], { date: "2030-03-04", time: "10:00" }));
      const events = ok(await stack.graph<{ value: Array<{ id: string; iCalUId: string; type: string; start: { dateTime: string } }> }>(megan, "GET", "/me/events?$select=id,iCalUId,type,start&$top=200"));
      // The demo organisation has series of its own: ours is the one starting on 4 March 2030.
      const master = events.value.find((e) => e.type === "seriesMaster" && e.start.dateTime.startsWith("2030-03-04"))!;
      seriesEventId = master.id;
      seriesICalUId = master.iCalUId;
      circleId = await seedCircle(ctx.db, { name: `Privacy circle ${ctx.engine}`, members: [megan, alex, priya], chatId, firstStart: "2030-03-04T10:00:00+00:00" });
      await ctx.db.updateTable("circle_series").set({ event_id: master.id, ical_uid: master.iCalUId, time_zone: "UTC" }).where("circle_id", "=", circleId).execute();

      // Alex opens the app (his profile is recorded).
      ok(await call(alex, "GET", "/api/me"));

      // First session: a question, airtime, notes, commitments, insights and pulses.
      first = ok(await find(alex)).session;
      ok(await intent(megan, first.id, { type: "start" }));
      ok(await intent(alex, first.id, { type: "addQuestion", text: "ALEX-QUESTION what would you try first?" }));
      ok(await intent(megan, first.id, { type: "tallyAirtime", memberId: alex.id, seconds: 30 }));
      ok(await call(alex, "POST", `/api/sessions/${first.id}/notes`, { text: "ALEX-PRIVATE note", visibility: "private" }), 201);
      ok(await call(alex, "POST", `/api/sessions/${first.id}/notes`, { text: "ALEX-CIRCLE note", visibility: "circle" }), 201);
      ok(await call(priya, "POST", `/api/sessions/${first.id}/notes`, { text: "PRIYA-PRIVATE note", visibility: "private" }), 201);
      ok(await call(priya, "POST", `/api/sessions/${first.id}/notes`, { text: "PRIYA-CIRCLE note", visibility: "circle" }), 201);
      ok(await call(alex, "POST", `/api/sessions/${first.id}/commitments`, { action: "ALEX-ACTION ask for feedback", signal: "ALEX-SIGNAL" }), 201);
      ok(await call(priya, "POST", `/api/sessions/${first.id}/commitments`, { action: "PRIYA-ACTION delegate more" }), 201);
      ok(await call(alex, "POST", `/api/sessions/${first.id}/insights`, { text: "ALEX-INSIGHT silence helps", shareWithProgram: true }), 201);
      ok(await call(priya, "POST", `/api/sessions/${first.id}/insights`, { text: "PRIYA-INSIGHT ask first" }), 201);
      ok(await call(alex, "POST", `/api/sessions/${first.id}/pulse`, { rating: 4 }));
      ok(await call(priya, "POST", `/api/sessions/${first.id}/pulse`, { rating: 5 }));

      // Protected time on Alex's calendar, and the subscription that watches it.
      const synced = ok(await call<{ circles: Array<{ status: string; blocks: number }> }>(alex, "POST", "/api/protected-time/sync"));
      expect(synced.circles[0], JSON.stringify(synced)).toMatchObject({ status: "synced" });
      expect(synced.circles[0]!.blocks).toBeGreaterThan(0);

      // What other modules record about members: Teams attendance of the first session and a
      // prep reminder Alex was sent (written as those modules write them).
      await ctx.db.insertInto("attendance_reports").values({ circle_id: circleId, report_id: "report-1", tenant_id: SANDBOX_TENANT_ID, meeting_start_at: "2030-03-04T10:00:00.000Z", meeting_end_at: "2030-03-04T11:00:00.000Z", total_participant_count: 3, fetched_at: now.toISOString() }).execute();
      for (const [who, seconds] of [[megan, 3600], [alex, 3000], [priya, 3300]] as const) {
        await ctx.db.insertInto("attendance_records").values({ circle_id: circleId, report_id: "report-1", user_id: who.id, seconds }).execute();
      }
      // Alex declines the series' last session in his calendar: the change notification's job
      // records the decline (and the series copy it read), as in production.
      declinedSlot = await declineLastSession(alex);
      await stack.deliverAndRun();
      const recorded = await ctx.db.selectFrom("session_declines").select(["user_id", "occurrence_key"]).where("circle_id", "=", circleId).execute();
      expect(recorded).toEqual([{ user_id: alex.id, occurrence_key: declinedSlot }]);
      expect(await ctx.db.selectFrom("member_series_copies").select("user_id").where("circle_id", "=", circleId).where("user_id", "=", alex.id).execute()).toHaveLength(1);

      await ctx.db.insertInto("nudge_deliveries").values({ tenant_id: SANDBOX_TENANT_ID, user_id: alex.id, circle_id: circleId, occurrence_key: "2030-03-18T10:00:00.000Z", kind: "prepReminder", due_at: "2030-03-17T09:00:00.000Z", status: "sent", claimed_at: "2030-03-17T09:00:00.000Z", finished_at: "2030-03-17T09:00:01.000Z", error: null }).execute();

      // Second session: both review last session's cards.
      now = new Date("2030-03-18T10:05:00Z");
      second = ok(await find(priya)).session;
      for (const [who, status] of [
        [alex, "done"],
        [priya, "partly"],
      ] as const) {
        const card = second.review.find((c) => c.ownerId === who.id)!;
        ok(await intent(who, second.id, { type: "markReviewed", commitmentId: card.id, status, learning: `${who === alex ? "ALEX" : "PRIYA"}-LEARNING` }));
      }
    });
    afterAll(async () => {
      await stack?.close();
    });

    /** Declines the last session of the series in the person's own calendar (Outlook takes it off). */
    async function declineLastSession(who: DemoPerson): Promise<string> {
      const found = ok(await stack.graph<{ value: Array<{ id: string; type: string }> }>(who, "GET", `/me/events?$filter=${encodeURIComponent(`iCalUId eq '${seriesICalUId}'`)}`));
      const copy = found.value.find((e) => e.type === "seriesMaster")!;
      const instances = ok(await stack.graph<{ value: GraphInstance[] }>(who, "GET", `/me/events/${encodeURIComponent(copy.id)}/instances?startDateTime=2030-03-01T00:00:00Z&endDateTime=2031-03-01T00:00:00Z`));
      const last = instances.value.at(-1)!;
      ok(await stack.graph(who, "POST", `/me/events/${encodeURIComponent(last.id)}/decline`, { comment: "", sendResponse: true }), 202);
      const start = last.originalStart ?? `${last.start.dateTime.replace(/Z$/, "")}Z`;
      return new Date(Date.parse(start)).toISOString();
    }

    it("exports my notes, question, commitment, insight, pulse and protected time as a JSON attachment", async () => {
      const res = await exportOf(alex);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-disposition")).toBe('attachment; filename="coaching-circles-my-data-2030-03-18.json"');
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const data = res.body;
      expect(data).toMatchObject({ format: "coaching-circles/my-data", version: 1, profile: { userId: alex.id, userPrincipalName: alex.upn } });
      expect(data.circles).toEqual([expect.objectContaining({ circleId, role: "member", youOrganiseTheSeries: false })]);
      expect(data.notes.map((n) => [n.visibility, n.text])).toEqual([
        ["private", "ALEX-PRIVATE note"],
        ["circle", "ALEX-CIRCLE note"],
      ]);
      expect(data.commitments).toEqual([expect.objectContaining({ action: "ALEX-ACTION ask for feedback", review: expect.objectContaining({ status: "done", learning: "ALEX-LEARNING" }) })]);
      expect(data.insights).toEqual([expect.objectContaining({ text: "ALEX-INSIGHT silence helps", sharedWithProgram: true })]);
      expect(data.pulses.map((p) => p.rating)).toEqual([4]);
      const part = data.sessions.find((s) => s.sessionId === first.id)!;
      expect(part.questions.map((q) => q.text)).toEqual(["ALEX-QUESTION what would you try first?"]);
      expect(part.airtimeSeconds).toBe(30);
      expect(part.roles.length).toBeGreaterThan(0);
      expect(data.protectedTime.blocks.length).toBeGreaterThan(0);
      expect(data.calendarSubscriptions).toHaveLength(1);
      expect(data.attendance).toEqual([{ circleId, meetingStart: "2030-03-04T10:00:00.000Z", meetingEnd: "2030-03-04T11:00:00.000Z", seconds: 3000 }]);
      expect(data.nudgeDeliveries).toEqual([expect.objectContaining({ circleId, kind: "prepReminder", status: "sent" })]);
      // The session he declined, and his copy of the series as we first saw it.
      expect(data.sessionDeclines).toEqual([expect.objectContaining({ circleId, occurrenceKey: declinedSlot, scope: "occurrence", withdrawnAt: null })]);
      expect(data.seriesCopies).toEqual([expect.objectContaining({ circleId, iCalUId: seriesICalUId })]);
      expect(data.notIncluded.length).toBeGreaterThan(0);
    });

    it("leaves other members' words out of my export: their private notes, insights, circle notes and cards", async () => {
      const res = await exportOf(alex);
      for (const theirs of ["PRIYA-PRIVATE", "PRIYA-INSIGHT", "PRIYA-CIRCLE", "PRIYA-ACTION", "PRIYA-LEARNING"]) expect(res.text).not.toContain(theirs);
      // And nobody else's export holds Alex's words.
      for (const other of [priya, outsider]) {
        const theirs = await exportOf(other);
        expect(theirs.status).toBe(200);
        expect(theirs.text).not.toContain("ALEX-");
        expect(theirs.body.profile.userId).toBe(other.id);
      }
    });

    it("has no way to name someone else: a forged query or body is refused and nothing changes", async () => {
      expect((await exportOf(outsider, `?userId=${encodeURIComponent(alex.id)}`)).status).toBe(400);
      const before = await dumpStore(ctx.db);
      const forgedDelete = await call(outsider, "DELETE", `/api/me/data?userId=${encodeURIComponent(alex.id)}`, CONFIRM);
      expect(forgedDelete.status).toBe(400);
      const forgedBody = await call(outsider, "DELETE", "/api/me/data", { ...CONFIRM, userId: alex.id });
      expect(forgedBody.status).toBe(400);
      expect(await dumpStore(ctx.db)).toEqual(before);
      // Without a token there is no caller at all.
      const anonymous = await fetch(`${stack.apiUrl}/api/me/data`);
      expect(anonymous.status).toBe(401);
    });

    it("refuses to delete without the typed confirmation (400) and changes nothing", async () => {
      const before = await dumpStore(ctx.db);
      for (const body of [undefined, {}, { confirm: "yes" }, { confirm: "DELETE MY DATA" }]) {
        const res = await call<{ error: { code: string; message: string } }>(alex, "DELETE", "/api/me/data", body);
        expect(res.status).toBe(400);
        expect(res.body.error.code).toBe("bad_request");
      }
      expect(await dumpStore(ctx.db)).toEqual(before);
    });

    it("deletes my data: my words and identity leave the store, the calendar and the series; the circle and its totals stay", async () => {
      const figures = await circleFigures();
      const res = await call<DeleteLike>(alex, "DELETE", "/api/me/data", CONFIRM);
      expect(res.status, res.text).toBe(200);
      expect(res.body.status).toBe("deleted");
      expect(res.body.removed).toMatchObject({ profile: 1, circleMemberships: 1, notes: 2, commitments: 0, insights: 1, sharedInsightCopies: 1, questions: 1, nudgeDeliveries: 1, sessionDeclines: 1, seriesCopies: 1, calendarSubscriptions: 1 });
      expect(res.body.removed.protectedTimeBlocks).toBeGreaterThan(0);
      expect(res.body.anonymised).toMatchObject({ commitments: 1, pulses: 1, attendance: 1 });
      expect(res.body.anonymised.sessions).toBeGreaterThanOrEqual(1);
      expect(res.body.microsoft365).toMatchObject({ subscriptionsDeleted: 1, seriesAttendeesUpdated: 1, problems: [] });
      expect(res.body.microsoft365.protectedBlocksRemoved).toBeGreaterThan(0);

      // Nothing in any table still names Alex or holds his words (his decline and series copy went too).
      expect(await ctx.db.selectFrom("session_declines").select("user_id").where("circle_id", "=", circleId).execute()).toEqual([]);
      expect(await ctx.db.selectFrom("member_series_copies").select("user_id").where("circle_id", "=", circleId).where("user_id", "=", alex.id).execute()).toEqual([]);
      const store = JSON.stringify(await dumpStore(ctx.db));
      for (const trace of [alex.id, alex.upn, "ALEX-"]) expect(store).not.toContain(trace);
      // Priya's words are untouched.
      for (const hers of ["PRIYA-PRIVATE", "PRIYA-CIRCLE", "PRIYA-INSIGHT", "PRIYA-ACTION", "PRIYA-LEARNING"]) expect(store).toContain(hers);

      // The totals are built from the same outcomes and ratings as before.
      expect(await circleFigures()).toEqual(figures);

      // The rest of the circle still sees it, without Alex; his card reads as a former member's, without words.
      const circle = await call<{ members: Array<{ userId?: string; id?: string }> }>(megan, "GET", `/api/circles/${circleId}`);
      expect(circle.status).toBe(200);
      expect(circle.text).not.toContain(alex.id);
      // The live session the others open straight away no longer holds him (the run cache was dropped).
      const live = ok(await call<SessionLike>(megan, "GET", `/api/sessions/${second.id}`));
      expect(JSON.stringify(live)).not.toContain(alex.id);
      expect(JSON.stringify(live)).not.toContain("ALEX-");
      // The session goes on for the others: whoever held today's roles, a member may step in as
      // facilitator before the start.
      ok(await intent(megan, second.id, { type: "setRole", role: "facilitator", memberId: megan.id }));
      const started = await intent(megan, second.id, { type: "start" });
      expect(started.status, started.text).toBe(200);
      expect(started.text).not.toContain(alex.id);
      expect(started.text).not.toContain("ALEX-");
      const view = ok(await call<SessionLike>(priya, "GET", `/api/sessions/${second.id}`));
      expect(view.review).toHaveLength(2);
      expect(view.review.map((c) => c.review?.status).sort()).toEqual(["done", "partly"]);
      expect(JSON.stringify(view)).not.toContain("ALEX-");
      const notes = ok(await call<{ notes: Array<{ text: string }> }>(priya, "GET", `/api/sessions/${first.id}/notes`));
      expect(notes.notes.map((n) => n.text).sort()).toEqual(["PRIYA-CIRCLE note", "PRIYA-PRIVATE note"]);

      // Microsoft 365: no protected blocks left on his calendar, no subscription, not an attendee any more.
      const blocks = ok(await stack.graph<{ value: Array<{ categories: string[] }> }>(alex, "GET", "/me/events?$select=id,categories&$top=200"));
      expect(blocks.value.filter((e) => e.categories.includes("Coaching (protected)"))).toEqual([]);
      const subs = ok(await stack.control<{ value: Array<{ userId: string }> }>("GET", "/subscriptions"));
      expect(subs.value.filter((s) => s.userId === alex.id)).toEqual([]);
      const series = ok(await stack.graph<{ attendees: Array<{ emailAddress: { address: string } }> }>(megan, "GET", `/me/events/${encodeURIComponent(seriesEventId)}?$select=attendees`));
      expect(series.attendees.map((a) => a.emailAddress.address.toLowerCase())).toEqual([priya.upn.toLowerCase()]);
    });

    it("answers a second delete harmlessly: nothing left to delete, nothing else touched", async () => {
      const before = await dumpStore(ctx.db);
      const again = await call<DeleteLike>(alex, "DELETE", "/api/me/data", CONFIRM);
      expect(again.status).toBe(200);
      expect(again.body.status).toBe("nothingToDelete");
      expect(Object.values(again.body.removed).every((n) => n === 0)).toBe(true);
      expect(again.body.microsoft365.problems).toEqual([]);
      expect(await dumpStore(ctx.db)).toEqual(before);

      const exported = ok(await exportOf(alex));
      expect(exported.circles).toEqual([]);
      expect(exported.notes).toEqual([]);
      expect(exported.commitments).toEqual([]);
      expect(exported.insights).toEqual([]);
      expect(exported.pulses).toEqual([]);
      expect(exported.sessionDeclines).toEqual([]);
      expect(exported.seriesCopies).toEqual([]);
    });
  });
});

describe("deleting the data of someone who organises a circle and a program", { timeout: 60_000 }, () => {
  forEachEngine((ctx) => {
    let stack: PrivacyStack;
    let megan: DemoPerson;
    let alex: DemoPerson;
    let priya: DemoPerson;
    let circleId: string;
    let seriesEventId: string;
    let usedFormat: string;
    let unusedFormat: string;
    const call = <T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown) => stack.call<T>(who, method, path, body);
    const ok = <T>(reply: { status: number; text: string; body: T }, status = 200): T => {
      expect(reply.status, reply.text).toBe(status);
      return reply.body;
    };

    beforeAll(async () => {
      stack = await startPrivacyStack(ctx.db, () => new Date("2030-03-04T10:05:00Z"));
      const people = await demoPeople(stack.sandbox.url);
      const byUpn = (upn: string) => people.find((p) => p.upn === upn)!;
      megan = byUpn("megan.bowen@contoso.example");
      alex = byUpn("alex.wilber@contoso.example");
      priya = byUpn("priya.raman@contoso.example");
      ok(await call(megan, "GET", "/api/me"));

      // Two copies of a format: the circle runs on one of them.
      usedFormat = ok(await call<{ id: string }>(megan, "POST", "/api/formats", { fromFormatId: "coaching-circle", name: "Megan's circle" }), 201).id;
      unusedFormat = ok(await call<{ id: string }>(megan, "POST", "/api/formats", { fromFormatId: "micro-session", name: "Megan's draft" }), 201).id;

      const { chatId } = await createMeetingChat(stack.sandbox.url, megan, [alex, priya], { date: "2030-03-04", time: "10:00" });
      const events = ok(await stack.graph<{ value: Array<{ id: string; iCalUId: string; type: string; start: { dateTime: string } }> }>(megan, "GET", "/me/events?$select=id,iCalUId,type,start&$top=200"));
      const master = events.value.find((e) => e.type === "seriesMaster" && e.start.dateTime.startsWith("2030-03-04"))!;
      seriesEventId = master.id;
      circleId = await seedCircle(ctx.db, { name: `Megan's circle ${ctx.engine}`, members: [megan, alex, priya], chatId, formatId: usedFormat });
      await ctx.db.updateTable("circle_series").set({ event_id: master.id, ical_uid: master.iCalUId }).where("circle_id", "=", circleId).execute();

      // Megan owns a program, and Priya's program has her in its pool.
      ok(await call(megan, "POST", "/api/programs", { purpose: "Megan's pilot", durationWeeks: 12, formatIds: ["coaching-circle"], size: { min: 3, max: 5 } }), 201);
      const priyas = ok(await call<{ id: string }>(priya, "POST", "/api/programs", { purpose: "Priya's pilot", durationWeeks: 12, formatIds: ["coaching-circle"], size: { min: 3, max: 5 } }), 201);
      const enrolled = ok(await call<{ enrolled: unknown[] }>(priya, "POST", `/api/programs/${priyas.id}/enrolments`, { upns: [megan.upn] }));
      expect(enrolled.enrolled).toHaveLength(1);
    });
    afterAll(async () => {
      await stack?.close();
    });

    it("lists the circle, formats and programs in the export", async () => {
      const data = ok(await call<{ circles: Array<{ role: string; youOrganiseTheSeries: boolean }>; formats: Array<{ id: string }>; programs: { enrolments: unknown[]; owned: unknown[] } }>(megan, "GET", "/api/me/data"));
      expect(data.circles).toEqual([expect.objectContaining({ role: "organizer", youOrganiseTheSeries: true })]);
      expect(data.formats.map((f) => f.id).sort()).toEqual([usedFormat, unusedFormat].sort());
      expect(data.programs.enrolments).toHaveLength(1);
      expect(data.programs.owned).toHaveLength(1);
    });

    it("hands the circle to its longest-standing member, keeps the format it runs on, and says what stays", async () => {
      const res = ok(await call<DeleteLike>(megan, "DELETE", "/api/me/data", CONFIRM));
      expect(res.removed).toMatchObject({ profile: 1, circleMemberships: 1, formats: 1, programEnrolments: 1 });
      expect(res.anonymised).toMatchObject({ circlesHandedOver: 1, formats: 1 });
      expect(res.kept.join("\n")).toContain(`The Outlook series of "Megan's circle ${ctx.engine}" is in your calendar`);
      expect(res.kept.join("\n")).toContain("The program you own belongs to your organisation");

      // Alex organises the circle now; it still runs on the kept format copy.
      const circle = ok(await call<{ organizerId?: string; formatId?: string }>(alex, "GET", `/api/circles/${circleId}`));
      expect(JSON.stringify(circle)).not.toContain(megan.id);
      const row = await ctx.db.selectFrom("circles").select(["organizer_id", "format_id"]).where("id", "=", circleId).executeTakeFirstOrThrow();
      expect(row).toEqual({ organizer_id: alex.id, format_id: usedFormat });
      const member = await ctx.db.selectFrom("circle_members").select("role").where("circle_id", "=", circleId).where("user_id", "=", alex.id).executeTakeFirstOrThrow();
      expect(member.role).toBe("organizer");
      expect(await ctx.db.selectFrom("formats").select("id").where("id", "=", unusedFormat).executeTakeFirst()).toBeUndefined();

      // Her id stays only where it points at her mailbox's series and at the program she owns.
      const store = await dumpStore(ctx.db);
      const naming = Object.entries(store).filter(([, rows]) => rows.includes(megan.id)).map(([table]) => table).sort();
      expect(naming).toEqual(["circle_series", "programs"]);
      for (const rows of Object.values(store)) expect(rows).not.toContain(megan.upn);

      // The series is still in her Outlook with Alex and Priya invited: the others keep meeting.
      const series = ok(await stack.graph<{ attendees: Array<{ emailAddress: { address: string } }> }>(megan, "GET", `/me/events/${encodeURIComponent(seriesEventId)}?$select=attendees`));
      expect(series.attendees.map((a) => a.emailAddress.address.toLowerCase()).sort()).toEqual([alex.upn, priya.upn].map((u) => u.toLowerCase()).sort());
    });
  });
});
