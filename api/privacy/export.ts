import type { CallerIdentity } from "../auth/identity";
import type { Db } from "../storage";
import { readBool } from "../storage";
import { partInRun } from "./anonymise";
import { EXPORT_FORMAT, EXPORT_VERSION, type MyDataExport } from "./schemas";

/**
 * What an export leaves out on purpose. "Their data" (product.md §8) is what a member wrote and
 * what we record about them. Other members' words are theirs: private notes and insights are
 * their author's alone, and circle notes, questions and cards written by others are the circle's
 * shared content, readable in the app while one is a member — copying them into a file would carry
 * them out of the circle's confidence (the charter's first rule).
 */
export const NOT_INCLUDED = [
  "Notes, insights, questions and commitment cards written by other members: they belong to their authors (circle notes by others stay readable in the app while you are a member).",
  "Anonymised copies in a program's learning library other than your own shared insights: they carry no author.",
  "Totals shown to managers and program owners: they are computed on request and hold nothing about you alone.",
  "What lives in Microsoft 365 (your calendar, the meeting chat, Microsoft To Do): export it from Outlook, Teams and To Do.",
] as const;

/** Everything we hold about the caller and everything they wrote, in one stable document. */
export async function exportMyData(db: Db, caller: CallerIdentity, now: Date): Promise<MyDataExport> {
  const { tenantId, userId } = caller;
  const user = await db.selectFrom("users").selectAll().where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirst();

  const memberships = await db
    .selectFrom("circle_members as m")
    .innerJoin("circles as c", "c.id", "m.circle_id")
    .leftJoin("circle_series as s", "s.circle_id", "m.circle_id")
    .select(["m.circle_id", "c.name", "c.purpose", "m.role", "m.joined_at", "m.left_at", "m.time_zone", "s.organizer_id as series_organizer_id", "s.status as series_status"])
    .where("c.tenant_id", "=", tenantId)
    .where("m.user_id", "=", userId)
    .orderBy("m.joined_at")
    .execute();
  const circleIds = memberships.map((m) => m.circle_id);

  const notes = await db
    .selectFrom("session_notes as n")
    .innerJoin("session_runs as r", "r.id", "n.session_id")
    .select(["n.id", "n.session_id", "r.circle_id", "n.visibility", "n.text", "n.created_at"])
    .where("r.tenant_id", "=", tenantId)
    .where("n.author_id", "=", userId)
    .orderBy("n.created_at")
    .orderBy("n.id")
    .execute();

  const commitments = await db
    .selectFrom("commitments as k")
    .innerJoin("circles as c", "c.id", "k.circle_id")
    .selectAll("k")
    .where("c.tenant_id", "=", tenantId)
    .where("k.owner_id", "=", userId)
    .orderBy("k.created_at")
    .orderBy("k.id")
    .execute();

  const insights = await db
    .selectFrom("session_insights as i")
    .innerJoin("session_runs as r", "r.id", "i.session_id")
    .select(["i.id", "i.session_id", "r.circle_id", "i.text", "i.shared_copy_id", "i.created_at", "i.updated_at"])
    .where("r.tenant_id", "=", tenantId)
    .where("i.author_id", "=", userId)
    .orderBy("i.created_at")
    .execute();

  const pulses = await db
    .selectFrom("session_pulses as p")
    .innerJoin("session_runs as r", "r.id", "p.session_id")
    .select(["p.session_id", "r.circle_id", "p.rating", "p.created_at", "p.updated_at"])
    .where("r.tenant_id", "=", tenantId)
    .where("p.member_id", "=", userId)
    .orderBy("p.created_at")
    .execute();

  // Sessions of circles they are or were in, kept when the run records something about them.
  const runs =
    circleIds.length === 0
      ? []
      : await db
          .selectFrom("session_runs")
          .select(["id", "circle_id", "occurrence_date", "status", "state"])
          .where("tenant_id", "=", tenantId)
          .where("circle_id", "in", circleIds)
          .orderBy("occurrence_date")
          .orderBy("id")
          .execute();
  const touched = new Set([...notes.map((n) => n.session_id), ...commitments.map((c) => c.session_id), ...insights.map((i) => i.session_id), ...pulses.map((p) => p.session_id)]);
  const sessions = runs.flatMap((r) => {
    const part = partInRun(r.state, userId);
    if (part.roles.length === 0 && part.airtimeSeconds === null && part.questions.length === 0 && !touched.has(r.id)) return [];
    return [{ sessionId: r.id, circleId: r.circle_id, date: r.occurrence_date, status: r.status, ...part }];
  });

  const settings = await db.selectFrom("protected_time_settings").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("circle_id").execute();
  const blocks = await db.selectFrom("protected_time_blocks").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("start_at").execute();
  const overrides = await db.selectFrom("protected_time_overrides").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("block_start_at").execute();
  const nudges = await db.selectFrom("nudge_settings").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("kind").execute();
  const deliveries = await db.selectFrom("nudge_deliveries").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("due_at").execute();
  const declines = await db.selectFrom("session_declines").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("session_start_at").orderBy("circle_id").execute();
  const seriesCopies = await db.selectFrom("member_series_copies").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("seen_at").orderBy("circle_id").execute();
  const attendance = await db
    .selectFrom("attendance_records as a")
    .innerJoin("attendance_reports as r", (j) => j.onRef("r.circle_id", "=", "a.circle_id").onRef("r.report_id", "=", "a.report_id"))
    .select(["a.circle_id", "r.meeting_start_at", "r.meeting_end_at", "a.seconds"])
    .where("r.tenant_id", "=", tenantId)
    .where("a.user_id", "=", userId)
    .orderBy("r.meeting_start_at")
    .execute();
  const subscriptions = await db.selectFrom("graph_subscriptions").selectAll().where("tenant_id", "=", tenantId).where("user_id", "=", userId).orderBy("created_at").execute();
  const enrolments = await db
    .selectFrom("program_enrolments as e")
    .innerJoin("programs as p", "p.id", "e.program_id")
    .select(["e.program_id", "p.purpose", "e.upn", "e.display_name", "e.enrolled_at"])
    .where("p.tenant_id", "=", tenantId)
    .where("e.user_id", "=", userId)
    .orderBy("e.enrolled_at")
    .execute();
  const owned = await db.selectFrom("programs").select(["id", "purpose", "duration_weeks", "created_at"]).where("tenant_id", "=", tenantId).where("owner_id", "=", userId).orderBy("created_at").execute();
  const formats = await db.selectFrom("formats").selectAll().where("tenant_id", "=", tenantId).where("owner_id", "=", userId).orderBy("created_at").execute();
  const links = await db
    .selectFrom("meeting_links")
    .select(["circle_id", "chat_id", "created_at"])
    .where("tenant_id", "=", tenantId)
    .where("linked_by", "=", userId)
    .orderBy("created_at")
    .execute();

  return {
    format: EXPORT_FORMAT,
    version: EXPORT_VERSION,
    exportedAt: now.toISOString(),
    profile: {
      tenantId,
      userId,
      userPrincipalName: user?.upn ?? caller.userPrincipalName,
      displayName: user?.display_name ?? caller.displayName,
      timeZone: user?.time_zone ?? null,
      firstSeenAt: user?.first_seen_at ?? null,
    },
    circles: memberships.map((m) => ({
      circleId: m.circle_id,
      circleName: m.name,
      purpose: m.purpose,
      role: m.role,
      joinedAt: m.joined_at,
      leftAt: m.left_at,
      timeZone: m.time_zone,
      youOrganiseTheSeries: m.series_organizer_id === userId && m.series_status !== "cancelled",
    })),
    sessions,
    notes: notes.map((n) => ({ id: n.id, sessionId: n.session_id, circleId: n.circle_id, visibility: n.visibility === "circle" ? ("circle" as const) : ("private" as const), text: n.text, createdAt: n.created_at })),
    commitments: commitments.map((k) => ({
      id: k.id,
      sessionId: k.session_id,
      circleId: k.circle_id,
      action: k.action,
      dueDate: k.due_date,
      signal: k.signal,
      supportWanted: k.support_wanted,
      postedToChat: k.chat_message_id !== null,
      todoTaskId: k.todo_task_id,
      review: k.review_status ? { status: k.review_status, learning: k.review_learning ?? "", reviewedAt: k.reviewed_at } : null,
      createdAt: k.created_at,
    })),
    insights: insights.map((i) => ({ id: i.id, sessionId: i.session_id, circleId: i.circle_id, text: i.text, sharedWithProgram: i.shared_copy_id !== null, createdAt: i.created_at, updatedAt: i.updated_at })),
    pulses: pulses.map((p) => ({ sessionId: p.session_id, circleId: p.circle_id, rating: Number(p.rating), createdAt: p.created_at, updatedAt: p.updated_at })),
    protectedTime: {
      settings: settings.map((s) => ({ circleId: s.circle_id, optOut: readBool(s.opt_out), prepMinutes: Number(s.prep_minutes), reflectionMinutes: Number(s.reflection_minutes), updatedAt: s.updated_at })),
      blocks: blocks.map((b) => ({ circleId: b.circle_id, occurrenceKey: b.occurrence_key, kind: b.kind, eventId: b.event_id, start: b.start_at, end: b.end_at })),
      overrides: overrides.map((o) => ({ circleId: o.circle_id, occurrenceKey: o.occurrence_key, kind: o.kind, blockStart: o.block_start_at, blockEnd: o.block_end_at, overriddenAt: o.overridden_at, nudgedAt: o.nudged_at })),
    },
    nudgeSettings: nudges.map((n) => ({ kind: n.kind, enabled: readBool(n.enabled), updatedAt: n.updated_at })),
    nudgeDeliveries: deliveries.map((d) => ({ circleId: d.circle_id, occurrenceKey: d.occurrence_key, kind: d.kind, dueAt: d.due_at, status: d.status, finishedAt: d.finished_at })),
    sessionDeclines: declines.map((d) => ({
      circleId: d.circle_id,
      occurrenceKey: d.occurrence_key,
      scope: d.scope,
      sessionStart: d.session_start_at,
      declinedAt: d.declined_at,
      withdrawnAt: d.withdrawn_at,
      releasedBlocks: Number(d.released_blocks),
      nudgedAt: d.nudged_at,
    })),
    seriesCopies: seriesCopies.map((c) => ({ circleId: c.circle_id, iCalUId: c.ical_uid, seenAt: c.seen_at })),
    attendance: attendance.map((a) => ({ circleId: a.circle_id, meetingStart: a.meeting_start_at, meetingEnd: a.meeting_end_at, seconds: Number(a.seconds) })),
    calendarSubscriptions: subscriptions.map((s) => ({ id: s.id, resource: s.resource, status: s.status, expiresAt: s.expires_at, createdAt: s.created_at })),
    programs: {
      enrolments: enrolments.map((e) => ({ programId: e.program_id, programPurpose: e.purpose, upn: e.upn, displayName: e.display_name, enrolledAt: e.enrolled_at })),
      owned: owned.map((p) => ({ programId: p.id, purpose: p.purpose, durationWeeks: Number(p.duration_weeks), createdAt: p.created_at })),
    },
    formats: formats.map((f) => ({ id: f.id, basedOn: f.based_on, definition: parseJson(f.definition), createdAt: f.created_at, updatedAt: f.updated_at })),
    meetingLinks: links.map((l) => ({ circleId: l.circle_id, chatId: l.chat_id, linkedAt: l.created_at })),
    notIncluded: [...NOT_INCLUDED],
  };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
