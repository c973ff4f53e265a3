import type { GraphFactory } from "../graph";
import type { ApiRoutes } from "../http";
import type { JobHandler } from "../jobs";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { registerNudgeRoutes } from "./routes";
import type { NudgeScanPayload } from "./schemas";
import { createNudgeScanHandler } from "./scan-job";
import { createNudgeScheduler, type NudgeScheduler } from "./scheduler";
import { createNudgeService, type NudgeService } from "./service";

export { createNudgeService, type Nudge, type NudgeService, type NudgeServiceDeps } from "./service";
export { NudgeKindSchema, type NudgeKind } from "./schemas";
export { nudgeWebUrl, circleSubPageId, PERSONAL_TAB_ENTITY_ID, type NudgeLinkConfig } from "./deep-link";
export { NUDGE_SCAN_JOB_TYPE, type NudgeScheduler, type ScanResult } from "./scheduler";

export interface NudgesModule {
  service: NudgeService;
  scheduler: NudgeScheduler;
  /** The recurring scan (add it to the job runner). */
  handler: JobHandler<NudgeScanPayload>;
  registerRoutes(api: ApiRoutes): void;
  /** Set by whoever runs the jobs (server.ts: `runner.wake`). */
  onEnqueued?: () => void;
}

/**
 * Scheduled nudges (issue #5 part 3): prep reminder, reflection prompt and "momentum fading"
 * through the Teams activity feed, each switchable per person. Call `scheduler.scheduleScan()`
 * once at start-up; every scan queues the next one.
 */
export function createNudgesModule(deps: { db: Db; graph: GraphFactory; appUrl: string; teamsAppId: string | undefined; clock?: () => Date; logger?: Logger }): NudgesModule {
  const clock = deps.clock ?? (() => new Date());
  const service = createNudgeService({ db: deps.db, graph: deps.graph, clock, appUrl: deps.appUrl, teamsAppId: deps.teamsAppId });
  const scheduler = createNudgeScheduler({ db: deps.db, graph: deps.graph, clock, nudges: service, onEnqueued: () => module.onEnqueued?.(), ...(deps.logger ? { logger: deps.logger } : {}) });
  const module: NudgesModule = {
    service,
    scheduler,
    handler: createNudgeScanHandler(scheduler),
    registerRoutes: (api) => registerNudgeRoutes(api, service),
  };
  return module;
}
