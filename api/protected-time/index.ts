import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import type { ApiRoutes } from "../http";
import type { JobHandler } from "../jobs";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { mailboxRoot } from "./calendar";
import { registerProtectedTimeRoutes } from "./routes";
import type { SyncJobPayload } from "./schemas";
import { createProtectedTimeService, type ProtectedTimeService } from "./service";
import { createProtectedTimeSyncHandler, enqueueProtectedTimeSync } from "./sync-job";

export { PROTECTED_TIME_SYNC_JOB_TYPE } from "./sync-job";
export { BLOCK_EXTENSION_NAME } from "./calendar";
export { PROTECTED_CATEGORY } from "./plan-blocks";
export type { ProtectedTimeService } from "./service";

/** Where signed-in callers are remembered (booking's CallerCredentials fits). */
export interface CallerStore {
  remember(caller: CallerIdentity): void;
  find(tenantId: string, userId: string): CallerIdentity | undefined;
}

export interface ProtectedTimeModule {
  service: ProtectedTimeService;
  handler: JobHandler<SyncJobPayload>;
  appMode: boolean;
  registerRoutes(api: ApiRoutes): void;
  /** The series of a circle was booked or changed: queue a re-sync of the members' blocks. */
  seriesChanged(tenantId: string, circleId: string): Promise<void>;
  /** Set by whoever runs the jobs (server.ts: `runner.wake`). */
  onEnqueued?: () => void;
  /** Set by the notifications module (server.ts): runs after a member's own sync. */
  onMemberSynced?: (caller: CallerIdentity) => Promise<void>;
}

/** `PROTECTED_TIME_APP_MODE=true` (admin-enabled application permissions) turns application mode on. */
export function createProtectedTimeModule(deps: { db: Db; graph: GraphFactory; credentials: CallerStore; appMode?: boolean; clock?: () => Date; logger?: Logger }): ProtectedTimeModule {
  const clock = deps.clock ?? (() => new Date());
  const appMode = deps.appMode ?? false;
  const service = createProtectedTimeService({ db: deps.db, graph: deps.graph, clock, appMode, remember: (c) => deps.credentials.remember(c), afterSyncMine: async (c) => module.onMemberSynced?.(c), ...(deps.logger ? { logger: deps.logger } : {}) });
  const module: ProtectedTimeModule = {
    service,
    appMode,
    handler: createProtectedTimeSyncHandler({
      db: deps.db,
      service,
      appMode,
      findCaller: (t, u) => deps.credentials.find(t, u),
      forUser: (caller) => ({ graph: deps.graph.forUser(caller), root: mailboxRoot("me") }),
    }),
    registerRoutes: (api) => registerProtectedTimeRoutes(api, service),
    seriesChanged: (tenantId, circleId) => enqueueProtectedTimeSync({ db: deps.db, clock, ...(deps.logger ? { logger: deps.logger } : {}), onEnqueued: () => module.onEnqueued?.() }, { tenantId, circleId }),
  };
  return module;
}
