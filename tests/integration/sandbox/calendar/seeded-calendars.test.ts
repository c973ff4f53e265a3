import { describe, expect, it } from "vitest";
import request from "supertest";
import { createCalendarModule, createCalendarRoutes } from "../../../../sandbox/graph/calendar/routes";
import { getSchedule } from "../../../../sandbox/graph/calendar/get-schedule";
import { renderInstance } from "../../../../sandbox/graph/calendar/render-event";
import { UTC_OUTPUT } from "../../../../sandbox/graph/calendar/render-event";
import { seedPeople } from "../../../../sandbox/seed/people";
import { fakeContext, mountCalendar } from "./fake-context";

const NOW = "2026-03-03T12:00:00Z";
const DAY = 86_400_000;
const from = Date.parse(NOW);
const to = from + 182 * DAY;

describe("seeded calendars", () => {
  const ctx = fakeContext(NOW);
  const module = createCalendarModule(ctx);

  it("gives everyone a realistically busy week: 6–25 busy items each, 10 or more on average", () => {
    let total = 0;
    for (const person of seedPeople) {
      const busy = module.service.calendarView(person.id, from, to).filter((i) => !i.isCancelled);
      const perWeek = busy.length / 26;
      total += perWeek;
      expect(perWeek, person.displayName).toBeGreaterThanOrEqual(6);
      expect(perWeek, person.displayName).toBeLessThanOrEqual(25);
    }
    expect(total / seedPeople.length).toBeGreaterThanOrEqual(10);
  });

  it("has a weekly department meeting and a fortnightly 1:1 with the manager, kept in the organizer's zone", () => {
    const priya = seedPeople.find((p) => p.displayName === "Priya Raman");
    const alex = seedPeople.find((p) => p.displayName === "Alex Wilber");
    const masters = module.service.store.itemsOf(priya?.id ?? "").filter((i) => i.meeting.recurrence);
    const team = masters.find((i) => i.meeting.subject === "Engineering weekly team meeting");
    const oneOnOne = masters.find((i) => i.meeting.subject === "Alex / Priya 1:1");
    expect(team?.meeting.recurrence?.pattern).toMatchObject({ type: "weekly", interval: 1 });
    expect(team?.meeting.start.zone).toBe("Europe/London"); // Megan, the VP, is in London
    expect(team?.meeting.attendees.length).toBeGreaterThan(5);
    expect(oneOnOne?.meeting.recurrence?.pattern).toMatchObject({ type: "weekly", interval: 2 });
    expect(oneOnOne?.meeting.organizerId).toBe(alex?.id);
  });

  it("keeps one-off meetings inside the organizer's local working hours and includes tentative and oof time", () => {
    const statuses = new Set<string>();
    for (const person of seedPeople) {
      for (const inst of module.service.calendarView(person.id, from, to)) {
        const event = renderInstance(inst, { out: UTC_OUTPUT });
        statuses.add(String(event.showAs));
        if (inst.item.isOrganizer && !inst.item.meeting.recurrence && !inst.item.meeting.isAllDay) {
          const local = new Date(inst.startMs).toLocaleString("en-GB", { timeZone: person.timeZone, hour: "2-digit", minute: "2-digit", hour12: false });
          expect(local >= person.workingHours.startTime.slice(0, 5), `${person.displayName} ${local}`).toBe(true);
          expect(local < person.workingHours.endTime.slice(0, 5), `${person.displayName} ${local}`).toBe(true);
        }
      }
    }
    expect([...statuses]).toEqual(expect.arrayContaining(["busy", "tentative", "oof", "workingElsewhere"]));
  });

  it("is deterministic: the same clock gives the same calendars", () => {
    const again = createCalendarModule(fakeContext(NOW));
    const person = seedPeople[4]?.id ?? "";
    const a = module.service.calendarView(person, from, from + 14 * DAY).map((i) => renderInstance(i, { out: UTC_OUTPUT }));
    const b = again.service.calendarView(person, from, from + 14 * DAY).map((i) => renderInstance(i, { out: UTC_OUTPUT }));
    expect(b.map((e) => [e.id, e.subject, e.start, e.iCalUId])).toEqual(a.map((e) => [e.id, e.subject, e.start, e.iCalUId]));
  });

  it("answers getSchedule for 20 people over 6 months in three < 62-day windows", () => {
    const twenty = seedPeople.slice(0, 20);
    for (let k = 0; k < 3; k++) {
      const start = new Date(from + k * 61 * DAY).toISOString().slice(0, 19);
      const end = new Date(from + (k + 1) * 61 * DAY).toISOString().slice(0, 19);
      const result = getSchedule(module.service, ctx, { schedules: twenty.map((p) => p.mail), startTime: { dateTime: start, timeZone: "UTC" }, endTime: { dateTime: end, timeZone: "UTC" } });
      expect(JSON.stringify(result)).toContain(twenty[19]?.mail ?? "missing");
    }
  });

  it("serves the seeded calendars through the router the core mounts", async () => {
    const app = mountCalendar({ router: createCalendarRoutes(ctx), service: module.service });
    const megan = seedPeople[0];
    const res = await request(app)
      .get(`/v1.0/me/calendarView?startDateTime=2026-03-09T00:00:00Z&endDateTime=2026-03-14T00:00:00Z&$top=100`)
      .set("x-test-caller", megan?.userPrincipalName ?? "");
    expect(res.status).toBe(200);
    expect(res.body.value.length).toBeGreaterThanOrEqual(8);
    expect(res.body.value.some((e: { subject: string }) => e.subject === "Engineering weekly team meeting")).toBe(true);
  });
});
