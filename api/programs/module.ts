import type { BookingModule } from "../booking";
import type { SeriesPort } from "../circles/ports";
import type { GraphFactory } from "../graph";
import type { ApiRoutes } from "../http";
import type { JobHandler } from "../jobs";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { createCohortJobHandler, type CohortJobDeps, type CohortPayload } from "./cohort-job";
import { registerProgramRoutes } from "./routes";
import { createProgramsService, type ProgramsService } from "./service";

/** Programs wired once per process: the routes and the cohort job handler the runner runs. */
export interface ProgramsModule {
  service: ProgramsService;
  handler: JobHandler<CohortPayload>;
  registerRoutes(api: ApiRoutes): void;
  /** Set by whoever runs the jobs (server.ts: `runner.wake`). */
  onEnqueued?: () => void;
}

/** Booking's service books each circle and its credentials carry the owner's sign-in to the job. */
export function createProgramsModule(deps: {
  db: Db;
  graph: GraphFactory;
  booking: BookingModule;
  clock?: () => Date;
  series?: SeriesPort;
  logger?: Logger;
  cohort?: Pick<CohortJobDeps, "parallel" | "followEveryMs" | "ownerWaitMs">;
}): ProgramsModule {
  const clock = deps.clock ?? (() => new Date());
  const module: ProgramsModule = {
    service: createProgramsService({
      db: deps.db,
      graph: deps.graph,
      clock,
      booking: deps.booking.service,
      credentials: deps.booking.credentials,
      onEnqueued: () => module.onEnqueued?.(),
      ...(deps.series ? { series: deps.series } : {}),
    }),
    handler: createCohortJobHandler({
      db: deps.db,
      graph: deps.graph,
      clock,
      booking: deps.booking.service,
      credentials: deps.booking.credentials,
      ...(deps.logger ? { logger: deps.logger } : {}),
      ...deps.cohort,
    }),
    registerRoutes: (api) => registerProgramRoutes(api, module.service),
  };
  return module;
}
