import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createAttendanceService, type AttendanceCircle } from "../../../../api/attendance";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { person, startBookingStack, type BookingStack } from "../booking/booking-stack";

// The attendance module against the sandbox: lazy, bounded reads in $batch, stored once.
const megan = person("megan.bowen");
const alex = person("alex.wilber");
const priya = person("priya.raman");
const HOUR = 3_600_000;

forEachEngine((engine) => {
  let stack: BookingStack;
  let nowMs = Date.parse("2026-03-02T12:00:00Z");
  const clock = () => new Date(nowMs);

  async function circleWithMeeting(db: Db, organizer: SeedPerson, members: SeedPerson[]): Promise<{ circle: AttendanceCircle; meetingId: string }> {
    const id = randomUUID();
    const at = new Date(nowMs).toISOString();
    await db
      .insertInto("circles")
      .values({ id, tenant_id: SANDBOX_TENANT_ID, name: "c", purpose: "p", charter: "[]", format_id: "coaching-circle", cadence: "weekly", session_minutes: 60, session_count: 6, time_zone: "UTC", rotate_roles: toDbBool(false), organizer_id: organizer.id, created_at: at, updated_at: at })
      .execute();
    for (const m of [organizer, ...members]) {
      await db.insertInto("circle_members").values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: m === organizer ? "organizer" : "member", joined_at: at, left_at: null, time_zone: "UTC" }).execute();
    }
    const meeting = stack.sandbox.sandbox.ctx.meetings.createForEvent({ organizerId: organizer.id, attendeeIds: members.map((m) => m.id), subject: "Coaching circle", start: "2026-03-02T10:00:00Z", end: "2026-03-02T11:00:00Z", eventId: `evt-${id}` });
    return { circle: { circleId: id, series: { organizer_id: organizer.id, online_meeting_id: meeting.id, join_web_url: meeting.joinWebUrl } }, meetingId: meeting.id };
  }

  async function hold(meetingId: string, start: string, people: SeedPerson[]) {
    const res = await fetch(`${stack.sandbox.url}/sandbox/meetings/${encodeURIComponent(meetingId)}/attendance`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ occurrenceStart: start, attendees: people.map((p) => ({ userId: p.id })) }),
    });
    expect(res.status).toBe(201);
  }

  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
  }, 60_000);
  afterAll(async () => {
    await stack?.sandbox.close();
  });

  const service = () => createAttendanceService({ db: engine.db, graph: stack.graph, clock });
  const since = "2026-01-01T00:00:00.000Z";

  it("reads new reports once, then not again until a session has ended since and 15 minutes have passed", async () => {
    const { circle, meetingId } = await circleWithMeeting(engine.db, megan, [alex, priya]);
    await hold(meetingId, "2026-03-02T10:00:00Z", [megan, alex]);
    const attendance = service();
    const withEnd = { ...circle, lastEndedMs: Date.parse("2026-03-02T11:00:00Z") };
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [withEnd], { since })).toEqual({ circles: 1, reports: 1 });
    const stored = (await attendance.stored([circle.circleId], since)).get(circle.circleId)!;
    expect(stored).toHaveLength(1);
    expect(stored[0]!.members.map((m) => m.userId).sort()).toEqual([alex.id, megan.id].sort());

    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [withEnd], { since })).toEqual({ circles: 0, reports: 0 });
    // Two days on: a late report could still appear for a session that ended within a day of the last read.
    nowMs += 2 * 24 * HOUR;
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [withEnd], { since })).toEqual({ circles: 1, reports: 0 });
    // The next week's session has been held, but the caller does not know it ended: nothing to look for.
    nowMs += 5 * 24 * HOUR;
    await hold(meetingId, "2026-03-09T10:00:00Z", [alex, priya]);
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [withEnd], { since })).toEqual({ circles: 0, reports: 0 });
    const next = { ...circle, lastEndedMs: Date.parse("2026-03-09T11:00:00Z") };
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [next], { since })).toEqual({ circles: 1, reports: 1 });
    expect((await attendance.stored([circle.circleId], since)).get(circle.circleId)).toHaveLength(2);
  });

  it("reads as the organiser when they ask, app-only otherwise", async () => {
    const { circle, meetingId } = await circleWithMeeting(engine.db, alex, [priya]);
    await hold(meetingId, "2026-03-09T10:00:00Z", [alex, priya]);
    const caller = { tenantId: SANDBOX_TENANT_ID, userId: alex.id, userPrincipalName: alex.userPrincipalName, displayName: alex.displayName, assertion: await stack.token(alex) };
    // Delegated reads go to /me/onlineMeetings: failing those fails the organiser's read only.
    stack.sandbox.sandbox.faults.add({ match: { path: "/me/onlineMeetings" }, status: 503, times: 10 });
    expect(await service().refresh(caller, SANDBOX_TENANT_ID, [circle], { since })).toEqual({ circles: 1, reports: 0 });
    stack.sandbox.sandbox.faults.reset();
    // Someone else (a manager) reads the same circle app-only, through /users/{organiser}.
    stack.sandbox.sandbox.faults.add({ match: { path: "/users/" }, status: 503, times: 10 });
    const manager = { ...caller, userId: megan.id, userPrincipalName: megan.userPrincipalName, displayName: megan.displayName, assertion: await stack.token(megan) };
    expect(await service().refresh(manager, SANDBOX_TENANT_ID, [circle], { since })).toEqual({ circles: 1, reports: 0 });
    stack.sandbox.sandbox.faults.reset();
    expect(await service().refresh(caller, SANDBOX_TENANT_ID, [circle], { since })).toEqual({ circles: 1, reports: 1 });
  });

  it("stays within its budget and carries on next time", async () => {
    const { circle, meetingId } = await circleWithMeeting(engine.db, priya, [alex]);
    for (const day of ["02", "03", "04"]) await hold(meetingId, `2026-03-${day}T10:00:00Z`, [priya, alex]);
    const attendance = service();
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [circle], { since, maxReports: 2 })).toEqual({ circles: 1, reports: 2 });
    // Not marked as read: the next call fetches the one left, and only that one.
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [circle], { since, maxReports: 2 })).toEqual({ circles: 1, reports: 1 });
    expect((await attendance.stored([circle.circleId], since)).get(circle.circleId)).toHaveLength(3);
  });

  it("does not fail the caller when Graph is throttled, and tries again next time", async () => {
    const { circle, meetingId } = await circleWithMeeting(engine.db, megan, [priya]);
    await hold(meetingId, "2026-03-09T10:00:00Z", [megan, priya]);
    stack.sandbox.sandbox.faults.add({ match: { path: "attendanceReports" }, status: 503, times: 10 });
    const attendance = service();
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [circle], { since })).toEqual({ circles: 1, reports: 0 });
    expect(await engine.db.selectFrom("attendance_checks").selectAll().where("circle_id", "=", circle.circleId).executeTakeFirst()).toBeUndefined();
    stack.sandbox.sandbox.faults.reset();
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [circle], { since })).toEqual({ circles: 1, reports: 1 });
  });

  it("marks a meeting it may not read (gone) as unavailable rather than asking on every view", async () => {
    const { circle } = await circleWithMeeting(engine.db, megan, [alex]);
    const gone = { ...circle, series: { ...circle.series, online_meeting_id: "MSpub25lKjA=" } };
    const attendance = service();
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [gone], { since })).toEqual({ circles: 1, reports: 0 });
    expect(await engine.db.selectFrom("attendance_checks").select("status").where("circle_id", "=", circle.circleId).executeTakeFirst()).toEqual({ status: "unavailable" });
    expect(await attendance.refresh(undefined, SANDBOX_TENANT_ID, [gone], { since })).toEqual({ circles: 0, reports: 0 });
  });
});
