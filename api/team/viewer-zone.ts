import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import { findUser } from "../me/repository";
import { isValidTimeZone } from "../scheduling";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";

/**
 * The zone a viewer's weeks run in (Monday–Sunday there) for the team view and program health:
 * their mailbox zone, else their last known zone, else UTC — a chart must render even when Graph
 * cannot say.
 */
export async function viewerZone(deps: { db: Db; graph: GraphFactory; logger?: Logger }, caller: CallerIdentity, view: string): Promise<string> {
  try {
    const settings = await deps.graph.forUser(caller).getMailboxSettings();
    if (isValidTimeZone(settings.timeZone)) return settings.timeZone;
  } catch (err) {
    deps.logger?.warn({ err }, `${view}: mailbox settings unavailable; using the stored time zone`);
  }
  const stored = (await findUser(deps.db, caller.tenantId, caller.userId))?.time_zone;
  return stored && isValidTimeZone(stored) ? stored : "UTC";
}
