import express, { type Express } from "express";
import { createAuthenticate } from "./auth/authenticate";
import { createBookingModule, type BookingModule } from "./booking";
import type { TokenVerifier } from "./auth/verify-token";
import { registerCircleRoutes } from "./circles/routes";
import type { AppConfig } from "./config";
import type { GraphFactory } from "./graph";
import { registerHealthRoutes } from "./health/routes";
import { readAppVersion } from "./health/version";
import { createApiRoutes, registerOpenApiRoute } from "./http";
import { registerMeRoutes } from "./me/routes";
import { registerOutlookRoutes } from "./outlook/routes";
import { withMembershipListener } from "./sessions/membership-listener";
import { registerSessionRoutes } from "./sessions/routes";
import { registerPeopleRoutes } from "./people/routes";
import { registerProgramHealthRoutes } from "./programs/health-routes";
import { createProgramsModule, type ProgramsModule } from "./programs/module";
import { registerTeamRoutes } from "./team/routes";
import { registerPrivacyRoutes } from "./privacy/routes";
import { createProtectedTimeModule, type ProtectedTimeModule } from "./protected-time";
import { createNotificationsModule, type NotificationsModule } from "./notifications";
import { createNudgesModule, type NudgesModule } from "./nudges";
import { apiNotFound, errorMiddleware } from "./shared/error-middleware";
import type { Logger } from "./shared/logger";
import { requestLogger } from "./shared/request-logger";
import { securityHeaders } from "./shared/security-headers";
import type { Db } from "./storage";
import { createWebRouter } from "./web/pages";

export interface AppDeps {
  config: AppConfig;
  db: Db;
  graph: GraphFactory;
  tokenVerifier: TokenVerifier;
  logger: Logger;
  /** The app's clock; tests pin it. */
  clock?: () => Date;
  /** Where the Vite build is; defaults to <repo>/dist. */
  distDir?: string;
  /** Booking (routes, job handler, SeriesPort); server.ts passes the one whose jobs it runs. Default: a new one. */
  booking?: BookingModule;
  /** Protected time (routes, sync job); server.ts passes the one whose jobs it runs. Default: a new one (delegated mode). */
  protectedTime?: ProtectedTimeModule;
  /** Graph webhook, subscriptions, nudges; server.ts passes the one whose jobs it runs. Default: a new one. */
  notifications?: NotificationsModule;
  /** Scheduled nudges and their switches; server.ts passes the one whose scan job it runs. Default: a new one. */
  nudges?: NudgesModule;
  /** Programs (routes, cohort booking job); server.ts passes the one whose jobs it runs. Default: a new one. */
  programs?: ProgramsModule;
}

/**
 * Wires the API: middleware, every domain module's routes, the front-end pages, errors.
 * No I/O happens here (server.ts opens the database and listens).
 */
export function createApp(deps: AppDeps): Express {
  const clock = deps.clock ?? (() => new Date());
  const version = readAppVersion();
  const app = express();
  app.disable("x-powered-by");
  // API answers are per-user and rarely repeat: hashing every JSON body for an ETag is wasted work
  // (static pages keep theirs: express.static sets its own).
  app.set("etag", false);
  app.use(securityHeaders());
  app.use(requestLogger(deps.logger));

  const api = createApiRoutes({ authenticate: createAuthenticate(deps.tokenVerifier) });
  registerHealthRoutes(api, { config: deps.config, db: deps.db, version });
  registerOpenApiRoute(api, { version, serverUrl: deps.config.publicBaseUrl });
  registerMeRoutes(api, { db: deps.db, graph: deps.graph, clock });
  // Booking implements the circles module's SeriesPort; server.ts runs its jobs.
  const booking = deps.booking ?? createBookingModule({ config: deps.config, db: deps.db, graph: deps.graph, clock, logger: deps.logger });
  // The live session caches circle members for intents; membership changes drop that cache.
  const series = withMembershipListener(booking.service.port, (circleId) => sessions.membersChanged(circleId));
  registerCircleRoutes(api, { db: deps.db, graph: deps.graph, clock, series });
  booking.registerRoutes(api);
  registerOutlookRoutes(api, {
    db: deps.db,
    graph: deps.graph,
    clock,
    series,
    addInId: deps.config.teamsAppId,
    logger: deps.logger,
    // A linked series is the organiser's like a booked one: remember their sign-in, re-sync protected time.
    onLinked: async (caller, circleId) => {
      booking.credentials.remember(caller);
      await booking.onSeriesChanged?.(caller.tenantId, circleId);
    },
    // A linked Teams meeting's chat is set up by the booking job (recording off, app, tab, welcome).
    setUpMeetingChat: (caller, circleId, series) => booking.service.setUpLinkedSeries(caller, circleId, series),
  });
  registerPeopleRoutes(api, { graph: deps.graph });
  // The cohort booking is a job: server.ts runs the handler of the module it passes.
  const programs = deps.programs ?? createProgramsModule({ db: deps.db, graph: deps.graph, clock, booking, series, logger: deps.logger });
  programs.registerRoutes(api);
  const protectedTime = deps.protectedTime ?? createProtectedTimeModule({ db: deps.db, graph: deps.graph, credentials: booking.credentials, clock, logger: deps.logger });
  protectedTime.registerRoutes(api);
  const notifications =
    deps.notifications ??
    createNotificationsModule({ db: deps.db, graph: deps.graph, protectedTime: protectedTime.service, findCaller: (t, u) => booking.credentials.find(t, u), appUrl: deps.config.publicBaseUrl, teamsAppId: deps.config.teamsAppId, clock, logger: deps.logger });
  notifications.registerRoutes(api);
  (deps.nudges ?? createNudgesModule({ db: deps.db, graph: deps.graph, appUrl: deps.config.publicBaseUrl, teamsAppId: deps.config.teamsAppId, clock, logger: deps.logger })).registerRoutes(api);

  const sessions = registerSessionRoutes(api, { db: deps.db, graph: deps.graph, clock });
  registerTeamRoutes(api, { db: deps.db, graph: deps.graph, clock, logger: deps.logger, threshold: deps.config.teamMinParticipants });
  registerPrivacyRoutes(api, { db: deps.db, graph: deps.graph, clock, series, logger: deps.logger, onRunsChanged: (circleId) => sessions.runsChanged(circleId) });
  registerProgramHealthRoutes(api, { db: deps.db, graph: deps.graph, clock, logger: deps.logger, threshold: deps.config.teamMinParticipants });
  app.use(api.router);
  app.use("/api", apiNotFound());
  app.use(createWebRouter({ config: deps.config, distDir: deps.distDir }));
  app.use((_req, res) => {
    res.status(404).type("text/plain").send("Not found.");
  });
  app.use(errorMiddleware(deps.logger));
  return app;
}
