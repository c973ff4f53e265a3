import { randomUUID } from "node:crypto";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, beforeEach } from "vitest";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createBookingModule, type BookingModule } from "../../../../api/booking";
import { loadConfig, type AppConfig } from "../../../../api/config";
import { createGraphFactory, type GraphFactory } from "../../../../api/graph";
import { createJobRunner, type JobRunner } from "../../../../api/jobs";
import { createLogger } from "../../../../api/shared/logger";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, seedPeople, type SeedPerson } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * The API wired as in sandbox mode against a real in-process sandbox (Graph, identity, faults,
 * stats), with the job runner driven by the test: `runDue()` runs what is due on the runner's
 * clock, which the test moves forward (`advance`) to get past backoffs and leases.
 */
export interface BookingStack {
  sandbox: RunningSandbox;
  app: Express;
  db: Db;
  config: AppConfig;
  graph: GraphFactory;
  booking: BookingModule;
  runner: JobRunner;
  /** A second runner (another worker id) sharing the clock. */
  newRunner(graph?: GraphFactory): JobRunner;
  /** Graph factory with test retry settings (no real sleeping), optionally over another fetch. */
  makeGraph(fetchImpl?: typeof fetch): GraphFactory;
  advance(ms: number): void;
  token(person: SeedPerson): Promise<string>;
}

export async function startBookingStack(db: Db): Promise<BookingStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const tokens = createGraphTokenProvider({ config });
  // One in-process retry with no real waiting: faults that outlast it reach the job runner.
  const makeGraph = (fetchImpl?: typeof fetch) =>
    createGraphFactory({ baseUrl: config.graphBaseUrl, tokens, retry: { maxRetries: 1, sleep: async () => undefined }, ...(fetchImpl ? { fetchImpl } : {}) });
  const graph = makeGraph();
  let offset = 0;
  const clock = () => new Date(Date.now() + offset);
  const logger = createLogger({ level: "silent" });
  const booking = createBookingModule({ config, db, graph, logger });
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, distDir: "/nonexistent/dist" });
  const newRunner = (g: GraphFactory = graph) => {
    // A runner over another Graph factory: its own handler, the same signed-in organisers.
    const handler = g === graph ? booking.handler : createBookingModule({ config, db, graph: g, credentials: booking.credentials }).handler;
    return createJobRunner({ db, handlers: [handler], clock, leaseMs: 60_000, backoff: { baseDelayMs: 1_000, maxDelayMs: 10_000 } });
  };
  return {
    sandbox,
    app,
    db,
    config,
    graph,
    booking,
    runner: newRunner(),
    newRunner,
    makeGraph,
    advance: (ms) => {
      offset += ms;
    },
    token: (person) => sandbox.sandbox.identity.apiToken(person.userPrincipalName),
  };
}

/**
 * Runs a booking stack for one engine's suite: started before all its tests (handed over through
 * `use`), injected faults cleared before each test, the sandbox closed after all.
 */
export function useBookingStack(engine: { readonly db: Db }, use: (stack: BookingStack) => void): void {
  let stack: BookingStack | undefined;
  beforeAll(async () => {
    // The engine's database opens in its own beforeAll: read it here, not when the suite is declared.
    stack = await startBookingStack(engine.db);
    use(stack);
  });
  afterAll(async () => {
    await stack?.sandbox.close();
  });
  beforeEach(() => {
    stack?.sandbox.sandbox.faults.reset();
  });
}

export function person(upnPrefix: string): SeedPerson {
  const p = seedPeople.find((x) => x.userPrincipalName.startsWith(upnPrefix));
  if (!p) throw new Error(`No seed person ${upnPrefix}`);
  return p;
}

/** A circle stored directly (the circles module's own tests cover createCircle). */
export async function seedCircle(db: Db, organizer: SeedPerson, members: SeedPerson[], opts: { name?: string; sessionCount?: number; cadence?: string; endsOn?: string; timeZone?: string } = {}): Promise<string> {
  const id = randomUUID();
  const now = new Date().toISOString();
  await db
    .insertInto("circles")
    .values({
      id,
      tenant_id: SANDBOX_TENANT_ID,
      name: opts.name ?? "Leading through change",
      purpose: "Practice hard conversations",
      charter: JSON.stringify(["Confidentiality: what is shared stays here."]),
      format_id: "coaching-circle",
      cadence: opts.cadence ?? "biweekly",
      session_minutes: 60,
      session_count: opts.sessionCount ?? 6,
      time_zone: opts.timeZone ?? "Europe/London",
      ends_on: opts.endsOn ?? null,
      rotate_roles: toDbBool(true),
      organizer_id: organizer.id,
      created_at: now,
      updated_at: now,
    })
    .execute();
  for (const [i, m] of [organizer, ...members].entries()) {
    await db
      .insertInto("circle_members")
      .values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: now, left_at: null, time_zone: m.timeZone })
      .execute();
  }
  return id;
}

/** Next Tuesday 15:00 London (≥ 7 days ahead), as ISO with offset. */
export function nextSlot(weeksAhead = 2): string {
  const d = new Date();
  d.setUTCDate(d.getUTCDate() + 7 * weeksAhead + ((2 - d.getUTCDay() + 7) % 7));
  const date = d.toISOString().slice(0, 10);
  // London's offset that day.
  const probe = new Date(`${date}T12:00:00Z`);
  const hour = Number(new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/London", hour: "2-digit", hourCycle: "h23" }).format(probe));
  const offset = hour - 12;
  return `${date}T15:00:00+0${offset}:00`;
}

export function api(stack: BookingStack) {
  return {
    post: async (token: string, path: string, body: unknown) => request(stack.app).post(path).set("authorization", `Bearer ${token}`).send(body as object),
    get: async (token: string, path: string) => request(stack.app).get(path).set("authorization", `Bearer ${token}`),
  };
}
