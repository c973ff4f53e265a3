import { createHash, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import type { CallerIdentity } from "../auth/identity";
import type { GraphClient, GraphFactory } from "../graph";
import { isGraphRequestError } from "../graph";
import { toEpochMs } from "../graph/date-time";
import { insertJob } from "../jobs";
import type { NudgeService } from "../nudges";
import { PROTECTED_CATEGORY, type ProtectedTimeService } from "../protected-time";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { createDeclineTracker } from "./declines";
import {
  findActiveSubscription,
  findCircleName,
  findSubscription,
  insertSubscription,
  markNudged,
  recordOverride,
  subscriptionsExpiringBefore,
  updateSubscription,
  upcomingBlocks,
} from "./repository";
import { GraphSubscriptionSchema, NotificationItemSchema, ViewEventSchema, type CalendarChangedPayload } from "./schemas";

export const CALENDAR_CHANGED_JOB_TYPE = "calendar-changed";
export const CALENDAR_CHANGED_STEPS = [{ name: "resync", label: "Bring protected time in line with the calendar" }] as const;
export const SUBSCRIPTION_RENEWAL_JOB_TYPE = "graph-subscription-renewal";
export const SUBSCRIPTION_RENEWAL_STEPS = [{ name: "renew", label: "Renew calendar change subscriptions" }] as const;

/** The webhook, relative to the public base URL (change and lifecycle notifications alike). */
export const WEBHOOK_PATH = "/api/notifications/graph";
const HOUR_MS = 3_600_000;
/** Graph allows 10,080 min for events; we ask for 3 days and renew a day ahead (renewal sweep every hour). */
const LIFETIME_MS = 72 * HOUR_MS;
const RENEW_AHEAD_MS = 24 * HOUR_MS;
const SWEEP_EVERY_MS = HOUR_MS;
/** showAs values that mean "this time is taken". */
const TAKEN = new Set(["busy", "oof"]);

export interface NotificationsServiceDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  protectedTime: ProtectedTimeService;
  nudges: NudgeService;
  /** The app's public base URL: Graph posts notifications to it. */
  appUrl: string;
  /** Delegated mode: the member's latest sign-in (booking's CallerCredentials). */
  findCaller: (tenantId: string, userId: string) => CallerIdentity | undefined;
  onEnqueued?: () => void;
  logger?: Logger;
}

const hashState = (state: string) => createHash("sha256").update(state).digest();

/** Constant-time comparison of a notification's clientState with the stored hash. */
export function clientStateMatches(received: string | null | undefined, storedHashHex: string): boolean {
  if (!received) return false;
  const stored = Buffer.from(storedHashHex, "hex");
  const got = hashState(received);
  return stored.length === got.length && timingSafeEqual(stored, got);
}

export function createNotificationsService(deps: NotificationsServiceDeps) {
  const now = () => deps.clock().toISOString();
  const expiry = () => new Date(deps.clock().getTime() + LIFETIME_MS).toISOString();

  async function enqueue(type: string, steps: readonly { name: string; label: string }[], payload: Record<string, string>, runAfter?: Date): Promise<void> {
    const text = JSON.stringify(payload);
    // A change burst (one notification per event) needs one resync, not one per notification.
    const waiting = await deps.db.selectFrom("jobs").select("id").where("type", "=", type).where("status", "=", "queued").where("payload", "=", text).where("attempts", "=", 0).executeTakeFirst();
    if (!waiting) await insertJob(deps.db, { id: randomUUID(), type, payload, steps, now: deps.clock(), ...(runAfter ? { runAfter } : {}) });
    deps.onEnqueued?.();
  }

  /** Queues the next renewal sweep (idempotent: one waiting sweep at a time). */
  async function scheduleRenewalSweep(inMs = 0): Promise<void> {
    const waiting = await deps.db.selectFrom("jobs").select("id").where("type", "=", SUBSCRIPTION_RENEWAL_JOB_TYPE).where("status", "=", "queued").where("payload", "=", "{}").executeTakeFirst();
    if (!waiting) await insertJob(deps.db, { id: randomUUID(), type: SUBSCRIPTION_RENEWAL_JOB_TYPE, payload: {}, steps: SUBSCRIPTION_RENEWAL_STEPS, now: deps.clock(), runAfter: new Date(deps.clock().getTime() + inMs) });
  }

  async function renew(graph: GraphClient, id: string): Promise<void> {
    try {
      const sub = await graph.patch(`/subscriptions/${encodeURIComponent(id)}`, { expirationDateTime: expiry() }, GraphSubscriptionSchema);
      await updateSubscription(deps.db, id, { expiresAt: new Date(sub.expirationDateTime).toISOString() }, now());
    } catch (err) {
      // Gone on Graph's side (expired, removed): forget it; the member's next sync subscribes again.
      if (isGraphRequestError(err) && err.status === 404) await updateSubscription(deps.db, id, { status: "removed" }, now());
      else throw err;
    }
  }

  /**
   * Records protected blocks that a busy, non-coaching event overlaps ([start, end) both) and
   * nudges the member once per block. Only events created or changed after the block was put on
   * the calendar count: a meeting that was already there is not something that "landed on"
   * protected time (and nudging for it at the first sync would be noise).
   */
  async function detectOverrides(graph: GraphClient, root: string, tenantId: string, userId: string): Promise<number> {
    const at = now();
    const blocks = await upcomingBlocks(deps.db, tenantId, userId, at);
    if (blocks.length === 0) return 0;
    const from = blocks.reduce((m, b) => (b.start_at < m ? b.start_at : m), blocks[0]!.start_at);
    const to = blocks.reduce((m, b) => (b.end_at > m ? b.end_at : m), blocks[0]!.end_at);
    const query = new URLSearchParams({ startDateTime: from, endDateTime: to, $select: "id,subject,start,end,showAs,isCancelled,categories,createdDateTime,lastModifiedDateTime", $top: "200" });
    const events = await graph.getAllPages(`${root}/calendarView?${query.toString()}`, ViewEventSchema);
    const placedAt = new Map(events.map((e) => [e.id, Date.parse(e.createdDateTime ?? "")]));
    const ours = new Set(blocks.map((b) => b.event_id));
    const busy = events
      .filter((e) => !e.isCancelled && TAKEN.has((e.showAs ?? "busy").toLowerCase()) && !ours.has(e.id) && !(e.categories ?? []).includes(PROTECTED_CATEGORY))
      .map((e) => ({ id: e.id, subject: e.subject ?? "", start: toEpochMs(e.start), end: toEpochMs(e.end), changed: Date.parse(e.lastModifiedDateTime ?? e.createdDateTime ?? "") }));
    let recorded = 0;
    for (const block of blocks) {
      const start = Date.parse(block.start_at);
      const end = Date.parse(block.end_at);
      const placed = placedAt.get(block.event_id);
      if (placed === undefined || Number.isNaN(placed)) continue;
      const hit = busy.find((e) => e.start < end && e.end > start && e.changed > placed);
      if (!hit || !(await recordOverride(deps.db, { block, eventId: hit.id, now: at }))) continue;
      recorded += 1;
      try {
        const kind = block.kind === "prep" ? "prep" : "reflection";
        const circleName = (await findCircleName(deps.db, block.circle_id)) ?? "your circle";
        // Template of the manifest's protectedTimeConflict activity type: "{eventSubject} overlaps your protected {blockKind} time for {circleName}".
        const sent = await deps.nudges.send({
          tenantId,
          userId,
          kind: "protectedTimeConflict",
          previewText: `A meeting now overlaps your coaching ${kind} time for ${circleName}.`,
          templateParameters: { eventSubject: hit.subject || "A meeting", blockKind: kind, circleName },
          circleId: block.circle_id,
        });
        if (sent) await markNudged(deps.db, block, now());
      } catch (err) {
        // The override stays recorded; a nudge that could not be sent is not retried (it would arrive late).
        deps.logger?.warn({ err, userId }, "could not send the protected-time nudge");
      }
    }
    return recorded;
  }

  const declines = createDeclineTracker({ db: deps.db, nudges: deps.nudges, clock: deps.clock, graph: deps.graph, findCaller: deps.findCaller, ...(deps.logger ? { logger: deps.logger } : {}) });

  return {
    /**
     * Makes sure Graph notifies us about changes to the caller's events (`/me/events`,
     * created/updated/deleted) with a fresh per-subscription clientState; renews one close to
     * expiry. Graph validates the webhook (handshake) before it answers.
     * @throws GraphRequestError when Graph refuses (e.g. validation failed).
     */
    async ensureSubscription(caller: CallerIdentity): Promise<void> {
      const graph = deps.graph.forUser(caller);
      const existing = await findActiveSubscription(deps.db, caller.tenantId, caller.userId);
      if (existing && Date.parse(existing.expires_at) > deps.clock().getTime() + RENEW_AHEAD_MS) return;
      if (existing) {
        await renew(graph, existing.id);
        if ((await findSubscription(deps.db, existing.id))?.status === "active") return;
      }
      const clientState = randomBytes(32).toString("base64url");
      const url = `${deps.appUrl}${WEBHOOK_PATH}`;
      const sub = await graph.post(
        "/subscriptions",
        { changeType: "created,updated,deleted", notificationUrl: url, lifecycleNotificationUrl: url, resource: "/me/events", expirationDateTime: expiry(), clientState },
        GraphSubscriptionSchema,
      );
      await insertSubscription(deps.db, { id: sub.id, tenantId: caller.tenantId, userId: caller.userId, resource: "/me/events", clientStateHash: hashState(clientState).toString("hex"), expiresAt: new Date(sub.expirationDateTime).toISOString(), now: now() });
    },

    /**
     * Handles a notification batch from the webhook: items whose subscription we do not know or
     * whose clientState does not match are ignored (counted); the others queue work. Cheap, so the
     * webhook answers within Graph's 3 s.
     */
    async accept(items: readonly unknown[]): Promise<{ accepted: number; ignored: number }> {
      let accepted = 0;
      for (const raw of items) {
        const parsed = NotificationItemSchema.safeParse(raw);
        const sub = parsed.success ? await findSubscription(deps.db, parsed.data.subscriptionId) : undefined;
        if (!parsed.success || !sub || !clientStateMatches(parsed.data.clientState, sub.client_state_hash)) {
          deps.logger?.warn({ subscriptionId: parsed.success ? parsed.data.subscriptionId : undefined }, "ignored a Graph notification: unknown subscription or clientState mismatch");
          continue;
        }
        accepted += 1;
        const item = parsed.data;
        const member: CalendarChangedPayload = { tenantId: sub.tenant_id, userId: sub.user_id };
        if (item.lifecycleEvent === "reauthorizationRequired") await enqueue(SUBSCRIPTION_RENEWAL_JOB_TYPE, SUBSCRIPTION_RENEWAL_STEPS, { subscriptionId: sub.id });
        else if (item.lifecycleEvent === "subscriptionRemoved") await updateSubscription(deps.db, sub.id, { status: "removed" }, now());
        // "missed": some changes were never delivered, so resync as for a change.
        else await enqueue(CALENDAR_CHANGED_JOB_TYPE, CALENDAR_CHANGED_STEPS, member);
      }
      return { accepted, ignored: items.length - accepted };
    },

    /**
     * The calendar-changed job: records sessions the member declined (or accepted again), resyncs
     * their blocks (a moved or skipped session moves or removes them, a declined one releases
     * them, one accepted again gets them back), releases a declined series' blocks, nudges the
     * member about new declines, then records blocks a busy meeting landed on and nudges for those.
     * Idempotent: a repeated notification finds nothing new. Delegated mode needs the member's
     * sign-in; without it there is nothing we may read.
     */
    async calendarChanged(payload: CalendarChangedPayload): Promise<{ overridden: number; declined: number; withdrawn: number; released: number } | undefined> {
      const caller = deps.findCaller(payload.tenantId, payload.userId);
      if (!caller) return undefined;
      const graph = deps.graph.forUser(caller);
      const scanned = await declines.scan(graph, payload.tenantId, payload.userId);
      await deps.protectedTime.syncMine(caller);
      const released = await declines.release(graph, payload.tenantId, payload.userId, scanned);
      await declines.nudge(payload.tenantId, payload.userId, scanned);
      const overridden = await detectOverrides(graph, "/me", payload.tenantId, payload.userId);
      return { overridden, declined: scanned.fresh.reduce((n, f) => n + f.keys.length, 0), withdrawn: scanned.withdrawn, released };
    },

    /** The renewal job: one subscription, or a sweep of those expiring within a day (then the next sweep is queued). */
    async renewSubscriptions(subscriptionId?: string): Promise<void> {
      const rows = subscriptionId
        ? [await findSubscription(deps.db, subscriptionId)].filter((r) => r?.status === "active")
        : await subscriptionsExpiringBefore(deps.db, new Date(deps.clock().getTime() + RENEW_AHEAD_MS).toISOString());
      let first: unknown;
      for (const row of rows) {
        if (!row) continue;
        const caller = deps.findCaller(row.tenant_id, row.user_id);
        if (!caller) continue; // No sign-in to renew with; the member's next sync subscribes again.
        try {
          await renew(deps.graph.forUser(caller), row.id);
        } catch (err) {
          first ??= err;
        }
      }
      if (!subscriptionId) await scheduleRenewalSweep(SWEEP_EVERY_MS);
      if (first !== undefined) throw first;
    },

    scheduleRenewalSweep,
  };
}

export type NotificationsService = ReturnType<typeof createNotificationsService>;
