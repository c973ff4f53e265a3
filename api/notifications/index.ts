import type { CallerIdentity } from "../auth/identity";
import type { GraphFactory } from "../graph";
import type { ApiRoutes } from "../http";
import type { AnyJobHandler } from "../jobs";
import { createNudgeService, type NudgeService } from "../nudges";
import type { ProtectedTimeService } from "../protected-time";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { createCalendarChangedHandler, createSubscriptionRenewalHandler } from "./jobs";
import { registerNotificationRoutes } from "./routes";
import { createNotificationsService, type NotificationsService } from "./service";

export { CALENDAR_CHANGED_JOB_TYPE, SUBSCRIPTION_RENEWAL_JOB_TYPE, WEBHOOK_PATH, clientStateMatches } from "./service";
export { loadDeclineView, type DeclineView } from "./decline-view";
export { isDeclinedByMost } from "./decline-rules";

export interface NotificationsModule {
  service: NotificationsService;
  nudges: NudgeService;
  handlers: AnyJobHandler[];
  registerRoutes(api: ApiRoutes): void;
  /** Set by whoever runs the jobs (server.ts: `runner.wake`). */
  onEnqueued?: () => void;
}

/** Keeping protected time true (issue #5 part 2): subscriptions, webhook, resync, overrides, nudges. */
export function createNotificationsModule(deps: {
  db: Db;
  graph: GraphFactory;
  protectedTime: ProtectedTimeService;
  findCaller: (tenantId: string, userId: string) => CallerIdentity | undefined;
  appUrl: string;
  /** Config `teamsAppId`: nudges link into the personal tab. */
  teamsAppId: string | undefined;
  clock?: () => Date;
  logger?: Logger;
}): NotificationsModule {
  const clock = deps.clock ?? (() => new Date());
  const nudges = createNudgeService({ db: deps.db, graph: deps.graph, clock, appUrl: deps.appUrl, teamsAppId: deps.teamsAppId });
  const service = createNotificationsService({
    db: deps.db,
    graph: deps.graph,
    clock,
    protectedTime: deps.protectedTime,
    nudges,
    appUrl: deps.appUrl,
    findCaller: deps.findCaller,
    onEnqueued: () => module.onEnqueued?.(),
    ...(deps.logger ? { logger: deps.logger } : {}),
  });
  const module: NotificationsModule = {
    service,
    nudges,
    handlers: [createCalendarChangedHandler(service), createSubscriptionRenewalHandler(service)],
    registerRoutes: (api) => registerNotificationRoutes(api, service),
  };
  return module;
}
