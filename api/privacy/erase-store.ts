import type { Transaction } from "kysely";
import type { CallerIdentity } from "../auth/identity";
import type { Tables } from "../storage";
import { FORMER_MEMBER_NAME, mentions, newFormerMemberId, replaceIdentity, scrubIntentPayload, scrubRunState } from "./anonymise";

type Trx = Transaction<Tables>;

/** Stands where a reviewed card's words were: the live panel shows the card with its outcome only. */
export const REMOVED_TEXT = "(removed at its author's request)";

const FINISHED_JOB = ["succeeded", "failed", "cancelled"] as const;
/** Queued work that exists only for this person's own calendar: pointless once they are gone. */
const PERSONAL_JOB_TYPES = ["calendar-changed", "graph-subscription-renewal"] as const;

export interface StoreErasure {
  removed: {
    profile: number;
    circleMemberships: number;
    notes: number;
    commitments: number;
    insights: number;
    sharedInsightCopies: number;
    questions: number;
    protectedTimeSettings: number;
    protectedTimeBlocks: number;
    protectedTimeOverrides: number;
    nudgeSettings: number;
    nudgeDeliveries: number;
    sessionDeclines: number;
    seriesCopies: number;
    calendarSubscriptions: number;
    programEnrolments: number;
    formats: number;
  };
  anonymised: { commitments: number; pulses: number; attendance: number; sessions: number; circlesHandedOver: number; formats: number; meetingLinks: number; jobs: number };
  /** Circles the person was a current member of: their series' attendees follow after the commit. */
  circlesLeft: string[];
  /** Circles whose session runs were rewritten: in-memory copies of those runs are stale. */
  circlesWithRunsChanged: string[];
  /** Graph subscription ids to delete on Graph's side after the commit. */
  subscriptionIds: string[];
  /** Circles whose Outlook series is in the person's mailbox (it stays there). */
  seriesTheyOrganise: Array<{ circleId: string; name: string }>;
  programsOwned: number;
}

const count = (result: { numDeletedRows?: bigint } | { numUpdatedRows?: bigint } | undefined): number => {
  if (!result) return 0;
  const n = "numDeletedRows" in result ? result.numDeletedRows : "numUpdatedRows" in result ? result.numUpdatedRows : 0n;
  return Number(n ?? 0n);
};

/**
 * Takes the caller out of our store, in the caller's transaction (all or nothing). Their own
 * words and settings are deleted; rows that feed circle and program totals (reviewed card
 * outcomes, pulses, session runs) are kept with the caller replaced by the circle's former-member
 * id (see anonymise.ts). Running it again finds nothing and changes nothing.
 */
export async function eraseFromStore(trx: Trx, caller: CallerIdentity, now: string): Promise<StoreErasure> {
  const { tenantId, userId } = caller;
  const formerIds = new Map<string, string>();
  const formerIn = (circleId: string): string => {
    let id = formerIds.get(circleId);
    if (!id) formerIds.set(circleId, (id = newFormerMemberId()));
    return id;
  };
  const tenantRuns = trx.selectFrom("session_runs").select("id").where("tenant_id", "=", tenantId);
  const tenantCircles = trx.selectFrom("circles").select("id").where("tenant_id", "=", tenantId);

  const user = await trx.selectFrom("users").select(["upn", "display_name"]).where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirst();
  const memberships = await trx.selectFrom("circle_members").selectAll().where("user_id", "=", userId).where("circle_id", "in", tenantCircles).execute();
  const circlesLeft = memberships.filter((m) => m.left_at === null).map((m) => m.circle_id);

  // Notes: every note they wrote, private or for the circle.
  const notes = count(await trx.deleteFrom("session_notes").where("author_id", "=", userId).where("session_id", "in", tenantRuns).executeTakeFirst());

  // Insights, and the anonymised copies they chose to share: both are their words.
  const insights = await trx.selectFrom("session_insights").select(["id", "shared_copy_id"]).where("author_id", "=", userId).where("session_id", "in", tenantRuns).execute();
  const copyIds = insights.flatMap((i) => (i.shared_copy_id ? [i.shared_copy_id] : []));
  const sharedInsightCopies = copyIds.length === 0 ? 0 : count(await trx.deleteFrom("program_insights").where("tenant_id", "=", tenantId).where("id", "in", copyIds).executeTakeFirst());
  if (insights.length > 0) await trx.deleteFrom("session_insights").where("id", "in", insights.map((i) => i.id)).execute();

  // Commitments: unreviewed cards count nowhere and go; reviewed ones keep their outcome only.
  const commitments = await trx.selectFrom("commitments").select(["id", "circle_id", "session_id", "review_status"]).where("owner_id", "=", userId).where("circle_id", "in", tenantCircles).execute();
  const myCommitmentIds = new Set(commitments.map((c) => c.id));
  const unreviewed = commitments.filter((c) => c.review_status === null).map((c) => c.id);
  if (unreviewed.length > 0) await trx.deleteFrom("commitments").where("id", "in", unreviewed).execute();
  const reviewed = commitments.filter((c) => c.review_status !== null);
  for (const c of reviewed) {
    await trx
      .updateTable("commitments")
      .set({ owner_id: formerIn(c.circle_id), action: REMOVED_TEXT, signal: "", support_wanted: null, review_learning: "", chat_message_id: null, todo_list_id: null, todo_task_id: null, updated_at: now })
      .where("id", "=", c.id)
      .execute();
  }

  // Pulses: the rating stays for the circle's usefulness figures, without them.
  const pulses = await trx.selectFrom("session_pulses as p").innerJoin("session_runs as r", "r.id", "p.session_id").select(["p.session_id", "r.circle_id"]).where("r.tenant_id", "=", tenantId).where("p.member_id", "=", userId).execute();
  for (const p of pulses) {
    await trx.updateTable("session_pulses").set({ member_id: formerIn(p.circle_id), updated_at: now }).where("session_id", "=", p.session_id).where("member_id", "=", userId).execute();
  }

  // Live-session runs and their intent log: questions (their words) go; roles and airtime become
  // the former member's, so held-vs-planned and rotation history stay as they were.
  const runCircles = [...new Set([...memberships.map((m) => m.circle_id), ...commitments.map((c) => c.circle_id), ...pulses.map((p) => p.circle_id)])];
  let sessions = 0;
  let questions = 0;
  const runsChanged = new Set<string>();
  const runs = runCircles.length === 0 ? [] : await trx.selectFrom("session_runs").select(["id", "circle_id", "state", "roles"]).where("tenant_id", "=", tenantId).where("circle_id", "in", runCircles).execute();
  for (const run of runs) {
    const formerId = formerIds.get(run.circle_id) ?? newFormerMemberId();
    const scrubbed = scrubRunState(run.state, userId, formerId, myCommitmentIds);
    const rolesMention = mentions(run.roles, userId);
    if (scrubbed || rolesMention) {
      formerIds.set(run.circle_id, formerId);
      const roles = rolesMention ? JSON.stringify(replaceIdentity(JSON.parse(run.roles), new Map([[userId, formerId]]))) : run.roles;
      const version = scrubbed ? (JSON.parse(scrubbed.json) as { version?: unknown }).version : undefined;
      await trx
        .updateTable("session_runs")
        .set({ roles, updated_at: now, ...(scrubbed ? { state: scrubbed.json } : {}), ...(typeof version === "number" ? { version } : {}) })
        .where("id", "=", run.id)
        .execute();
      sessions += 1;
      questions += scrubbed?.questionsRemoved ?? 0;
      runsChanged.add(run.circle_id);
    }
    const intents = await trx
      .selectFrom("session_intents")
      .selectAll()
      .where("session_id", "=", run.id)
      .where((eb) => eb.or([eb("actor_id", "=", userId), eb("payload", "like", `%${userId}%`)]))
      .execute();
    for (const intent of intents) {
      const byThem = intent.actor_id === userId;
      await trx
        .updateTable("session_intents")
        .set({ actor_id: byThem ? formerId : intent.actor_id, payload: scrubIntentPayload(intent.payload, { byThem, userId, formerId }) })
        .where("session_id", "=", intent.session_id)
        .where("version", "=", intent.version)
        .execute();
    }
  }
  await trx.deleteFrom("session_stream_tickets").where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();

  // Meetings they linked by hand stay linked for the circle, without their name on it.
  const links = await trx.selectFrom("meeting_links").select(["chat_id", "circle_id"]).where("tenant_id", "=", tenantId).where("linked_by", "=", userId).execute();
  for (const l of links) await trx.updateTable("meeting_links").set({ linked_by: formerIn(l.circle_id) }).where("tenant_id", "=", tenantId).where("chat_id", "=", l.chat_id).execute();

  // Their own calendar's protected time, subscriptions and switches.
  const protectedTimeSettings = count(await trx.deleteFrom("protected_time_settings").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());
  const protectedTimeBlocks = count(await trx.deleteFrom("protected_time_blocks").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());
  const protectedTimeOverrides = count(await trx.deleteFrom("protected_time_overrides").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());
  const nudgeSettings = count(await trx.deleteFrom("nudge_settings").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());
  const nudgeDeliveries = count(await trx.deleteFrom("nudge_deliveries").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());

  // Declines are removed, not kept under the former-member id: "declined by most" is counted over
  // the people who were members at the time (circle_members, which they leave below), so a decline
  // under an id with no membership would never be counted again — keeping it would keep their
  // choice for nothing. The circle's figures stay true: a past session most declined and nobody
  // held is still "not held", a slip just the same, and held sessions never depended on declines.
  const sessionDeclines = count(await trx.deleteFrom("session_declines").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());
  const seriesCopies = count(await trx.deleteFrom("member_series_copies").where("tenant_id", "=", tenantId).where("user_id", "=", userId).executeTakeFirst());

  // Attendance: the seconds stay for "sessions held", under the circle's former-member id.
  const attended = await trx
    .selectFrom("attendance_records")
    .select(["circle_id", "report_id"])
    .where("user_id", "=", userId)
    .where("circle_id", "in", tenantCircles)
    .execute();
  for (const a of attended) {
    await trx.updateTable("attendance_records").set({ user_id: formerIn(a.circle_id) }).where("circle_id", "=", a.circle_id).where("report_id", "=", a.report_id).where("user_id", "=", userId).execute();
  }
  const subscriptions = await trx.selectFrom("graph_subscriptions").select(["id", "status"]).where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();
  if (subscriptions.length > 0) await trx.deleteFrom("graph_subscriptions").where("tenant_id", "=", tenantId).where("user_id", "=", userId).execute();

  // Programs: enrolments go; a draft that places them is stale (as when the pool changes), unless
  // its cohort is being booked, in which case they are taken out of it.
  const programEnrolments = count(
    await trx
      .deleteFrom("program_enrolments")
      .where("user_id", "=", userId)
      .where("program_id", "in", trx.selectFrom("programs").select("id").where("tenant_id", "=", tenantId))
      .executeTakeFirst(),
  );
  const drafts = await trx.selectFrom("programs").select(["id", "draft", "cohort_job_id"]).where("tenant_id", "=", tenantId).where("draft", "like", `%${userId}%`).execute();
  for (const p of drafts) {
    if (p.draft === null || !mentions(p.draft, userId)) continue;
    const draft = p.cohort_job_id === null ? null : JSON.stringify(withoutPerson(JSON.parse(p.draft), userId));
    await trx.updateTable("programs").set({ draft, updated_at: now }).where("id", "=", p.id).execute();
  }
  const programsOwned = (await trx.selectFrom("programs").select("id").where("tenant_id", "=", tenantId).where("owner_id", "=", userId).execute()).length;

  // Format copies: a copy a circle still runs on stays (without an owner who could edit it).
  const formats = await trx.selectFrom("formats").select("id").where("tenant_id", "=", tenantId).where("owner_id", "=", userId).execute();
  let formatsRemoved = 0;
  let formatsKept = 0;
  for (const f of formats) {
    const used = await trx.selectFrom("circles").select("id").where("tenant_id", "=", tenantId).where("format_id", "=", f.id).executeTakeFirst();
    if (used) {
      await trx.updateTable("formats").set({ owner_id: newFormerMemberId(), updated_at: now }).where("id", "=", f.id).execute();
      formatsKept += 1;
    } else {
      await trx.deleteFrom("formats").where("id", "=", f.id).execute();
      formatsRemoved += 1;
    }
  }

  // Circles: they leave every circle. One they organise passes to its longest-standing member
  // (as when an organiser leaves); the Outlook series stays in its organiser's mailbox.
  const organised = await trx.selectFrom("circles").select(["id", "name"]).where("tenant_id", "=", tenantId).where("organizer_id", "=", userId).execute();
  for (const c of organised) {
    const successor = await trx
      .selectFrom("circle_members")
      .select("user_id")
      .where("circle_id", "=", c.id)
      .where("user_id", "!=", userId)
      .where("left_at", "is", null)
      .orderBy("joined_at")
      .orderBy("upn")
      .executeTakeFirst();
    if (successor) await trx.updateTable("circle_members").set({ role: "organizer" }).where("circle_id", "=", c.id).where("user_id", "=", successor.user_id).execute();
    await trx.updateTable("circles").set({ organizer_id: successor?.user_id ?? formerIn(c.id), updated_at: now }).where("id", "=", c.id).execute();
  }
  const seriesTheyOrganise = await trx
    .selectFrom("circle_series as s")
    .innerJoin("circles as c", "c.id", "s.circle_id")
    .select(["s.circle_id as circleId", "c.name"])
    .where("c.tenant_id", "=", tenantId)
    .where("s.organizer_id", "=", userId)
    .where("s.status", "!=", "cancelled")
    .execute();
  const circleMemberships = count(await trx.deleteFrom("circle_members").where("user_id", "=", userId).where("circle_id", "in", tenantCircles).executeTakeFirst());
  if (circlesLeft.length > 0) await trx.updateTable("circles").set({ updated_at: now }).where("id", "in", circlesLeft).execute();

  // Jobs: finished ones keep their record without their name; queued work only for them goes.
  const identity = new Map<string, string>([[userId, newFormerMemberId()]]);
  const upn = user?.upn ?? caller.userPrincipalName;
  const name = user?.display_name ?? caller.displayName;
  if (upn) identity.set(upn, "");
  if (name) identity.set(name, FORMER_MEMBER_NAME);
  await trx.deleteFrom("jobs").where("status", "=", "queued").where("type", "in", [...PERSONAL_JOB_TYPES]).where("payload", "like", `%${userId}%`).execute();
  const jobs = await trx.selectFrom("jobs").select(["id", "payload"]).where("status", "in", [...FINISHED_JOB]).where("payload", "like", `%${userId}%`).execute();
  for (const job of jobs) {
    await trx.updateTable("jobs").set({ payload: JSON.stringify(replaceIdentity(JSON.parse(job.payload), identity)) }).where("id", "=", job.id).execute();
    const steps = await trx.selectFrom("job_steps").select(["name", "output"]).where("job_id", "=", job.id).where("output", "is not", null).execute();
    for (const step of steps) {
      if (step.output === null || ![...identity.keys()].some((v) => mentions(step.output!, v))) continue;
      await trx.updateTable("job_steps").set({ output: JSON.stringify(replaceIdentity(JSON.parse(step.output), identity)) }).where("job_id", "=", job.id).where("name", "=", step.name).execute();
    }
  }

  const profile = count(await trx.deleteFrom("users").where("tenant_id", "=", tenantId).where("id", "=", userId).executeTakeFirst());

  return {
    removed: {
      profile,
      circleMemberships,
      notes,
      commitments: unreviewed.length,
      insights: insights.length,
      sharedInsightCopies,
      questions,
      protectedTimeSettings,
      protectedTimeBlocks,
      protectedTimeOverrides,
      nudgeSettings,
      nudgeDeliveries,
      sessionDeclines,
      seriesCopies,
      calendarSubscriptions: subscriptions.length,
      programEnrolments,
      formats: formatsRemoved,
    },
    anonymised: { commitments: reviewed.length, pulses: pulses.length, attendance: attended.length, sessions, circlesHandedOver: organised.length, formats: formatsKept, meetingLinks: links.length, jobs: jobs.length },
    circlesLeft,
    circlesWithRunsChanged: [...runsChanged],
    subscriptionIds: subscriptions.filter((s) => s.status === "active").map((s) => s.id),
    seriesTheyOrganise,
    programsOwned,
  };
}

/** A program draft (programs/schemas-http DraftSchema, read loosely) without one person. */
function withoutPerson(draft: unknown, userId: string): unknown {
  const d = (draft ?? {}) as { circles?: Array<{ memberIds?: string[] }>; unplaced?: Array<{ id?: string }>; managers?: Record<string, string> };
  return {
    ...d,
    circles: (d.circles ?? []).map((c) => ({ ...c, memberIds: (c.memberIds ?? []).filter((id) => id !== userId) })),
    unplaced: (d.unplaced ?? []).filter((u) => u.id !== userId),
    managers: Object.fromEntries(Object.entries(d.managers ?? {}).filter(([k, v]) => k !== userId && v !== userId)),
  };
}
