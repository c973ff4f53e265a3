import { beforeAll, describe, expect, it } from "vitest";
import { ALEX, LYNNE, MEGAN, PRIYA, createMeeting, idOf, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
let clock = new Date("2025-03-03T10:30:00Z");
beforeAll(async () => {
  kit = await newSandbox({ now: () => clock });
});

const post = (key: string, body: object) => kit.http.post(`/sandbox/meetings/${encodeURIComponent(key)}/attendance`).send(body);

describe("attendance reports (Graph v1.0 shapes)", () => {
  it("appear once the session has ended, with meetingAttendanceReport and attendanceRecord fields as Graph sends them", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX, PRIYA]);
    const posted = await post(m.id, {
      occurrenceStart: "2025-03-03T10:00:00Z",
      attendees: [{ userId: MEGAN }, { userId: ALEX, durationSeconds: 600 }, { userId: ALEX, durationSeconds: 900, joinOffsetSeconds: 1800 }],
    });
    expect(posted.status).toBe(201);
    expect(posted.body).toMatchObject({ meetingId: m.id, start: "2025-03-03T10:00:00.000Z", end: "2025-03-03T11:00:00.000Z" });
    const me = await kit.as(MEGAN);
    // 10:30 by the sandbox clock: Teams has not generated the report yet.
    expect((await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports`)).body.value).toEqual([]);
    expect((await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports/${posted.body.id}`)).status).toBe(404);

    clock = new Date("2025-03-03T11:05:00Z");
    const list = await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports`);
    expect(list.body).toEqual({
      "@odata.context": expect.stringContaining(`/onlineMeetings('${m.id}')/attendanceReports`),
      value: [{ id: posted.body.id, totalParticipantCount: 2, meetingStartDateTime: "2025-03-03T10:00:00.000Z", meetingEndDateTime: "2025-03-03T11:00:00.000Z" }],
    });
    const one = await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports/${posted.body.id}?$expand=attendanceRecords`);
    const alex = one.body.attendanceRecords.find((r: { emailAddress: string }) => r.emailAddress === ALEX);
    expect(one.body.attendanceRecords[0]).toMatchObject({ emailAddress: MEGAN, role: "Organizer", totalAttendanceInSeconds: 3600, identity: { id: idOf(MEGAN, kit.sandbox) } });
    // Left after 10 minutes and came back for 15: one record, two intervals.
    expect(alex).toMatchObject({
      role: "Attendee",
      totalAttendanceInSeconds: 1500,
      attendanceIntervals: [
        { joinDateTime: "2025-03-03T10:00:00.000Z", leaveDateTime: "2025-03-03T10:10:00.000Z", durationInSeconds: 600 },
        { joinDateTime: "2025-03-03T10:30:00.000Z", leaveDateTime: "2025-03-03T10:45:00.000Z", durationInSeconds: 900 },
      ],
    });
    expect((await me.get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports/${posted.body.id}?$expand=participants`)).status).toBe(400);
    // App-only access to the organiser's meetings works; an attendee or an outsider is refused.
    expect((await (await kit.asApp()).get(`/v1.0/users/${idOf(MEGAN, kit.sandbox)}/onlineMeetings/${m.id}/attendanceReports`)).body.value).toHaveLength(1);
    expect((await (await kit.as(ALEX)).get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports`)).status).toBe(403);
    expect((await (await kit.as(LYNNE)).get(`/v1.0/me/onlineMeetings/${m.id}/attendanceReports`)).status).toBe(404);
    expect((await (await kit.as(ALEX)).get(`/v1.0/users/${idOf(MEGAN, kit.sandbox)}/onlineMeetings/${m.id}/attendanceReports`)).status).toBe(403);
  });

  it("the control endpoint finds the meeting by id, join URL or event id, and says what is wrong with a bad body", async () => {
    const m = createMeeting(kit.sandbox, MEGAN, [ALEX], "evt-attendance");
    for (const key of [m.id, m.joinWebUrl, "evt-attendance"]) {
      expect((await post(key, { start: "2025-03-03T08:00:00Z", end: "2025-03-03T08:30:00Z", attendees: [{ userId: ALEX }] })).status).toBe(201);
    }
    expect(kit.sandbox.meetings.list().find((x) => x.id === m.id)!.reports).toHaveLength(3);
    expect((await post("nope", { occurrenceStart: "2025-03-03T08:00:00Z", attendees: [] })).status).toBe(404);
    expect((await post(m.id, { start: "2025-03-03T08:00:00Z", attendees: [] })).body.error.message).toContain("either start and end, or occurrenceStart");
    expect((await post(m.id, { start: "2025-03-03T08:00:00Z", end: "2025-03-03T07:00:00Z", attendees: [] })).status).toBe(400);
    expect((await post(m.id, { occurrenceStart: "2025-03-03T08:00:00Z", attendees: [{ userId: ALEX, durationSeconds: 7200 }] })).body.error.message).toContain("outside the meeting");
    expect((await post(m.id, { occurrenceStart: "2025-03-03T08:00:00Z", attendees: [{ userId: "nobody@contoso.example" }] })).body.error.message).toContain("Unknown user");
  });
});
