import type { AppConfig } from "../config";
import type { GraphFactory } from "../graph";
import type { ApiRoutes } from "../http";
import type { JobHandler } from "../jobs";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { createBookingJobHandler } from "./book-series-job";
import { CallerCredentials } from "./credentials";
import { registerBookingRoutes } from "./routes";
import type { BookingPayload } from "./schemas";
import { createBookingService, type BookingService } from "./service";

export { BOOKING_JOB_TYPE, BOOKING_STEPS, PROTECTED_CATEGORY, SERIES_EXTENSION_NAME } from "./book-series-job";
export { seriesTransactionId, type LinkedSeries } from "./service";
export { CallerCredentials } from "./credentials";

/** Booking wired once per process: the routes, the job handler the runner runs, and the SeriesPort for circles. */
export interface BookingModule {
  service: BookingService;
  handler: JobHandler<BookingPayload>;
  credentials: CallerCredentials;
  registerRoutes(api: ApiRoutes): void;
  /** Set by whoever runs the jobs (server.ts: `runner.wake`). */
  onEnqueued?: () => void;
  /** Set by server.ts: the series was booked, or a session / the series moved, was skipped or cancelled (protected time re-syncs). */
  onSeriesChanged?: (tenantId: string, circleId: string) => Promise<void>;
}

export function createBookingModule(deps: { config: AppConfig; db: Db; graph: GraphFactory; clock?: () => Date; logger?: Logger; credentials?: CallerCredentials }): BookingModule {
  const credentials = deps.credentials ?? new CallerCredentials();
  const module: BookingModule = {
    credentials,
    handler: createBookingJobHandler({ db: deps.db, graph: deps.graph, credentials, onBooked: async (t, c) => module.onSeriesChanged?.(t, c) }),
    service: createBookingService({
      db: deps.db,
      graph: deps.graph,
      clock: deps.clock ?? (() => new Date()),
      credentials,
      publicBaseUrl: deps.config.publicBaseUrl,
      teamsAppId: deps.config.teamsAppId ?? "",
      onEnqueued: () => module.onEnqueued?.(),
      onSeriesChanged: async (t, c) => module.onSeriesChanged?.(t, c),
      ...(deps.logger ? { logger: deps.logger } : {}),
    }),
    registerRoutes: (api) => registerBookingRoutes(api, module.service),
  };
  return module;
}
