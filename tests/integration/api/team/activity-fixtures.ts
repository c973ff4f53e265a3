import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { expect } from "vitest";
import { createSeriesRequest, instancesRequest, readEventResult, readInstancesResult } from "../../../../api/graph";
import { toPatternedRecurrence } from "../../../../api/scheduling";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import type { BookingStack } from "../booking/booking-stack";

/**
 * What happened around circles' sessions, put in place the way the product records it, for the
 * views that aggregate participant activity (team view, program health).
 */

export const ZONE = "Europe/London";
/** Planted in every piece of session content: an aggregate view that shows it has leaked content. */
export const SECRET = "CONFIDENTIAL-CONTENT";

/** Monday 00:00 of the current week in London. */
export const thisMonday = () => DateTime.now().setZone(ZONE).startOf("week");
/** Weekly sessions at 10:00 London from 10 weeks before this Monday: weeks 2–11 of a 12-week chart. */
export const firstSession = () => thisMonday().minus({ weeks: 10 }).set({ hour: 10 });

/** Every number anywhere in a value, with its path. */
export function numbersIn(value: unknown, path = "$"): string[] {
  if (typeof value === "number") return [path];
  if (Array.isArray(value)) return value.flatMap((v, i) => numbersIn(v, `${path}[${i}]`));
  if (value && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => numbersIn(v, `${path}.${k}`));
  return [];
}

/**
 * An aggregate view (JSON or CSV text) names nobody and shows nothing said: no person's name,
 * given name, UPN or id, no circle's name, none of `ids` (circles, events), no planted content.
 */
export function expectNothingIdentifying(text: string, known: { people: SeedPerson[]; circleNames: string[]; ids: string[] }): void {
  for (const p of known.people) {
    expect(text).not.toContain(p.displayName);
    expect(text).not.toContain(p.givenName);
    expect(text.toLowerCase()).not.toContain(p.userPrincipalName.toLowerCase());
    expect(text).not.toContain(p.id);
  }
  for (const name of known.circleNames) expect(text).not.toContain(name);
  for (const id of known.ids) expect(text).not.toContain(id);
  expect(text).not.toContain(SECRET);
}

/** A weekly circle of 20 one-hour sessions, with secret purpose and charter; `leftAt` by user id. */
export async function insertCircle(
  db: Db,
  circle: { name: string; organizer: SeedPerson; members: SeedPerson[]; joinedAt: string; leftAt?: Record<string, string> },
): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto("circles")
    .values({
      id,
      tenant_id: SANDBOX_TENANT_ID,
      name: circle.name,
      purpose: `${SECRET} purpose`,
      charter: JSON.stringify([`${SECRET} charter`]),
      format_id: "coaching-circle",
      cadence: "weekly",
      session_minutes: 60,
      session_count: 20,
      time_zone: ZONE,
      rotate_roles: toDbBool(true),
      organizer_id: circle.organizer.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [i, m] of [circle.organizer, ...circle.members].entries()) {
    await db
      .insertInto("circle_members")
      .values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: circle.joinedAt, left_at: circle.leftAt?.[m.id] ?? null, time_zone: m.timeZone })
      .execute();
  }
  return id;
}

export interface PastSeries {
  eventId: string;
  /** The Teams meeting that came with the series, when `record` asked for it. */
  meeting?: { id: string; joinWebUrl: string; eventId: string };
  /** The 20 session starts, from `firstSession()`. */
  sessions: DateTime[];
}

/**
 * A weekly series from `firstSession()` in the organiser's Outlook (app-only, as the booking job
 * would as them), recorded as booked. `record` says what booking recorded of its Teams meeting:
 * nothing, the meeting id, the join URL, or both.
 */
export async function bookPastSeries(
  stack: BookingStack,
  series: { circleId: string; organizer: SeedPerson; attendees: SeedPerson[]; record?: { meetingId?: boolean; joinUrl?: boolean } },
): Promise<PastSeries> {
  const { circleId, organizer, attendees, record = {} } = series;
  const first = firstSession();
  const transactionId = `past-series-${circleId}`;
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
    transactionId,
    extension: { name: "com.example.test", properties: { circleId } },
  });
  const [created] = await stack.graph.forApp(SANDBOX_TENANT_ID).batch([{ ...create, url: `/users/${organizer.id}/events` }]);
  const master = readEventResult(created!, "create series");
  const found = record.meetingId || record.joinUrl ? stack.sandbox.sandbox.meetings.list().find((m) => m.eventId === master.id) : undefined;
  if ((record.meetingId || record.joinUrl) && !found) throw new Error(`The sandbox made no Teams meeting for series ${master.id}`);
  const now = new Date().toISOString();
  await stack.db
    .insertInto("circle_series")
    .values({
      circle_id: circleId,
      event_id: master.id,
      ical_uid: master.iCalUId,
      organizer_id: organizer.id,
      online_meeting_id: record.meetingId ? found!.id : null,
      join_web_url: record.joinUrl ? found!.joinWebUrl : null,
      chat_id: null,
      time_zone: ZONE,
      first_start: first.toISO()!,
      transaction_id: transactionId,
      status: "booked",
      job_id: null,
      generation: 1,
      created_at: now,
      updated_at: now,
    })
    .execute();
  return {
    eventId: master.id,
    ...(found ? { meeting: { id: found.id, joinWebUrl: found.joinWebUrl, eventId: master.id } } : {}),
    sessions: Array.from({ length: 20 }, (_, k) => first.plus({ weeks: k })),
  };
}

/** Cancels one occurrence in the organiser's calendar (the circle skipped that week). */
export async function cancelOccurrence(stack: BookingStack, organizer: SeedPerson, eventId: string, start: DateTime): Promise<void> {
  const app = stack.graph.forApp(SANDBOX_TENANT_ID);
  const req = instancesRequest("i", eventId, start.toMillis() - 3_600_000, start.toMillis() + 3_600_000, ZONE);
  const [page] = await app.batch([{ ...req, url: req.url.replace(/^\/me\//, `/users/${organizer.id}/`) }]);
  const [occurrence] = readInstancesResult(page!);
  await app.post(`/users/${organizer.id}/events/${occurrence!.id}/cancel`, { comment: "" });
}

/** A session run (held) in the app, with content and a note by `facilitator` that no aggregate may show. */
export async function insertRun(db: Db, circleId: string, start: DateTime, facilitator: SeedPerson): Promise<string> {
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
      roles: JSON.stringify({ facilitator: facilitator.id }),
      status: "ended",
      created_at: now,
      updated_at: now,
    })
    .execute();
  await db.insertInto("session_notes").values({ id: randomUUID(), session_id: id, author_id: facilitator.id, visibility: "circle", text: `${SECRET} note`, created_at: now }).execute();
  return id;
}

/** A commitment `who` made in `sessionId`, reviewed there with `status` at `at`. */
export async function insertReview(db: Db, circleId: string, sessionId: string, who: SeedPerson, status: string, at: DateTime): Promise<void> {
  const now = new Date().toISOString();
  await db
    .insertInto("commitments")
    .values({
      id: randomUUID(),
      circle_id: circleId,
      session_id: sessionId,
      owner_id: who.id,
      action: `${SECRET} action of ${who.displayName}`,
      due_date: at.toFormat("yyyy-MM-dd"),
      signal: `${SECRET} signal`,
      support_wanted: null,
      chat_message_id: null,
      todo_list_id: null,
      todo_task_id: null,
      review_status: status,
      review_learning: `${SECRET} learning`,
      reviewed_in_session_id: sessionId,
      reviewed_at: at.toUTC().toISO()!,
      created_at: now,
      updated_at: now,
    })
    .execute();
}

/** A prep (15 min before) or reflection (10 min after) block recorded in `who`'s calendar around one session. */
export async function insertBlock(db: Db, circleId: string, who: SeedPerson, session: DateTime, kind: "prep" | "reflection", eventId: string = randomUUID()): Promise<void> {
  const start = kind === "prep" ? session.minus({ minutes: 15 }) : session.plus({ minutes: 60 });
  const end = kind === "prep" ? session : session.plus({ minutes: 70 });
  const key = session.toUTC().toISO()!;
  await db
    .insertInto("protected_time_blocks")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: SANDBOX_TENANT_ID, occurrence_key: key, kind, event_id: eventId, series_ical_uid: null, start_at: start.toUTC().toISO()!, end_at: end.toUTC().toISO()!, updated_at: key })
    .execute();
}

/** Another meeting accepted on top of `who`'s prep block for one session (as the notifications module records it). */
export async function insertPrepOverride(db: Db, circleId: string, who: SeedPerson, session: DateTime, eventId: string = randomUUID()): Promise<void> {
  const key = session.toUTC().toISO()!;
  await db
    .insertInto("protected_time_overrides")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: SANDBOX_TENANT_ID, occurrence_key: key, kind: "prep", event_id: eventId, block_start_at: session.minus({ minutes: 15 }).toUTC().toISO()!, block_end_at: key, overridden_at: key, nudged_at: null })
    .execute();
}

/**
 * "Holds" a session in Teams: the attendance report Teams makes when the meeting ends (sandbox
 * control). `meetingKey` is the online meeting id, its join URL, or the calendar event id;
 * attendees are there the whole hour unless `seconds` says otherwise.
 */
export async function holdInTeams(sandboxUrl: string, meetingKey: string, occurrenceStart: DateTime, attendees: Array<[SeedPerson, number?]>): Promise<void> {
  const res = await fetch(`${sandboxUrl}/sandbox/meetings/${encodeURIComponent(meetingKey)}/attendance`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ occurrenceStart: occurrenceStart.toUTC().toISO(), attendees: attendees.map(([p, seconds]) => ({ userId: p.userPrincipalName, ...(seconds !== undefined ? { durationSeconds: seconds } : {}) })) }),
  });
  expect(res.status, await res.clone().text()).toBe(201);
}

/** A member declined one session (as the notifications module records it from their calendar). */
export async function insertDecline(db: Db, circleId: string, who: SeedPerson, start: DateTime): Promise<void> {
  const iso = start.toUTC().toISO()!;
  const at = new Date().toISOString();
  await db
    .insertInto("session_declines")
    .values({ circle_id: circleId, user_id: who.id, tenant_id: SANDBOX_TENANT_ID, occurrence_key: iso, scope: "occurrence", session_start_at: iso, declined_at: at, withdrawn_at: null, released_blocks: 0, nudged_at: null })
    .execute();
}
