import type { CallerIdentity } from "../auth/identity";
import type { CircleRecord } from "../circles/access";
import type { SeriesPort } from "../circles/ports";
import { isGraphRequestError, type GraphFactory, type UserGraph } from "../graph";
import { deleteBlockRequest, listBlocks, mailboxRoot, readBlockDeleted } from "../protected-time/calendar";
import { isAppError } from "../shared/errors";
import { graphErrorToAppError } from "../shared/graph-error-mapping";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { eraseFromStore, type StoreErasure } from "./erase-store";
import { exportMyData } from "./export";
import type { DeleteMyDataResult, MyDataExport } from "./schemas";

export interface PrivacyDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  /** The circles module's series port (booking): a circle's series follows when someone leaves. */
  series?: SeriesPort;
  /**
   * Session runs of the circle were rewritten in the store: a live-session service that keeps runs
   * in memory should read them afresh (the bumped version already keeps its writes safe).
   */
  onRunsChanged?: (circleId: string) => void;
  logger?: Logger;
}

function describe(err: unknown): string {
  if (isGraphRequestError(err)) return graphErrorToAppError(err).message;
  if (isAppError(err)) return err.message;
  return "Microsoft 365 did not answer as expected.";
}

/**
 * Removes the protected prep/reflection blocks we put on the caller's calendar (found by our open
 * extension, as protected time itself finds them). Blocks are ours; nothing else is touched.
 */
async function removeProtectedBlocks(graph: UserGraph, userId: string): Promise<{ removed: number; problems: string[] }> {
  const root = mailboxRoot("me");
  const blocks = (await listBlocks(graph, root)).filter((b) => b.memberId === userId);
  if (blocks.length === 0) return { removed: 0, problems: [] };
  const results = await graph.batch(blocks.map((b, i) => deleteBlockRequest(`d${i}`, root, b.eventId)));
  let removed = 0;
  let failed = 0;
  blocks.forEach((_b, i) => {
    try {
      readBlockDeleted(results.find((r) => r.id === `d${i}`)!);
      removed += 1;
    } catch {
      failed += 1;
    }
  });
  const problems = failed > 0 ? [`${failed} protected time block${failed === 1 ? "" : "s"} could not be removed from your calendar. Delete your data again to retry, or delete the "Coaching (protected)" events in Outlook.`] : [];
  return { removed, problems };
}

/** Ends Graph's change notifications on the caller's calendar (a 404 means it is gone already). */
async function deleteSubscriptions(graph: UserGraph, ids: readonly string[]): Promise<{ deleted: number; problems: string[] }> {
  let deleted = 0;
  let failed = 0;
  for (const id of ids) {
    try {
      await graph.delete(`/subscriptions/${encodeURIComponent(id)}`);
      deleted += 1;
    } catch (err) {
      if (isGraphRequestError(err) && err.status === 404) deleted += 1;
      else failed += 1;
    }
  }
  // The row is gone, so a notification that still arrives is ignored, and Graph ends it at expiry (≤ 3 days).
  const problems = failed > 0 ? ["Microsoft 365 did not confirm that it stopped watching your calendar for changes; it stops on its own within 3 days, and anything it sends is ignored."] : [];
  return { deleted, problems };
}

export function createPrivacyService(deps: PrivacyDeps) {
  /** The circle's series follows the membership (the organiser's series drops them as attendee). */
  async function followSeries(caller: CallerIdentity, circleIds: readonly string[]): Promise<{ updated: number; problems: string[] }> {
    if (!deps.series || circleIds.length === 0) return { updated: 0, problems: [] };
    const booked = await deps.db.selectFrom("circle_series").select("circle_id").where("circle_id", "in", [...circleIds]).where("status", "=", "booked").where("event_id", "is not", null).execute();
    let updated = 0;
    const problems: string[] = [];
    for (const circleId of circleIds) {
      const circle = await deps.db.selectFrom("circles").selectAll().where("id", "=", circleId).where("tenant_id", "=", caller.tenantId).executeTakeFirst();
      if (!circle) continue;
      const members = await deps.db.selectFrom("circle_members").selectAll().where("circle_id", "=", circleId).where("left_at", "is", null).orderBy("joined_at").orderBy("upn").execute();
      const record: CircleRecord = { circle, members };
      try {
        // Also tells the live session to forget its cached membership (withMembershipListener).
        await deps.series.membersChanged(record, caller);
        if (booked.some((b) => b.circle_id === circleId)) updated += 1;
      } catch (err) {
        deps.logger?.warn({ err, circleId }, "data deletion: the series' attendees could not be updated");
        problems.push(`The meeting series of "${circle.name}" still lists you; its organiser's next change removes you, or decline it in Outlook. (${describe(err)})`);
      }
    }
    return { updated, problems };
  }

  return {
    export: (caller: CallerIdentity): Promise<MyDataExport> => exportMyData(deps.db, caller, deps.clock()),

    /**
     * Deletes the caller's data: the store part in one transaction, then the Microsoft 365 part
     * best effort (each problem reported, and a repeated request retries it).
     */
    async delete(caller: CallerIdentity): Promise<DeleteMyDataResult> {
      const at = deps.clock().toISOString();
      const store: StoreErasure = await deps.db.transaction().execute((trx) => eraseFromStore(trx, caller, at));

      for (const circleId of store.circlesWithRunsChanged) deps.onRunsChanged?.(circleId);

      const graph = deps.graph.forUser(caller);
      const problems: string[] = [];
      let blocksRemoved = 0;
      try {
        const blocks = await removeProtectedBlocks(graph, caller.userId);
        blocksRemoved = blocks.removed;
        problems.push(...blocks.problems);
      } catch (err) {
        deps.logger?.warn({ err }, "data deletion: protected blocks could not be listed");
        problems.push(`We couldn't reach your calendar to remove the "Coaching (protected)" blocks. Delete your data again later, or delete those events in Outlook. (${describe(err)})`);
      }
      const subs = await deleteSubscriptions(graph, store.subscriptionIds);
      problems.push(...subs.problems);
      const series = await followSeries(caller, store.circlesLeft);
      problems.push(...series.problems);

      const kept: string[] = [];
      if (store.anonymised.commitments + store.anonymised.pulses + store.anonymised.sessions > 0) {
        kept.push("Outcomes of your reviewed commitments, your usefulness ratings and the sessions you took part in stay in your circles' totals as \"a former member\": no name, no words.");
      }
      for (const s of store.seriesTheyOrganise) {
        kept.push(`The Outlook series of "${s.name}" is in your calendar: Microsoft 365 cannot give a meeting to another organiser, so it stays and the others keep meeting. Cancel it in Outlook if the circle should stop.`);
      }
      if (store.programsOwned === 1) kept.push("The program you own belongs to your organisation and stays; ask your admin to hand it over.");
      if (store.programsOwned > 1) kept.push(`The ${store.programsOwned} programs you own belong to your organisation and stay; ask your admin to hand them over.`);
      kept.push("Commitment cards you posted to meeting chats and tasks in Microsoft To Do are in Microsoft 365: delete them there if you wish.");

      const total = [...Object.values(store.removed), ...Object.values(store.anonymised)].reduce((a, b) => a + b, 0) + blocksRemoved + subs.deleted + series.updated;
      return {
        status: total === 0 ? "nothingToDelete" : "deleted",
        deletedAt: at,
        removed: store.removed,
        anonymised: store.anonymised,
        microsoft365: { protectedBlocksRemoved: blocksRemoved, subscriptionsDeleted: subs.deleted, seriesAttendeesUpdated: series.updated, problems },
        kept,
      };
    },
  };
}

export type PrivacyService = ReturnType<typeof createPrivacyService>;
