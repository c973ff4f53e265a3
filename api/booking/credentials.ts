import type { CallerIdentity } from "../auth/identity";

/**
 * The latest bearer token each organiser presented, in memory only: a booking job acts on
 * behalf of its organiser (delegated Graph via on-behalf-of), but tokens do not belong in the
 * database. Every booking call, job poll and circle read refreshes it; a job that finds none
 * (the process restarted) waits and retries until the organiser's app polls again.
 */
export class CallerCredentials {
  private readonly byUser = new Map<string, CallerIdentity>();

  remember(caller: CallerIdentity): void {
    this.byUser.set(key(caller.tenantId, caller.userId), caller);
  }

  find(tenantId: string, userId: string): CallerIdentity | undefined {
    return this.byUser.get(key(tenantId, userId));
  }
}

function key(tenantId: string, userId: string): string {
  return `${tenantId.toLowerCase()}/${userId.toLowerCase()}`;
}
