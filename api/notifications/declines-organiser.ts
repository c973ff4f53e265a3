import type { CallerIdentity } from "../auth/identity";
import { expectedStarts } from "../booking/series-view";
import type { GraphClient, GraphFactory } from "../graph";
import { findSeriesCopy, listSeriesInstances, mailboxRoot, type MailboxRoot } from "../protected-time/calendar";
import type { Logger } from "../shared/logger";
import { slotKey } from "./decline-rules";

/**
 * The organiser's view of a series, to tell a decline from a cancellation. A session the
 * organiser cancelled stays on attendees' calendars marked cancelled — until the attendee deletes
 * it, and then it is as absent from their copy as a declined one. Only the organiser's copy says
 * which it was: there a cancelled occurrence is gone from the instances (or marked cancelled), and
 * a cancelled series is gone altogether.
 */
export interface OrganiserView {
  /** The organiser's copy of the series is gone: the whole series was cancelled. */
  seriesGone: boolean;
  /** Slots (original start, ISO UTC) the organiser cancelled. */
  cancelled: ReadonlySet<string>;
}

export interface OrganiserViewDeps {
  graph: GraphFactory;
  /** The organiser's sign-in, when we hold one (delegated access to their own calendar). */
  findCaller: (tenantId: string, userId: string) => CallerIdentity | undefined;
  logger?: Logger;
}

/**
 * Reads the organiser's copy of the series `iCalUId` around [from, to): app-only first (the
 * tenant may have granted calendar read), else with the organiser's own sign-in.
 * @returns undefined when neither way could read it: the caller cannot tell a decline from a cancellation.
 */
export async function readOrganiserView(deps: OrganiserViewDeps, input: { tenantId: string; organizerId: string; iCalUId: string; timeZone: string; from: number; to: number }): Promise<OrganiserView | undefined> {
  const organiser = deps.findCaller(input.tenantId, input.organizerId);
  const ways: Array<{ graph: GraphClient; root: MailboxRoot }> = [{ graph: deps.graph.forApp(input.tenantId), root: mailboxRoot(input.organizerId) }];
  if (organiser) ways.push({ graph: deps.graph.forUser(organiser), root: mailboxRoot("me") });
  for (const way of ways) {
    try {
      return await viewThrough(way.graph, way.root, input);
    } catch (err) {
      deps.logger?.warn({ err, organizerId: input.organizerId }, "could not read the organiser's copy of a series to check a decline");
    }
  }
  return undefined;
}

async function viewThrough(graph: GraphClient, root: MailboxRoot, input: { iCalUId: string; timeZone: string; from: number; to: number }): Promise<OrganiserView> {
  const master = await findSeriesCopy(graph, root, input.iCalUId, input.timeZone);
  if (!master || master.type !== "seriesMaster") return { seriesGone: master === undefined, cancelled: new Set() };
  const instances = await listSeriesInstances(graph, root, master.id, input.from, input.to, input.timeZone);
  const live = new Set<string>();
  const cancelled = new Set<string>();
  for (const i of instances) (i.isCancelled ? cancelled : live).add(slotKey(i.originalStart ?? i.start));
  // A slot of the pattern (in the range read) with no occurrence left in the organiser's calendar was cancelled there.
  for (const slot of expectedStarts(master, input.timeZone, master.end - master.start)) {
    if (slot >= input.from && slot < input.to && !live.has(slotKey(slot))) cancelled.add(slotKey(slot));
  }
  return { seriesGone: false, cancelled };
}
