import type { CalendarService } from "../graph/calendar/calendar-service.js";
import type { CalendarItem, ResponseStatus } from "../graph/calendar/event-store.js";
import type { DayOfWeek } from "../graph/calendar/expand-recurrence.js";
import { DAYS_OF_WEEK, isoDateOf, weekdayOf } from "../graph/calendar/expand-recurrence.js";
import { instantToWall, wallToInstant } from "../graph/calendar/time-zones.js";
import { seededRandom } from "../shared/random.js";
import type { EventInput } from "../graph/calendar/schemas.js";
import type { SeedPerson } from "./people.js";

/**
 * Deterministic demo calendars for the seeded people, from the start of the current week for
 * six months: a weekly department meeting (series in the department head's zone), a
 * fortnightly 1:1 with each manager (series in the manager's zone), focus blocks, one-off
 * meetings with colleagues (some tentative, some unanswered), and out-of-office days — about
 * 10–25 busy items a week per person, inside each person's local working hours.
 * Same people + same `now` (to the week) + same seed → the same calendars.
 */

export interface SeedCalendarOptions {
  people: readonly SeedPerson[];
  now: Date;
  /** PRNG seed (default 20260303). */
  seed?: number;
  /** Weeks to fill (default 26). */
  weeks?: number;
}

const DAY_MS = 86_400_000;
const MIN_MS = 60_000;
const WEEKDAYS: DayOfWeek[] = ["monday", "tuesday", "wednesday", "thursday", "friday"];


function minutesOf(time: string): number {
  const [h, m] = time.split(":").map(Number);
  return (h ?? 0) * 60 + (m ?? 0);
}

/** "YYYY-MM-DDTHH:mm:00" for a day number and minutes after midnight. */
function wallString(day: number, minutes: number): string {
  return new Date(day * DAY_MS + minutes * MIN_MS).toISOString().slice(0, 19);
}

interface Busy {
  startMs: number;
  endMs: number;
}

/** Per person, busy intervals bucketed by UTC day, for cheap conflict checks. */
class BusyIndex {
  private readonly byPerson = new Map<string, Map<number, Busy[]>>();

  add(personId: string, b: Busy): void {
    let days = this.byPerson.get(personId);
    if (!days) {
      days = new Map();
      this.byPerson.set(personId, days);
    }
    for (let d = Math.floor(b.startMs / DAY_MS); d <= Math.floor((b.endMs - 1) / DAY_MS); d++) {
      const list = days.get(d) ?? [];
      list.push(b);
      days.set(d, list);
    }
  }

  isFree(personId: string, b: Busy): boolean {
    const days = this.byPerson.get(personId);
    if (!days) return true;
    for (let d = Math.floor(b.startMs / DAY_MS); d <= Math.floor((b.endMs - 1) / DAY_MS); d++) {
      for (const x of days.get(d) ?? []) if (x.startMs < b.endMs && x.endMs > b.startMs) return false;
    }
    return true;
  }
}

const hoursCache = new WeakMap<SeedPerson, { from: number; to: number; days: Set<number> }>();

function hoursOf(p: SeedPerson): { from: number; to: number; days: Set<number> } {
  let h = hoursCache.get(p);
  if (!h) {
    h = { from: minutesOf(p.workingHours.startTime), to: minutesOf(p.workingHours.endTime), days: new Set(p.workingHours.daysOfWeek.map((d) => DAYS_OF_WEEK.indexOf(d as DayOfWeek))) };
    hoursCache.set(p, h);
  }
  return h;
}

/** Is the instant inside the person's working hours (on a working day)? */
function inWorkingHours(p: SeedPerson, startMs: number, endMs: number): boolean {
  const h = hoursOf(p);
  const check = (ms: number, isEnd: boolean) => {
    const wall = instantToWall(ms, p.timeZone);
    const day = Math.floor(wall / DAY_MS);
    if (!h.days.has(weekdayOf(day))) return false;
    const minute = Math.round((wall - day * DAY_MS) / MIN_MS);
    return isEnd ? minute > h.from && minute <= h.to : minute >= h.from && minute < h.to;
  };
  return check(startMs, false) && check(endMs, true);
}

export function seedCalendars(service: CalendarService, opts: SeedCalendarOptions): void {
  const rand = seededRandom(opts.seed ?? 20260303);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T;
  const people = opts.people;
  if (people.length === 0) return;
  const byId = new Map(people.map((p) => [p.id, p]));
  const weeks = opts.weeks ?? 26;
  const nowDay = Math.floor(opts.now.getTime() / DAY_MS);
  // Monday of the current week: the first day with seeded meetings.
  const firstDay = nowDay - ((weekdayOf(nowDay) + 6) % 7);
  const lastDay = firstDay + weeks * 7 - 1;
  const startDate = isoDateOf(firstDay);
  const endDate = isoDateOf(lastDay);
  const busy = new BusyIndex();
  const createdMs = opts.now.getTime();

  const create = (organizer: SeedPerson, body: EventInput): CalendarItem => service.createFromInput(organizer.id, body, { seeding: true, createdMs }).item;
  const attendee = (p: SeedPerson) => ({ type: "required" as const, emailAddress: { address: p.mail, name: p.displayName } });

  /** Best start (minutes) on `day` in the organizer's zone: most attendees inside hours. */
  const bestSlot = (organizer: SeedPerson, others: SeedPerson[], day: number, durationMin: number): number => {
    const { from } = hoursOf(organizer);
    const to = hoursOf(organizer).to - durationMin;
    let best = from + 60;
    let bestScore = -1;
    for (let m = from; m <= to; m += 30) {
      const startMs = wallToInstant(day * DAY_MS + m * MIN_MS, organizer.timeZone);
      const endMs = startMs + durationMin * MIN_MS;
      let score = others.filter((o) => inWorkingHours(o, startMs, endMs)).length * 10;
      if (m >= 9 * 60 + 30 && m <= 16 * 60) score += 1; // avoid the very edges of the day
      score += rand() * 0.5;
      if (score > bestScore) {
        bestScore = score;
        best = m;
      }
    }
    return best;
  };

  /** The first date ≥ firstDay that falls on `weekday`. */
  const firstOn = (weekday: DayOfWeek) => firstDay + ((DAYS_OF_WEEK.indexOf(weekday) - weekdayOf(firstDay) + 7) % 7);

  const setResponse = (item: CalendarItem, mailboxId: string, status: ResponseStatus) => {
    for (const copy of service.store.itemsOfMeeting(item.meeting)) {
      if (copy.mailboxId !== mailboxId) continue;
      copy.responseStatus = status;
      const att = item.meeting.attendees.find((a) => a.userId === mailboxId);
      if (att) att.status = status;
    }
  };
  const answerTime = new Date(createdMs - 3 * DAY_MS).toISOString();
  const answerRandomly = (item: CalendarItem, invitees: SeedPerson[], acceptRate: number) => {
    for (const p of invitees) {
      const r = rand();
      if (r < acceptRate) setResponse(item, p.id, { response: "accepted", time: answerTime });
      else if (r < acceptRate + 0.12) setResponse(item, p.id, { response: "tentativelyAccepted", time: answerTime });
    }
  };

  const recordSeries = (item: CalendarItem, personIds: string[]) => {
    for (const inst of service.instances(item.mailboxId, item.id, firstDay * DAY_MS - DAY_MS, (lastDay + 2) * DAY_MS)) {
      for (const id of personIds) busy.add(id, { startMs: inst.startMs, endMs: inst.endMs });
    }
  };

  // 1. Weekly department meetings, organised by the department's most senior person.
  const departments = new Map<string, SeedPerson[]>();
  for (const p of people) departments.set(p.department, [...(departments.get(p.department) ?? []), p]);
  const levelRank = (p: SeedPerson) => ["IC1", "IC2", "IC3", "IC4", "M1", "M2"].indexOf(p.level);
  const deptMembers = new Map<string, SeedPerson[]>();
  for (const [dept, members] of departments) {
    if (members.length < 2) {
      // A one-person department joins its manager's department meeting.
      const p = members[0];
      const manager = p?.managerId ? byId.get(p.managerId) : undefined;
      if (p && manager) deptMembers.set(manager.department, [...(deptMembers.get(manager.department) ?? departments.get(manager.department) ?? []), p]);
      continue;
    }
    if (!deptMembers.has(dept)) deptMembers.set(dept, [...members]);
  }
  for (const [dept, members] of deptMembers) {
    const head = [...members].sort((a, b) => levelRank(b) - levelRank(a) || a.id.localeCompare(b.id))[0];
    if (!head) continue;
    const others = members.filter((m) => m !== head);
    const weekday = pick(["tuesday", "wednesday", "thursday"] as const);
    const day = firstOn(weekday);
    const duration = pick([45, 60]);
    const startMin = bestSlot(head, others, day, duration);
    const item = create(head, {
      subject: `${dept} weekly team meeting`,
      body: { contentType: "html", content: `<p>Weekly ${dept} sync: wins, blockers, announcements.</p>` },
      start: { dateTime: wallString(day, startMin), timeZone: head.timeZone },
      end: { dateTime: wallString(day, startMin + duration), timeZone: head.timeZone },
      recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: [weekday], firstDayOfWeek: "monday" }, range: { type: "endDate", startDate: isoDateOf(day), endDate } },
      attendees: others.map(attendee),
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
      showAs: "busy",
    });
    answerRandomly(item, others, 0.8);
    recordSeries(item, members.map((m) => m.id));
  }

  // 2. Fortnightly 1:1s with the manager, in the manager's zone.
  for (const report of people) {
    const manager = report.managerId ? byId.get(report.managerId) : undefined;
    if (!manager) continue;
    const weekday = pick(WEEKDAYS);
    const day = firstOn(weekday);
    const startMin = bestSlot(manager, [report], day, 30);
    const item = create(manager, {
      subject: `${manager.givenName} / ${report.givenName} 1:1`,
      body: { contentType: "text", content: "Fortnightly check-in." },
      start: { dateTime: wallString(day, startMin), timeZone: manager.timeZone },
      end: { dateTime: wallString(day, startMin + 30), timeZone: manager.timeZone },
      recurrence: { pattern: { type: "weekly", interval: 2, daysOfWeek: [weekday], firstDayOfWeek: "sunday" }, range: { type: "endDate", startDate: isoDateOf(day), endDate } },
      attendees: [attendee(report)],
      isOnlineMeeting: true,
      onlineMeetingProvider: "teamsForBusiness",
    });
    setResponse(item, report.id, { response: "accepted", time: answerTime });
    recordSeries(item, [manager.id, report.id]);
  }

  // 3. Focus blocks: a weekly series on three or four working days, in the person's zone.
  for (const p of people) {
    const days = WEEKDAYS.filter(() => rand() < 0.7);
    if (days.length === 0) days.push(pick(WEEKDAYS));
    const morning = rand() < 0.5;
    const { from, to } = hoursOf(p);
    const startMin = morning ? from + 30 : to - 150;
    const day = firstDay + ((DAYS_OF_WEEK.indexOf(days[0] ?? "monday") - weekdayOf(firstDay) + 7) % 7);
    const item = create(p, {
      subject: "Focus time",
      start: { dateTime: wallString(day, startMin), timeZone: p.timeZone },
      end: { dateTime: wallString(day, startMin + 120), timeZone: p.timeZone },
      recurrence: { pattern: { type: "weekly", interval: 1, daysOfWeek: days, firstDayOfWeek: "monday" }, range: { type: "endDate", startDate, endDate } },
      showAs: "busy",
      categories: ["Focus"],
      isReminderOn: false,
    });
    recordSeries(item, [p.id]);
  }

  // 4. Out-of-office days (all day, in the person's zone) and the odd day working elsewhere.
  for (const p of people) {
    const oofDays = 2 + Math.floor(rand() * 4);
    for (let i = 0; i < oofDays; i++) {
      const week = Math.floor(rand() * weeks);
      const day = firstDay + week * 7 + Math.floor(rand() * 5);
      const length = rand() < 0.25 ? 3 : 1;
      create(p, {
        subject: pick(["Out of office", "Vacation", "Personal day", "Conference"]),
        start: { dateTime: wallString(day, 0), timeZone: p.timeZone },
        end: { dateTime: wallString(day + length, 0), timeZone: p.timeZone },
        isAllDay: true,
        showAs: "oof",
        isReminderOn: false,
      });
      for (let d = day; d < day + length; d++) busy.add(p.id, { startMs: wallToInstant(d * DAY_MS, p.timeZone), endMs: wallToInstant((d + 1) * DAY_MS, p.timeZone) });
    }
    if (rand() < 0.5) {
      const day = firstDay + Math.floor(rand() * weeks) * 7 + Math.floor(rand() * 5);
      create(p, {
        subject: "Working from the other office",
        start: { dateTime: wallString(day, 0), timeZone: p.timeZone },
        end: { dateTime: wallString(day + 1, 0), timeZone: p.timeZone },
        isAllDay: true,
        showAs: "workingElsewhere",
        isReminderOn: false,
      });
    }
  }

  // 5. One-off meetings: a few a week per person, with colleagues, avoiding everyone's conflicts.
  const subjects = ["Project sync", "Design review", "Customer call", "Hiring interview", "Sprint planning", "Quarterly review prep", "Coffee chat", "Incident review", "Budget review", "Roadmap discussion", "Interview debrief", "Demo dry run", "Pairing session", "Vendor call"];
  for (let week = 0; week < weeks; week++) {
    for (const organizer of people) {
      const count = 2 + Math.floor(rand() * 5);
      for (let n = 0; n < count; n++) {
        const colleagues = people.filter((c) => c !== organizer && (c.department === organizer.department || rand() < 0.15));
        const inviteCount = Math.floor(rand() * 3);
        const invitees: SeedPerson[] = [];
        for (let i = 0; i < inviteCount && colleagues.length; i++) {
          const c = pick(colleagues);
          if (!invitees.includes(c)) invitees.push(c);
        }
        const duration = pick([30, 30, 45, 60]);
        const { from } = hoursOf(organizer);
        const to = hoursOf(organizer).to - duration;
        for (let attempt = 0; attempt < 4; attempt++) {
          const day = firstDay + week * 7 + Math.floor(rand() * 5);
          const startMin = from + Math.floor(rand() * ((to - from) / 30 + 1)) * 30;
          const startMs = wallToInstant(day * DAY_MS + startMin * MIN_MS, organizer.timeZone);
          const slot = { startMs, endMs: startMs + duration * MIN_MS };
          if (![organizer, ...invitees].every((p) => busy.isFree(p.id, slot))) continue;
          const attendees = invitees.filter((p) => inWorkingHours(p, slot.startMs, slot.endMs));
          const tentative = rand() < 0.1;
          const item = create(organizer, {
            subject: pick(subjects),
            start: { dateTime: wallString(day, startMin), timeZone: organizer.timeZone },
            end: { dateTime: wallString(day, startMin + duration), timeZone: organizer.timeZone },
            attendees: attendees.map(attendee),
            showAs: tentative ? "tentative" : "busy",
            isOnlineMeeting: attendees.length > 0 && rand() < 0.6,
            ...(attendees.length > 0 ? { onlineMeetingProvider: "teamsForBusiness" } : {}),
          });
          answerRandomly(item, attendees, 0.6);
          for (const p of [organizer, ...attendees]) busy.add(p.id, slot);
          break;
        }
      }
    }
  }
}
