import type { CallerIdentity } from "../auth/identity";
import { expectedStarts } from "../booking/series-view";
import type { GraphClient, GraphFactory } from "../graph";
import { findUser } from "../me/repository";
import type { NudgeService } from "../nudges";
import { deleteBlockRequest, findSeriesCopy, listBlocks, listSeriesInstances, readBlockDeleted } from "../protected-time/calendar";
import { knownSeriesICalUIds, replaceBlockRows, type BlockRecord } from "../protected-time/repository";
import { isValidTimeZone } from "../scheduling";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { declinedSlots, slotKey } from "./decline-rules";
import { declineNudgeText } from "./decline-texts";
import { readOrganiserView } from "./declines-organiser";
import {
  addReleasedBlocks,
  attendedSeriesOf,
  hadSeriesCopy,
  markDeclineNudged,
  recordDecline,
  rememberSeriesCopy,
  SERIES_KEY,
  standingDeclines,
  withdrawDeclines,
  type DeclineKey,
} from "./declines-repository";

const DAY_MS = 86_400_000;
const ROOT = "/me";

/** Declines this change brought, per circle (each circle's are nudged together). */
export interface FreshDeclines {
  circleId: string;
  circleName: string;
  zone: string;
  scope: "occurrence" | "series";
  keys: DeclineKey[];
  sessionStarts: string[];
}

export interface DeclineScan {
  fresh: FreshDeclines[];
  /** Upcoming block rows per fresh occurrence decline before the resync (to count what it released). */
  blocksBefore: Map<string, number>;
  /** Circles whose whole series the member has declined (their blocks are released after the resync). */
  seriesDeclined: string[];
  withdrawn: number;
}

const keyId = (k: DeclineKey) => `${k.circleId}|${k.userId}|${k.occurrenceKey}`;

async function upcomingBlockCount(db: Db, k: DeclineKey, now: string): Promise<number> {
  const rows = await db.selectFrom("protected_time_blocks").select("event_id").where("circle_id", "=", k.circleId).where("user_id", "=", k.userId).where("occurrence_key", "=", k.occurrenceKey).where("end_at", ">", now).execute();
  return rows.length;
}

/**
 * Declined sessions, read from the member's own calendar after a change: records them, withdraws
 * those the member accepted again, releases the protected blocks of a declined series and nudges
 * the member once per new decline. Delegated: every read and write is the member's own mailbox.
 */
export function createDeclineTracker(deps: {
  db: Db;
  nudges: NudgeService;
  clock: () => Date;
  /** To read the organiser's copy (app-only, else their sign-in): a session they cancelled is never a decline. */
  graph: GraphFactory;
  findCaller: (tenantId: string, userId: string) => CallerIdentity | undefined;
  logger?: Logger;
}) {
  const now = () => deps.clock().toISOString();
  const organiserView = (tenantId: string, circle: { organizer_id: string; time_zone: string }, iCalUId: string, from: number, to: number) =>
    readOrganiserView(deps, { tenantId, organizerId: circle.organizer_id, iCalUId, timeZone: circle.time_zone, from, to });

  /** Whether the organiser still has the series (one they cancelled in Outlook, removed from members' calendars, is no decline). */
  async function organiserKeepsSeries(tenantId: string, circle: { organizer_id: string; time_zone: string }, iCalUId: string, nowMs: number): Promise<boolean> {
    const view = await organiserView(tenantId, circle, iCalUId, nowMs, nowMs + DAY_MS);
    return view !== undefined && !view.seriesGone;
  }

  /** Reads each attended series' copy and records what changed. Call before the resync (it counts the blocks a decline will release). */
  async function scan(graph: GraphClient, tenantId: string, userId: string): Promise<DeclineScan> {
    const at = now();
    const nowMs = Date.parse(at);
    const out: DeclineScan = { fresh: [], blocksBefore: new Map(), seriesDeclined: [], withdrawn: 0 };
    for (const circle of await attendedSeriesOf(deps.db, tenantId, userId)) {
      if (!circle.ical_uid) continue;
      const uids = [...new Set([circle.ical_uid, ...(await knownSeriesICalUIds(deps.db, circle.circle_id))])];
      const base = { circleId: circle.circle_id, circleName: circle.name, zone: circle.time_zone };
      const freshOccurrences: { key: DeclineKey; start: string }[] = [];
      const present: string[] = [];
      let currentCopy = false;
      for (const uid of uids) {
        const copy = await findSeriesCopy(graph, ROOT, uid, circle.time_zone);
        if (!copy) continue;
        if (uid === circle.ical_uid) currentCopy = true;
        await rememberSeriesCopy(deps.db, { circleId: circle.circle_id, userId, tenantId, iCalUId: uid, now: at });
        if (copy.type !== "seriesMaster") continue;
        const durationMs = copy.end - copy.start;
        const slots = expectedStarts(copy, circle.time_zone, durationMs);
        const future = slots.filter((s) => s + durationMs > nowMs);
        if (future.length === 0) continue;
        // Moved sessions stay near their slot (as the protected-time sync reads them).
        const from = Math.min(...future) - 35 * DAY_MS;
        const to = Math.max(...future) + durationMs + 35 * DAY_MS;
        const instances = await listSeriesInstances(graph, ROOT, copy.id, from, to, circle.time_zone);
        const startOf = new Map(instances.map((i) => [slotKey(i.originalStart ?? i.start), i.start]));
        present.push(...startOf.keys());
        const absent = declinedSlots({ slots: future, durationMs, present: new Set(startOf.keys()), nowMs });
        if (absent.length === 0) continue;
        // A session the organiser cancelled and the member then deleted is absent too: only the
        // organiser's copy tells them apart. If it cannot be read, nothing is recorded now (a
        // wrong "you declined" nudge is worse than a late one); the next change reads again.
        const view = await organiserView(tenantId, circle, uid, from, to);
        if (!view || view.seriesGone) continue;
        for (const key of absent.filter((k) => !view.cancelled.has(k))) {
          const k: DeclineKey = { circleId: circle.circle_id, userId, occurrenceKey: key };
          const before = await upcomingBlockCount(deps.db, k, at);
          if (await recordDecline(deps.db, { ...k, tenantId, scope: "occurrence", sessionStart: key, releasedBlocks: 0, now: at })) {
            freshOccurrences.push({ key: k, start: key });
            out.blocksBefore.set(keyId(k), before);
          }
        }
      }
      // Accepted again: the session is back on their calendar.
      const backOn = new Set(present);
      const standing = await standingDeclines(deps.db, circle.circle_id, userId);
      const withdraw = standing.filter((d) => (d.occurrence_key === SERIES_KEY ? currentCopy : backOn.has(d.occurrence_key))).map((d) => d.occurrence_key);
      out.withdrawn += await withdrawDeclines(deps.db, circle.circle_id, userId, withdraw, at);

      if (freshOccurrences.length > 0) out.fresh.push({ ...base, scope: "occurrence", keys: freshOccurrences.map((f) => f.key), sessionStarts: freshOccurrences.map((f) => f.start) });
      // The copy was on their calendar and is gone: they declined (or deleted) the series.
      if (!currentCopy && (await hadSeriesCopy(deps.db, circle.circle_id, userId, circle.ical_uid)) && (await organiserKeepsSeries(tenantId, circle, circle.ical_uid, nowMs))) {
        out.seriesDeclined.push(circle.circle_id);
        const k: DeclineKey = { circleId: circle.circle_id, userId, occurrenceKey: SERIES_KEY };
        if (await recordDecline(deps.db, { ...k, tenantId, scope: "series", sessionStart: at, releasedBlocks: 0, now: at })) out.fresh.push({ ...base, scope: "series", keys: [k], sessionStarts: [] });
      }
    }
    return out;
  }

  /**
   * After the resync: a declined occurrence's blocks were removed by the resync (its session is
   * gone from the member's calendar); a declined series leaves nothing for the resync to follow,
   * so its upcoming blocks are deleted here. Counts what went on each fresh decline.
   */
  async function release(graph: GraphClient, tenantId: string, userId: string, scanned: DeclineScan): Promise<number> {
    const at = now();
    let released = 0;
    for (const f of scanned.fresh) {
      if (f.scope !== "occurrence") continue;
      for (const k of f.keys) {
        const gone = (scanned.blocksBefore.get(keyId(k)) ?? 0) - (await upcomingBlockCount(deps.db, k, at));
        if (gone > 0) {
          released += gone;
          await addReleasedBlocks(deps.db, k, gone);
        }
      }
    }
    if (scanned.seriesDeclined.length === 0) return released;
    const blocks = await listBlocks(graph, ROOT);
    for (const circleId of scanned.seriesDeclined) {
      const mine = blocks.filter((b) => b.circleId === circleId && b.memberId === userId);
      const upcoming = mine.filter((b) => Date.parse(b.end) > Date.parse(at));
      if (upcoming.length === 0) continue;
      const results = await graph.batch(upcoming.map((b, i) => deleteBlockRequest(`d${i}`, ROOT, b.eventId)));
      const deleted = new Set<string>();
      upcoming.forEach((b, i) => {
        try {
          readBlockDeleted(results.find((r) => r.id === `d${i}`)!);
          deleted.add(b.eventId);
        } catch (err) {
          // Left for the next change to release.
          deps.logger?.warn({ err, circleId }, "could not release a protected block of a declined series");
        }
      });
      const kept: BlockRecord[] = mine.filter((b) => !deleted.has(b.eventId)).map((b) => ({ occurrenceKey: b.occurrenceId, kind: b.kind, eventId: b.eventId, seriesICalUId: b.seriesICalUId, start: b.start, end: b.end }));
      await replaceBlockRows(deps.db, { circleId, userId, tenantId }, kept, at);
      released += deleted.size;
      await addReleasedBlocks(deps.db, { circleId, userId, occurrenceKey: SERIES_KEY }, deleted.size);
    }
    return released;
  }

  /** One gentle nudge per circle's new declines, unless the member switched declined-session nudges off. */
  async function nudge(tenantId: string, userId: string, scanned: DeclineScan): Promise<number> {
    let sent = 0;
    const stored = (await findUser(deps.db, tenantId, userId))?.time_zone;
    const zone = stored && isValidTimeZone(stored) ? stored : undefined;
    for (const f of scanned.fresh) {
      try {
        const text = declineNudgeText({ circleName: f.circleName, scope: f.scope, sessionStarts: f.sessionStarts, now: now(), zone: zone ?? f.zone });
        const ok = await deps.nudges.send({ tenantId, userId, kind: "sessionDeclined", ...text, circleId: f.circleId });
        if (ok) {
          await markDeclineNudged(deps.db, f.keys, now());
          sent += 1;
        }
      } catch (err) {
        // The decline stays recorded; a nudge that could not be sent is not retried (it would arrive late).
        deps.logger?.warn({ err, userId }, "could not send the declined-session nudge");
      }
    }
    return sent;
  }

  return { scan, release, nudge };
}

export type DeclineTracker = ReturnType<typeof createDeclineTracker>;
