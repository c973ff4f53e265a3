import type { Express } from "express";
import type { KyselyPlugin } from "kysely";
import request from "supertest";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createBookingModule, type BookingModule } from "../../../../api/booking";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory } from "../../../../api/graph";
import { createJobRunner, type JobRunner } from "../../../../api/jobs";
import { createProgramsModule, type ProgramsModule } from "../../../../api/programs/module";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * One API process as server.ts wires it (booking + programs, one runner running both job types
 * several at a time) over a shared database and sandbox. `crash()` makes it die mid-flight: from
 * then on none of its database queries or Graph requests gets through (answers to requests
 * already sent are lost), like a killed process; its leases stay until they expire.
 */
export interface ApiInstance {
  app: Express;
  booking: BookingModule;
  programs: ProgramsModule;
  runner: JobRunner;
  crash(): void;
}

export interface CohortStack {
  sandbox: RunningSandbox;
  db: Db;
  /** Starts a new API process on the same database (after a crash: the restart). */
  startInstance(): ApiInstance;
  /** Moves every instance's clock forward (past leases and backoffs). */
  advance(ms: number): void;
  token(person: SeedPerson): Promise<string>;
  close(): Promise<void>;
}

class ProcessDied extends Error {
  constructor() {
    super("The API process died.");
  }
}

export async function startCohortStack(db: Db): Promise<CohortStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const tokens = createGraphTokenProvider({ config });
  const logger = createLogger({ level: "silent" });
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);

  return {
    sandbox,
    db,
    startInstance() {
      let dead = false;
      const deadPlugin: KyselyPlugin = {
        transformQuery(args) {
          if (dead) throw new ProcessDied();
          return args.node;
        },
        async transformResult(args) {
          if (dead) throw new ProcessDied();
          return args.result;
        },
      };
      const instanceDb = db.withPlugin(deadPlugin);
      const fetchImpl: typeof fetch = async (input, init) => {
        if (dead) throw new ProcessDied();
        const res = await fetch(input, init);
        if (dead) throw new ProcessDied();
        return res;
      };
      // Graph's in-process retries without real waiting: what outlasts them reaches the job runner.
      const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens, fetchImpl, retry: { maxRetries: 5, sleep: async () => undefined } });
      const booking = createBookingModule({ config, db: instanceDb, graph, clock, logger });
      const programs = createProgramsModule({ db: instanceDb, graph, booking, clock, logger, cohort: { followEveryMs: 1_000, ownerWaitMs: 5_000 } });
      const app = createApp({ config, db: instanceDb, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, programs, clock, distDir: "/nonexistent/dist" });
      const runner = createJobRunner({ db: instanceDb, handlers: [booking.handler, programs.handler], clock, leaseMs: 60_000, pollMs: 20, concurrency: 4, backoff: { baseDelayMs: 1_000, maxDelayMs: 10_000 }, logger });
      booking.onEnqueued = () => runner.wake();
      programs.onEnqueued = () => runner.wake();
      return {
        app,
        booking,
        programs,
        runner,
        crash() {
          dead = true;
        },
      };
    },
    advance(ms) {
      offset += ms;
    },
    token: (person) => sandbox.sandbox.identity.apiToken(person.userPrincipalName),
    close: () => sandbox.close(),
  };
}

export function http(instance: ApiInstance, token: string) {
  return {
    post: async (path: string, body: unknown) => request(instance.app).post(path).set("authorization", `Bearer ${token}`).send(body as object),
    get: async (path: string) => request(instance.app).get(path).set("authorization", `Bearer ${token}`),
  };
}

const EventsPageSchema = z.object({
  value: z.array(z.looseObject({ type: z.string(), extensions: z.array(z.looseObject({ circleId: z.string().optional() })).optional() })),
  "@odata.nextLink": z.string().optional(),
});

/** Series masters in the organiser's calendar per circle id, read from the sandbox (all pages). */
export async function seriesPerCircle(sandbox: RunningSandbox, organizer: SeedPerson): Promise<Map<string, number>> {
  const token = await sandbox.sandbox.identity.graphToken(organizer.userPrincipalName);
  const counts = new Map<string, number>();
  let url: string | undefined = `${sandbox.url}/v1.0/me/events?$expand=extensions&$top=500`;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /me/events → ${res.status}`);
    const page = EventsPageSchema.parse(await res.json());
    for (const e of page.value) {
      if (e.type !== "seriesMaster") continue;
      for (const x of e.extensions ?? []) if (x.circleId) counts.set(x.circleId, (counts.get(x.circleId) ?? 0) + 1);
    }
    url = page["@odata.nextLink"];
  }
  return counts;
}
