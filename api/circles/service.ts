import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import { resolvePeople } from "../people/service";
import { badRequest, conflict, forbidden, notFound } from "../shared/errors";
import { readBool, toDbBool, type CircleMemberRow, type Db, type NewCircleMemberRow } from "../storage";
import { loadCircleForMember, type CircleRecord } from "./access";
import { findUsableFormat } from "./formats/service";
import type { SeriesPort } from "./ports";
import { sessionCountForEndDate } from "./series-end";
import { findKnownUserZones, findMembership, insertCircle, listCirclesOfMember, markMemberLeft, updateCircleRow, upsertMember } from "./repository";
import type { CircleDetail, CircleSummary, CreateCircleBody, UpdateCircleBody } from "./schemas";

export interface CirclesDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Booking's view of the series; absent until the booking module is wired (then series/booking are omitted). */
  series?: SeriesPort;
}

export const MIN_MEMBERS = 2;
export const MAX_MEMBERS = 8;

/** The four ground rules of product.md's glossary, worded for people (editable per circle). */
export const DEFAULT_CHARTER: readonly string[] = [
  "Confidentiality: what is shared in the circle stays in the circle.",
  "Respectful listening: one voice at a time — we listen to understand, not to reply.",
  "Timeboxing: we start and end on time and keep to each segment's time.",
  "Conflicts of interest: we say so when a case involves someone we manage, report to or compete with.",
];

const StoredCharterSchema = z.array(z.string());
const CadenceValues = ["weekly", "biweekly", "every4weeks", "monthly"] as const;
type Cadence = (typeof CadenceValues)[number];

/** The circles the caller currently belongs to (may be empty). */
export async function listMyCircles(deps: { db: Db }, caller: CallerIdentity): Promise<CircleSummary[]> {
  const rows = await listCirclesOfMember(deps.db, caller.tenantId, caller.userId);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    purpose: row.purpose,
    cadence: row.cadence,
    sessionMinutes: row.session_minutes,
    // PostgreSQL returns count(*) as a bigint string; SQLite as a number.
    memberCount: Number(row.member_count ?? 0),
    timeZone: row.time_zone,
  }));
}

function memberView(m: CircleMemberRow, organizerId: string): CircleDetail["members"][number] {
  return { id: m.user_id, upn: m.upn, displayName: m.display_name, role: m.user_id === organizerId ? "organizer" : "member", timeZone: m.time_zone ?? null };
}

/** The stored part of a circle as the API shows it (no Graph calls). */
export function toCircleDetail(record: CircleRecord): CircleDetail {
  const { circle, members } = record;
  let charter: string[] = [];
  try {
    const parsed = StoredCharterSchema.safeParse(JSON.parse(circle.charter));
    // Rows from before issue #3 stored "{}": they have no charter yet.
    if (parsed.success) charter = parsed.data;
  } catch {
    charter = [];
  }
  const cadence: Cadence = (CadenceValues as readonly string[]).includes(circle.cadence) ? (circle.cadence as Cadence) : "weekly";
  return {
    id: circle.id,
    name: circle.name,
    purpose: circle.purpose,
    charter,
    formatId: circle.format_id,
    cadence,
    sessionMinutes: circle.session_minutes,
    sessionCount: circle.session_count,
    endsOn: circle.ends_on ?? null,
    timeZone: circle.time_zone,
    rotateRoles: readBool(circle.rotate_roles),
    organizerId: circle.organizer_id,
    // Organiser first, then in the order people joined.
    members: [...members]
      .sort((a, b) => Number(b.user_id === circle.organizer_id) - Number(a.user_id === circle.organizer_id) || a.joined_at.localeCompare(b.joined_at) || a.upn.localeCompare(b.upn))
      .map((m) => memberView(m, circle.organizer_id)),
    createdAt: circle.created_at,
  };
}

/** The detail plus the series and booking as the booking module reads them back (when wired). */
async function withSeries(deps: CirclesDeps, record: CircleRecord, caller: CallerIdentity): Promise<CircleDetail> {
  const detail = toCircleDetail(record);
  if (!deps.series) return detail;
  const [series, booking] = await Promise.all([deps.series.read(record, caller), deps.series.latestBooking(record)]);
  return { ...detail, ...(series ? { series } : {}), ...(booking ? { booking } : {}) };
}

/**
 * Creates a circle (2 people = a pair, 3–8 = a circle) with the caller as organiser. Every member
 * UPN is resolved in the directory first and the circle is written in one transaction, so a bad
 * request stores nothing.
 * @throws AppError bad_request (unknown UPN, unusable format, wrong member count);
 * GraphRequestError when Graph fails.
 */
export async function createCircle(deps: CirclesDeps, caller: CallerIdentity, body: CreateCircleBody): Promise<CircleDetail> {
  const callerUpn = caller.userPrincipalName.toLowerCase();
  const others = [...new Map(body.members.map((u) => [u.toLowerCase(), u])).values()].filter((u) => u.toLowerCase() !== callerUpn);
  const total = others.length + 1;
  if (total < MIN_MEMBERS || total > MAX_MEMBERS) {
    throw badRequest(`Invalid request: members: a circle has ${MIN_MEMBERS}–${MAX_MEMBERS} people including you (a pair is 2); this one would have ${total}.`);
  }
  const format = await findUsableFormat(deps, caller, body.formatId);
  if (!format) throw badRequest(`Invalid request: formatId: there is no format "${body.formatId}" (use a built-in format or one of your copies).`);

  const graph = deps.graph.forUser(caller);
  const [people, mailbox] = await Promise.all([resolvePeople(graph, others), graph.getMailboxSettings()]);
  if (people.unknown.length > 0) {
    const list = people.unknown.map((u) => `"${u}"`).join(", ");
    throw badRequest(`Invalid request: members: ${list} ${people.unknown.length === 1 ? "is" : "are"} not in your organisation's directory.`);
  }
  const resolved = others.map((u) => people.found.get(u.toLowerCase())!);
  // Two addresses of the same person (UPN and alias) must not make two members.
  const ids = new Set([caller.userId, ...resolved.map((p) => p.id)]);
  if (ids.size !== resolved.length + 1) throw badRequest("Invalid request: members: the same person is listed twice (or you are listed under another address).");

  const timeZone = body.timeZone ?? mailbox.timeZone;
  // A circle that ends on a date stores the sessions it can have until then (refined at booking).
  const sessionCount = body.endsOn !== undefined ? sessionCountForEndDate(body.endsOn, body.cadence, timeZone, deps.clock()) : body.sessionCount;
  if (sessionCount === undefined) throw badRequest("Invalid request: sessionCount: give the number of sessions (sessionCount) or the last date (endsOn).");

  const now = deps.clock().toISOString();
  const circleId = randomUUID();
  const zones = await findKnownUserZones(deps.db, caller.tenantId, resolved.map((p) => p.id));
  const members: NewCircleMemberRow[] = [
    { circle_id: circleId, user_id: caller.userId, upn: caller.userPrincipalName, display_name: caller.displayName, role: "organizer", joined_at: now, left_at: null, time_zone: mailbox.timeZone },
    ...resolved.map((p) => ({
      circle_id: circleId,
      user_id: p.id,
      upn: p.userPrincipalName,
      display_name: p.displayName || p.userPrincipalName,
      role: "member",
      joined_at: now,
      left_at: null,
      time_zone: zones.get(p.id) ?? null,
    })),
  ];
  await insertCircle(
    deps.db,
    {
      id: circleId,
      tenant_id: caller.tenantId,
      name: body.name,
      purpose: body.purpose,
      charter: JSON.stringify(body.charter ?? DEFAULT_CHARTER),
      format_id: format.id,
      cadence: body.cadence,
      session_minutes: body.sessionMinutes,
      session_count: sessionCount,
      ends_on: body.endsOn ?? null,
      time_zone: timeZone,
      rotate_roles: toDbBool(body.rotateRoles),
      organizer_id: caller.userId,
      created_at: now,
      updated_at: now,
    },
    members,
  );
  return toCircleDetail(await loadCircleForMember(deps.db, caller, circleId));
}

/** @throws AppError not_found unless the caller is a current member. */
export async function getCircle(deps: CirclesDeps, caller: CallerIdentity, circleId: string): Promise<CircleDetail> {
  return withSeries(deps, await loadCircleForMember(deps.db, caller, circleId), caller);
}

/**
 * Changes name, purpose, charter or role rotation. Only the organiser may (the series and its
 * invitation are theirs).
 * @throws AppError not_found for non-members; forbidden for other members.
 */
export async function updateCircle(deps: CirclesDeps, caller: CallerIdentity, circleId: string, body: UpdateCircleBody): Promise<CircleDetail> {
  const record = await loadCircleForMember(deps.db, caller, circleId);
  if (record.circle.organizer_id !== caller.userId) throw forbidden("Only the circle's organiser can change its name, purpose, charter or role rotation.");
  await updateCircleRow(deps.db, circleId, {
    ...(body.name !== undefined ? { name: body.name } : {}),
    ...(body.purpose !== undefined ? { purpose: body.purpose } : {}),
    ...(body.charter !== undefined ? { charter: JSON.stringify(body.charter) } : {}),
    ...(body.rotateRoles !== undefined ? { rotate_roles: toDbBool(body.rotateRoles) } : {}),
    updated_at: deps.clock().toISOString(),
  });
  return withSeries(deps, await loadCircleForMember(deps.db, caller, circleId), caller);
}

/**
 * Adds someone from the directory (or brings back someone who left), then lets the booked series
 * follow (SeriesPort.membersChanged). Only the organiser may add people.
 * @throws AppError not_found (non-member caller), forbidden (not the organiser), bad_request (unknown
 * UPN), conflict (already a member, or the circle is full).
 */
export async function addMember(deps: CirclesDeps, caller: CallerIdentity, circleId: string, upn: string): Promise<CircleDetail> {
  const record = await loadCircleForMember(deps.db, caller, circleId);
  if (record.circle.organizer_id !== caller.userId) throw forbidden("Only the circle's organiser can add members.");
  if (record.members.some((m) => m.upn.toLowerCase() === upn.toLowerCase())) throw conflict(`${upn} is already a member of this circle.`);
  if (record.members.length >= MAX_MEMBERS) throw conflict(`A circle has at most ${MAX_MEMBERS} members; this one is full.`);
  const people = await resolvePeople(deps.graph.forUser(caller), [upn]);
  const person = people.found.get(upn.toLowerCase());
  if (!person) throw badRequest(`Invalid request: upn: "${upn}" is not in your organisation's directory.`);
  if (record.members.some((m) => m.user_id === person.id)) throw conflict(`${person.displayName || upn} is already a member of this circle.`);

  const now = deps.clock().toISOString();
  const zones = await findKnownUserZones(deps.db, caller.tenantId, [person.id]);
  const before = await findMembership(deps.db, circleId, person.id);
  await upsertMember(
    deps.db,
    {
      circle_id: circleId,
      user_id: person.id,
      upn: person.userPrincipalName,
      display_name: person.displayName || person.userPrincipalName,
      role: "member",
      joined_at: now,
      left_at: null,
      time_zone: zones.get(person.id) ?? before?.time_zone ?? null,
    },
    now,
  );
  const updated = await loadCircleForMember(deps.db, caller, circleId);
  await deps.series?.membersChanged(updated, caller);
  return withSeries(deps, updated, caller);
}

/**
 * Removes a member (the row stays with `left_at`, as history). Anyone may leave; only the
 * organiser may remove others. A circle keeps at least 2 members. When the organiser leaves, the
 * longest-standing member becomes organiser. The series follows via SeriesPort.membersChanged
 * (called as the caller, who was the organiser at the time of the change when removing others).
 * @throws AppError not_found (non-member caller or member), forbidden (removing someone else
 * without being organiser), conflict (would leave fewer than 2 members).
 * @returns the circle as the caller now sees it; after leaving, the caller is no longer a member,
 * so the returned detail is the last view they had rights to (built before the reload).
 */
export async function removeMember(deps: CirclesDeps, caller: CallerIdentity, circleId: string, memberId: string): Promise<CircleDetail> {
  const record = await loadCircleForMember(deps.db, caller, circleId);
  const leaving = memberId === caller.userId;
  if (!leaving && record.circle.organizer_id !== caller.userId) throw forbidden("Only the circle's organiser can remove other members; you can leave the circle yourself.");
  const target = record.members.find((m) => m.user_id === memberId);
  if (!target) throw notFound("The member");
  if (record.members.length <= MIN_MEMBERS) {
    throw conflict(`A circle needs at least ${MIN_MEMBERS} members; add someone before ${leaving ? "leaving" : "removing this member"}, or cancel the series instead.`);
  }
  const remaining = record.members.filter((m) => m.user_id !== memberId);
  const successor = memberId === record.circle.organizer_id ? [...remaining].sort((a, b) => a.joined_at.localeCompare(b.joined_at) || a.upn.localeCompare(b.upn))[0] : undefined;
  const now = deps.clock().toISOString();
  await markMemberLeft(deps.db, circleId, memberId, now, successor?.user_id);

  const circle = { ...record.circle, updated_at: now, ...(successor ? { organizer_id: successor.user_id } : {}) };
  const updated: CircleRecord = { circle, members: remaining.map((m) => (successor && m.user_id === successor.user_id ? { ...m, role: "organizer" } : m)) };
  await deps.series?.membersChanged(updated, caller);
  if (leaving) return toCircleDetail(updated);
  return withSeries(deps, await loadCircleForMember(deps.db, caller, circleId), caller);
}
