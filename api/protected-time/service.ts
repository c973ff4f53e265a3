import { createHash } from "node:crypto";
import type { CallerIdentity } from "../auth/identity";
import { loadCircleForMember, type CircleRecord } from "../circles/access";
import type { CalendarEvent, GraphClient, GraphFactory } from "../graph";
import { isGraphRequestError } from "../graph";
import { isAppError } from "../shared/errors";
import { graphErrorToAppError } from "../shared/graph-error-mapping";
import type { Logger } from "../shared/logger";
import type { CircleSeriesRow, Db } from "../storage";
import {
  createBlockRequest,
  createCategoryIn,
  deleteBlockRequest,
  findSeriesCopy,
  listBlocks,
  listSeriesInstances,
  mailboxRoot,
  readBlockDeleted,
  readBlockWritten,
  readCategoryCreated,
  updateBlockRequest,
  type CalendarBlock,
  type MailboxRoot,
} from "./calendar";
import { diffProtectedBlocks, planProtectedBlocks, PROTECTED_CATEGORY, type SeriesOccurrence } from "./plan-blocks";
import {
  bookedCirclesOf,
  circlesWithBlocks,
  findSettings,
  knownSeriesICalUIds,
  listBlockRows,
  loadCircleRecord,
  recordSeries,
  replaceBlockRows,
  saveSettings,
  type BlockRecord,
  type MemberSettings,
} from "./repository";
import type { CircleSyncResult, ProtectedTimeSettingsBody, ProtectedTimeView, SyncResult } from "./schemas";

export interface ProtectedTimeServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** Application mode (PROTECTED_TIME_APP_MODE): blocks go on every member's calendar at booking, app-only. */
  appMode: boolean;
  /** Signed-in callers (shared with booking): a sync job acts for members who opened the app. */
  remember?: (caller: CallerIdentity) => void;
  /** After the caller's own sync (notifications: make sure their calendar is watched). Failures are logged. */
  afterSyncMine?: (caller: CallerIdentity) => Promise<void>;
  logger?: Logger;
}

const DAY_MS = 86_400_000;
/** Colour of the category when we create it in a member's mailbox (as booking does for the organiser). */
const CATEGORY_COLOR = "preset9";

/** Where one member's blocks are written: their own mailbox, as them or as the app. */
export interface MailboxAccess {
  graph: GraphClient;
  root: MailboxRoot;
}

/** A stable, short transactionId per block: a retried create returns the first event. */
export function blockTransactionId(parts: { circleId: string; memberId: string; occurrenceKey: string; kind: string; seriesICalUId: string | null; settingsVersion: string }): string {
  const digest = createHash("sha256").update([parts.circleId, parts.memberId, parts.occurrenceKey, parts.kind, parts.seriesICalUId ?? "", parts.settingsVersion].join("\n")).digest("base64url");
  return `cc-pt-${digest.slice(0, 32)}`;
}

/** The series' sessions as the member's own calendar has them, keyed by their slot (original start). */
async function readOccurrences(access: MailboxAccess, circle: CircleRecord["circle"], iCalUIds: readonly string[]): Promise<{ occurrences: SeriesOccurrence[]; seriesOf: Map<string, string>; found: boolean }> {
  const occurrences: SeriesOccurrence[] = [];
  const seriesOf = new Map<string, string>();
  let found = false;
  for (const uid of iCalUIds) {
    const copy = await findSeriesCopy(access.graph, access.root, uid, circle.time_zone);
    if (!copy) continue;
    found = true;
    // Slots are at most ~5 weeks apart (monthly); moved sessions stay near their slot.
    const from = copy.start - 35 * DAY_MS;
    const to = copy.start + (circle.session_count + 2) * 35 * DAY_MS;
    const instances: CalendarEvent[] = copy.type === "seriesMaster" ? await listSeriesInstances(access.graph, access.root, copy.id, from, to, circle.time_zone) : [copy];
    for (const inst of instances) {
      const slot = inst.originalStart ?? inst.start;
      const key = new Date(slot).toISOString();
      if (seriesOf.has(key) || inst.end <= inst.start) continue;
      seriesOf.set(key, uid);
      occurrences.push({ id: key, start: new Date(inst.start).toISOString(), end: new Date(inst.end).toISOString(), status: inst.isCancelled ? "cancelled" : inst.start !== slot ? "moved" : "scheduled" });
    }
  }
  return { occurrences, seriesOf, found };
}

export function createProtectedTimeService(deps: ProtectedTimeServiceDeps) {
  const now = () => deps.clock().toISOString();

  /**
   * Brings one member's blocks for one circle in line with the series as their calendar has it:
   * plan, diff against the blocks read back from Outlook, apply the diff in `$batch`es and record
   * the result. `blocks` is every block of ours in the mailbox (read once per mailbox).
   * Items that failed are left for the next sync (creates are deduped by transactionId); the
   * first failure is thrown after what succeeded is recorded.
   */
  async function syncMemberCircle(access: MailboxAccess, tenantId: string, circleId: string, memberId: string, blocks: readonly CalendarBlock[]): Promise<CircleSyncResult> {
    const record = await loadCircleRecord(deps.db, tenantId, circleId);
    if (!record) return { circleId, status: "notBooked", created: 0, updated: 0, deleted: 0, blocks: 0 };
    const row: CircleSeriesRow | undefined = await deps.db.selectFrom("circle_series").selectAll().where("circle_id", "=", circleId).executeTakeFirst();
    const isMember = record.members.some((m) => m.user_id === memberId);
    const settings: MemberSettings = await findSettings(deps.db, circleId, memberId);

    let occurrences: SeriesOccurrence[] = [];
    let seriesOf = new Map<string, string>();
    let status: CircleSyncResult["status"] = "synced";
    if (!row || row.status === "cancelled" || !isMember) {
      status = "notBooked";
    } else {
      if (row.ical_uid) await recordSeries(deps.db, circleId, row.ical_uid, now());
      const uids = [...new Set([...(row.ical_uid ? [row.ical_uid] : []), ...(await knownSeriesICalUIds(deps.db, circleId))])];
      const read = await readOccurrences(access, record.circle, uids);
      occurrences = read.occurrences;
      seriesOf = read.seriesOf;
      if (!read.found) status = row.status === "booking" && uids.length === 0 ? "notBooked" : "seriesNotFound";
    }
    if (status === "seriesNotFound") {
      // Not on their calendar (invitation not there yet, or they deleted it): touch nothing.
      return { circleId, status, created: 0, updated: 0, deleted: 0, blocks: blocks.filter((b) => b.circleId === circleId && b.memberId === memberId).length };
    }

    const at = now();
    const desired = planProtectedBlocks({ occurrences, members: [{ memberId, optOut: settings.optOut, prepMinutes: settings.prepMinutes, reflectionMinutes: settings.reflectionMinutes }], now: at });
    const mine = blocks.filter((b) => b.circleId === circleId && b.memberId === memberId);
    const diff = diffProtectedBlocks(mine, desired, at);

    const requests = [];
    if (diff.create.length > 0) requests.push(createCategoryIn(access.root, "category", PROTECTED_CATEGORY, CATEGORY_COLOR));
    diff.create.forEach((b, i) => {
      const seriesICalUId = seriesOf.get(b.occurrenceId) ?? null;
      const transactionId = blockTransactionId({ circleId, memberId, occurrenceKey: b.occurrenceId, kind: b.kind, seriesICalUId, settingsVersion: settings.updatedAt ?? "default" });
      requests.push(createBlockRequest(`c${i}`, access.root, b, { circleId, seriesICalUId, transactionId }));
    });
    diff.update.forEach((u, i) => requests.push(updateBlockRequest(`u${i}`, access.root, u.eventId, u.changes)));
    diff.delete.forEach((d, i) => requests.push(deleteBlockRequest(`d${i}`, access.root, d.eventId)));
    const results = requests.length > 0 ? await access.graph.batch(requests) : [];
    const resultOf = (id: string) => results.find((r) => r.id === id);

    let firstError: unknown;
    const attempt = (fn: () => void): boolean => {
      try {
        fn();
        return true;
      } catch (err) {
        firstError ??= err;
        return false;
      }
    };
    if (diff.create.length > 0) attempt(() => readCategoryCreated(resultOf("category")!));

    // What is on the calendar now: the kept blocks, updated ones at their new times, new ones.
    const byEvent = new Map<string, BlockRecord>();
    for (const b of mine) byEvent.set(b.eventId, { occurrenceKey: b.occurrenceId, kind: b.kind, eventId: b.eventId, seriesICalUId: b.seriesICalUId ?? seriesOf.get(b.occurrenceId) ?? null, start: b.start, end: b.end });
    let deleted = 0;
    diff.delete.forEach((d, i) => {
      if (attempt(() => readBlockDeleted(resultOf(`d${i}`)!))) {
        byEvent.delete(d.eventId);
        deleted += 1;
      }
    });
    let updated = 0;
    diff.update.forEach((u, i) => {
      if (attempt(() => readBlockWritten(resultOf(`u${i}`)!, "PATCH block"))) {
        const prev = byEvent.get(u.eventId);
        if (prev) byEvent.set(u.eventId, { ...prev, start: u.block.start, end: u.block.end });
        updated += 1;
      }
    });
    let created = 0;
    diff.create.forEach((b, i) => {
      let eventId = "";
      if (attempt(() => (eventId = readBlockWritten(resultOf(`c${i}`)!, "POST block")))) {
        byEvent.set(eventId, { occurrenceKey: b.occurrenceId, kind: b.kind, eventId, seriesICalUId: seriesOf.get(b.occurrenceId) ?? null, start: b.start, end: b.end });
        created += 1;
      }
    });
    // One record per occurrence and kind (a duplicate whose delete failed is found again next time).
    const records = new Map<string, BlockRecord>();
    for (const r of byEvent.values()) if (!records.has(`${r.occurrenceKey}|${r.kind}`)) records.set(`${r.occurrenceKey}|${r.kind}`, r);
    await replaceBlockRows(deps.db, { circleId, userId: memberId, tenantId }, [...records.values()], at);
    if (firstError !== undefined) throw firstError;
    const remaining = [...records.values()].filter((r) => Date.parse(r.end) > Date.parse(at)).length;
    return { circleId, status: settings.optOut && status === "synced" ? "optedOut" : status, created, updated, deleted, blocks: remaining };
  }

  /** Syncs the listed circles in one mailbox; a failing circle is reported, the others go on. */
  async function syncMailbox(access: MailboxAccess, tenantId: string, memberId: string, circleIds: readonly string[], opts: { throwFirst: boolean }): Promise<CircleSyncResult[]> {
    if (circleIds.length === 0) return [];
    const blocks = await listBlocks(access.graph, access.root);
    const out: CircleSyncResult[] = [];
    let first: unknown;
    for (const circleId of circleIds) {
      try {
        out.push(await syncMemberCircle(access, tenantId, circleId, memberId, blocks));
      } catch (err) {
        // Consent must reach the client (it shows the consent prompt); others are per circle.
        if (isAppError(err) && (err.code === "consent_required" || err.code === "unauthorized")) throw err;
        first ??= err;
        const app = isGraphRequestError(err) ? graphErrorToAppError(err) : isAppError(err) ? err : undefined;
        deps.logger?.warn({ err, circleId, memberId }, "protected-time sync failed for a circle");
        out.push({ circleId, status: "failed", created: 0, updated: 0, deleted: 0, blocks: 0, error: { code: app?.code ?? "internal", message: app?.message ?? "Could not update your protected time." } });
      }
    }
    if (opts.throwFirst && first !== undefined) throw first;
    return out;
  }

  function accessFor(caller: CallerIdentity): MailboxAccess {
    return { graph: deps.graph.forUser(caller), root: mailboxRoot("me") };
  }

  async function view(caller: CallerIdentity, circleId: string): Promise<ProtectedTimeView> {
    const settings = await findSettings(deps.db, circleId, caller.userId);
    const at = Date.parse(now());
    const rows = await listBlockRows(deps.db, circleId, caller.userId);
    return {
      circleId,
      optOut: settings.optOut,
      prepMinutes: settings.prepMinutes,
      reflectionMinutes: settings.reflectionMinutes,
      mode: deps.appMode ? "application" : "delegated",
      blocks: rows
        .filter((r) => Date.parse(r.end_at) > at)
        .map((r) => ({ occurrenceKey: r.occurrence_key, kind: r.kind === "prep" ? ("prep" as const) : ("reflection" as const), start: r.start_at, end: r.end_at })),
    };
  }

  return {
    syncMailbox,

    /** Application mode: the mailbox of `userId` as the app. */
    appAccess(tenantId: string, userId: string): MailboxAccess {
      return { graph: deps.graph.forApp(tenantId), root: mailboxRoot(userId) };
    },

    /**
     * Delegated mode (the member opens the app): the caller's blocks for every circle they are in
     * that is booked (and clean-up in circles they left or that were cancelled).
     */
    async syncMine(caller: CallerIdentity): Promise<SyncResult> {
      deps.remember?.(caller);
      const ids = [...new Set([...(await bookedCirclesOf(deps.db, caller.tenantId, caller.userId)), ...(await circlesWithBlocks(deps.db, caller.tenantId, caller.userId))])].sort();
      const circles = await syncMailbox(accessFor(caller), caller.tenantId, caller.userId, ids, { throwFirst: false });
      try {
        await deps.afterSyncMine?.(caller);
      } catch (err) {
        deps.logger?.warn({ err }, "protected time synced; watching the calendar for changes failed (retried at the next sync)");
      }
      return { circles };
    },

    /** @throws AppError not_found for non-members. */
    async getSettings(caller: CallerIdentity, circleId: string): Promise<ProtectedTimeView> {
      await loadCircleForMember(deps.db, caller, circleId);
      return view(caller, circleId);
    },

    /**
     * Saves the caller's settings for the circle and re-syncs their blocks there at once (a
     * Graph failure leaves the settings saved; the next sync applies them).
     * @throws AppError not_found for non-members.
     */
    async updateSettings(caller: CallerIdentity, circleId: string, body: ProtectedTimeSettingsBody): Promise<ProtectedTimeView> {
      await loadCircleForMember(deps.db, caller, circleId);
      await saveSettings(deps.db, { circleId, userId: caller.userId, tenantId: caller.tenantId, optOut: body.optOut, prepMinutes: body.prepMinutes, reflectionMinutes: body.reflectionMinutes, now: now() });
      deps.remember?.(caller);
      try {
        await syncMailbox(accessFor(caller), caller.tenantId, caller.userId, [circleId], { throwFirst: true });
      } catch (err) {
        if (isAppError(err) && err.code === "consent_required") throw err;
        deps.logger?.warn({ err, circleId }, "protected time saved; the calendar update failed and is retried at the next sync");
      }
      return view(caller, circleId);
    },
  };
}

export type ProtectedTimeService = ReturnType<typeof createProtectedTimeService>;
