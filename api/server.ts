import type { AddressInfo } from "node:net";
import { pathToFileURL } from "node:url";
import { createApp } from "./app";
import { createBookingModule } from "./booking";
import { createProtectedTimeModule } from "./protected-time";
import { createNotificationsModule } from "./notifications";
import { createNudgesModule } from "./nudges";
import { createProgramsModule } from "./programs/module";
import { createJobRunner } from "./jobs";
import { createGraphTokenProvider } from "./auth/graph-tokens";
import { createTokenVerifier } from "./auth/verify-token";
import { ConfigError, loadConfig } from "./config";
import { createGraphFactory } from "./graph";
import { createLogger } from "./shared/logger";
import { migrateToLatest, openDatabase } from "./storage";

export interface RunningApi {
  url: string;
  close(): Promise<void>;
}

/**
 * Builds the real dependencies from `env`, migrates the database, listens (port 0 = any free
 * port) and returns the URL. Used by scripts/start.ts, the e2e harness and `tsx api/server.ts`.
 * @throws ConfigError naming every missing variable; migration errors.
 */
export async function startApi(opts: { env: Record<string, string | undefined>; port?: number }): Promise<RunningApi> {
  const config = loadConfig(opts.env);
  const logger = createLogger({ level: config.logLevel });
  const database = await openDatabase(config.storage);
  try {
    const applied = await migrateToLatest(database);
    if (applied.length > 0) logger.info({ applied }, "database migrated");
  } catch (err) {
    await database.close();
    throw err;
  }

  const tokens = createGraphTokenProvider({ config });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens });
  const tokenVerifier = createTokenVerifier({ config: config.auth });
  const booking = createBookingModule({ config, db: database.db, graph, logger });
  const protectedTime = createProtectedTimeModule({ db: database.db, graph, credentials: booking.credentials, appMode: config.protectedTimeAppMode, logger });
  booking.onSeriesChanged = (tenantId, circleId) => protectedTime.seriesChanged(tenantId, circleId);
  const notifications = createNotificationsModule({ db: database.db, graph, protectedTime: protectedTime.service, findCaller: (t, u) => booking.credentials.find(t, u), appUrl: config.publicBaseUrl, teamsAppId: config.teamsAppId, logger });
  // A member who syncs gets their calendar watched (Graph change notifications to our webhook).
  protectedTime.onMemberSynced = (caller) => notifications.service.ensureSubscription(caller);
  const programs = createProgramsModule({ db: database.db, graph, booking, logger });
  const nudges = createNudgesModule({ db: database.db, graph, appUrl: config.publicBaseUrl, teamsAppId: config.teamsAppId, logger });
  const app = createApp({ config, db: database.db, graph, tokenVerifier, logger, booking, protectedTime, notifications, programs, nudges });
  // Durable jobs (booking, protected-time sync) run in every instance; leases keep one job on one worker at a time.
  const runner = createJobRunner({ db: database.db, handlers: [booking.handler, protectedTime.handler, ...notifications.handlers, programs.handler, nudges.handler], logger });
  booking.onEnqueued = () => runner.wake();
  protectedTime.onEnqueued = () => runner.wake();
  notifications.onEnqueued = () => runner.wake();
  programs.onEnqueued = () => runner.wake();
  nudges.onEnqueued = () => runner.wake();
  await notifications.service.scheduleRenewalSweep();
  // Prep, reflection and momentum nudges: the scan queues its own next run from here on.
  await nudges.scheduler.scheduleScan();
  runner.start();

  const server = app.listen(opts.port ?? config.port);
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  logger.info({ url, mode: config.mode, storage: database.engine, graphBaseUrl: config.graphBaseUrl }, "Coaching Circles API listening");

  return {
    url,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      // Lets the job in hand finish its current run before the database goes away.
      await runner.stop();
      await database.close();
    },
  };
}

// `tsx api/server.ts`: start from the process environment.
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  startApi({ env: process.env }).then(
    (api) => {
      const stop = () => void api.close().then(() => process.exit(0));
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (err: unknown) => {
      console.error(err instanceof ConfigError ? err.message : err);
      process.exit(1);
    },
  );
}
