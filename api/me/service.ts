import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import type { Db } from "../storage";
import { findUser, upsertUser } from "./repository";
import type { Me } from "./schemas";

export { findUser };

/**
 * The caller's profile and mailbox time zone from Graph; remembers the user locally (so
 * circles can show names and zones of people who are not online).
 * @throws GraphRequestError when Graph fails; AppError consent_required when consent is missing.
 */
export async function getMe(deps: { db: Db; graph: GraphFactory; clock: () => Date }, caller: CallerIdentity): Promise<Me> {
  const graph = deps.graph.forUser(caller);
  const [profile, mailbox] = await Promise.all([graph.getMe(), graph.getMailboxSettings()]);
  await upsertUser(deps.db, { tenantId: caller.tenantId, id: caller.userId, upn: profile.userPrincipalName, displayName: profile.displayName, timeZone: mailbox.timeZone }, deps.clock());
  return {
    id: profile.id,
    displayName: profile.displayName,
    userPrincipalName: profile.userPrincipalName,
    mail: profile.mail,
    jobTitle: profile.jobTitle,
    department: profile.department,
    timeZone: mailbox.timeZone,
  };
}
