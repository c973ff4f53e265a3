import { randomUUID } from "node:crypto";
import type { CallerIdentity } from "../auth/identity";
import { insertJob, type JobHandler } from "../jobs";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { loadCircleRecord, recordSeries, usersWithBlocks } from "./repository";
import { SyncJobPayloadSchema, type SyncJobPayload } from "./schemas";
import type { MailboxAccess, ProtectedTimeService } from "./service";

export const PROTECTED_TIME_SYNC_JOB_TYPE = "protected-time-sync";
export const PROTECTED_TIME_SYNC_STEPS = [{ name: "blocks", label: "Protect prep and reflection time on members' calendars" }] as const;

export interface SyncJobDeps {
  db: Db;
  service: ProtectedTimeService;
  appMode: boolean;
  /** Delegated mode: the member's latest sign-in, if they opened the app since the process started. */
  findCaller: (tenantId: string, userId: string) => CallerIdentity | undefined;
  forUser: (caller: CallerIdentity) => MailboxAccess;
}

/**
 * Re-syncs every member's blocks for one circle after the series was booked or changed.
 * Application mode: every member, app-only (`/users/{id}/events`). Delegated mode: the members
 * whose sign-in we hold (the organiser who just changed the series, members who opened the app);
 * the others catch up when they next open the app. Idempotent (plan + diff), so a rerun after a
 * crash or a failure repeats nothing: creates carry a transactionId.
 */
export function createProtectedTimeSyncHandler(deps: SyncJobDeps): JobHandler<SyncJobPayload> {
  return {
    type: PROTECTED_TIME_SYNC_JOB_TYPE,
    payloadSchema: SyncJobPayloadSchema,
    steps: PROTECTED_TIME_SYNC_STEPS,
    async run(ctx) {
      const { tenantId, circleId } = ctx.payload;
      await ctx.begin("blocks");
      // Remember the series now (booking just finished): after a split, its sessions keep their blocks.
      const series = await deps.db.selectFrom("circle_series").select("ical_uid").where("circle_id", "=", circleId).executeTakeFirst();
      if (series?.ical_uid) await recordSeries(deps.db, circleId, series.ical_uid, ctx.now().toISOString());
      const record = await loadCircleRecord(deps.db, tenantId, circleId);
      const members = new Set([...(record?.members.map((m) => m.user_id) ?? []), ...(await usersWithBlocks(deps.db, circleId))]);
      let first: unknown;
      for (const userId of [...members].sort()) {
        let access: MailboxAccess | undefined;
        if (deps.appMode) access = deps.service.appAccess(tenantId, userId);
        else {
          const caller = deps.findCaller(tenantId, userId);
          if (caller) access = deps.forUser(caller);
        }
        if (!access) continue;
        try {
          await deps.service.syncMailbox(access, tenantId, userId, [circleId], { throwFirst: true });
        } catch (err) {
          first ??= err;
        }
      }
      // Transient Graph failures are retried by the runner with backoff; the rerun skips what is done.
      if (first !== undefined) throw first;
      await ctx.done("blocks");
    },
  };
}

/** Queues a sync for the circle unless one is already waiting to run. Never throws (logged). */
export async function enqueueProtectedTimeSync(deps: { db: Db; clock: () => Date; logger?: Logger; onEnqueued?: () => void }, payload: SyncJobPayload): Promise<void> {
  try {
    const text = JSON.stringify({ tenantId: payload.tenantId, circleId: payload.circleId });
    const waiting = await deps.db.selectFrom("jobs").select("id").where("type", "=", PROTECTED_TIME_SYNC_JOB_TYPE).where("status", "=", "queued").where("payload", "=", text).where("attempts", "=", 0).executeTakeFirst();
    if (!waiting) await insertJob(deps.db, { id: randomUUID(), type: PROTECTED_TIME_SYNC_JOB_TYPE, payload: { tenantId: payload.tenantId, circleId: payload.circleId }, steps: PROTECTED_TIME_SYNC_STEPS, now: deps.clock() });
    deps.onEnqueued?.();
  } catch (err) {
    deps.logger?.warn({ err, circleId: payload.circleId }, "could not queue a protected-time sync");
  }
}
