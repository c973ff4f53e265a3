import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { createApp } from "../api/app";
import { createGraphTokenProvider } from "../api/auth/graph-tokens";
import { createTokenVerifier } from "../api/auth/verify-token";
import { createBookingModule } from "../api/booking";
import { loadConfig } from "../api/config";
import { createGraphFactory } from "../api/graph";
import { createJobRunner } from "../api/jobs";
import { createProgramsModule } from "../api/programs/module";
import type { Draft } from "../api/programs/schemas-http";
import { createLogger } from "../api/shared/logger";
import { migrateToLatest, openDatabase, type Db } from "../api/storage";
import { mailboxOf } from "../sandbox/graph/faults";
import { findSeedPerson, pilotPoolPeople, seedPeople } from "../sandbox/seed/people";
import { startSandbox } from "../sandbox/server";
import type { BenchModule } from "./types";

/**
 * Booking a cohort of 300 circles (issue #5 figure) against the in-process sandbox while it
 * answers 10 % of Graph requests ($batch items included) 429 with `Retry-After: 1` and 2 % 503
 * (no Retry-After: the client backs off 0.5–1 s). The program owner organises every circle, so
 * every calendar write lands in ONE mailbox, which Outlook (and the sandbox) lets have 4
 * requests in flight. The API runs as server.ts wires it: one job runner (RUNNER_CONCURRENCY jobs
 * at once), Graph's per-mailbox limiter (4), Graph's own Retry-After/backoff retries. The draft
 * (circles of 4 reusing the 72 pilot-pool people) is written straight into the program.
 *
 * Metrics, counted at the sandbox after the cohort job says "succeeded":
 * - `duplicates`: series masters beyond one per circle; `missing`: circles without a series.
 * - `ratio_to_bound` = wall time (POST booking → GET says succeeded) / `bound_ms`, the
 *   throttling-bound minimum:
 *     bound = mailbox_requests × latency / 4  +  longest Retry-After.
 *   `mailbox_requests` is what the booking put through the owner's mailbox in this run, counted
 *   as the sandbox's limiter counts (an Outlook request = 1; a $batch = its Outlook items, which
 *   run side by side), retries of throttled requests included (the faults are per request, so
 *   any client pays them). `latency` is the mean round trip per request measured on a fault-free
 *   calibration cohort (20 circles) booked strictly one request at a time. Four requests at once
 *   is the most Outlook allows, so no client finishes sooner than the first term; at least one
 *   throttled request sits on the last circle's path, and its Retry-After cannot overlap with
 *   that circle's next step (second term). Directory and Teams requests are left out (not limited
 *   by the mailbox), which keeps the bound on the strict side. Caveat: the sandbox shares one
 *   Node thread with the API, so four requests at once do not really run four times as fast.
 */
const CIRCLES = 300;
const CALIBRATION_CIRCLES = 20;
const RUNNER_CONCURRENCY = 16;
/** Circles the cohort job creates at once. */
const COHORT_PARALLEL = 8;
const RETRY_AFTER_SECONDS = 1;

interface Traffic {
  requests: number;
  mailboxRequests: number;
  totalMs: number;
  statuses: Map<number, number>;
}

/** Wraps fetch to count what reaches the sandbox: requests, Outlook ones, round-trip time. */
function meteredFetch(traffic: Traffic, ownerId: string): typeof fetch {
  const resolve = (idOrUpn: string) => findSeedPerson(idOrUpn)?.id;
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const graphPath = url.pathname.replace(/^\/v1\.0/, "") + url.search;
    let mailbox = 0;
    if (graphPath.startsWith("/$batch") && typeof init?.body === "string") {
      const body = z.object({ requests: z.array(z.object({ url: z.string() })) }).safeParse(JSON.parse(init.body));
      if (body.success) mailbox = body.data.requests.filter((r) => mailboxOf(r.url.startsWith("/") ? r.url : `/${r.url}`, ownerId, resolve) !== undefined).length;
    } else if (mailboxOf(graphPath, ownerId, resolve) !== undefined) mailbox = 1;
    const started = performance.now();
    const res = await fetch(input, init);
    const body = await res.arrayBuffer();
    traffic.totalMs += performance.now() - started;
    traffic.requests += 1;
    traffic.mailboxRequests += mailbox;
    traffic.statuses.set(res.status, (traffic.statuses.get(res.status) ?? 0) + 1);
    return new Response(body, { status: res.status, statusText: res.statusText, headers: res.headers });
  };
}

function drafted(count: number): Draft {
  // Circles of 4 from the pilot pool (people are reused across circles), all at one shared hour.
  const people = pilotPoolPeople;
  const circles = Array.from({ length: count }, (_, i) => ({
    memberIds: [0, 1, 2, 3].map((k) => people[(i * 4 + k) % people.length]!.id),
    explanation: {
      summary: "Bench circle",
      sharedHours: { minutesPerWeek: 300, longestMinutes: 60, startUtc: "14:00", endUtc: "15:00", daysUtc: ["tuesday", "wednesday"] },
      departments: 2,
      levels: 2,
      newcomers: 1,
      seasoned: 3,
      notes: [],
    },
  }));
  return { circles, unplaced: [], managers: {} };
}

async function bookCohort(opts: { db: Db; sandboxUrl: string; circles: number; runnerConcurrency: number; cohortParallel: number; traffic: Traffic; token: (upn: string) => Promise<string> }) {
  const owner = seedPeople.find((p) => p.userPrincipalName.startsWith("tomas.reyes"))!;
  const config = loadConfig({ SANDBOX_URL: opts.sandboxUrl, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const logger = createLogger({ level: "silent" });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }), fetchImpl: meteredFetch(opts.traffic, owner.id) });
  const booking = createBookingModule({ config, db: opts.db, graph, logger });
  const programs = createProgramsModule({ db: opts.db, graph, booking, logger, cohort: { parallel: opts.cohortParallel } });
  const app = createApp({ config, db: opts.db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, programs, distDir: "/nonexistent/dist" });
  const runner = createJobRunner({ db: opts.db, handlers: [booking.handler, programs.handler], logger, concurrency: opts.runnerConcurrency, pollMs: 50 });
  booking.onEnqueued = () => runner.wake();
  programs.onEnqueued = () => runner.wake();
  const server = app.listen(0);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const address = server.address();
  const base = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
  const token = await opts.token(owner.userPrincipalName);
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
    const json: unknown = await res.json();
    if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
    return json;
  };
  try {
    const purpose = `Bench cohort ${randomUUID().slice(0, 8)}`;
    const program = z.object({ id: z.string() }).parse(await call("POST", "/api/programs", { purpose, durationWeeks: 12, formatIds: ["coaching-circle"], size: { min: 3, max: 5 } }));
    await call("POST", `/api/programs/${program.id}/enrolments`, { upns: pilotPoolPeople.map((p) => p.userPrincipalName) });
    // The draft is written directly: forming has its own bench, and the seed has 72 pool people, not 1,200.
    await opts.db.updateTable("programs").set({ draft: JSON.stringify(drafted(opts.circles)) }).where("id", "=", program.id).execute();
    const startOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

    runner.start();
    const started = performance.now();
    await call("POST", `/api/programs/${program.id}/booking`, { startOn });
    const Progress = z.object({ status: z.string(), progress: z.object({ done: z.number(), total: z.number() }), circles: z.array(z.object({ circleId: z.string() })), error: z.object({ message: z.string() }).optional() });
    let state = Progress.parse(await call("GET", `/api/programs/${program.id}/booking`));
    while (state.status === "running") {
      await new Promise((r) => setTimeout(r, 250));
      state = Progress.parse(await call("GET", `/api/programs/${program.id}/booking`));
    }
    const wallMs = performance.now() - started;
    if (state.status !== "succeeded") throw new Error(`The cohort booking ended ${state.status}: ${state.error?.message ?? ""}`);
    return { wallMs, circleIds: state.circles.map((c) => c.circleId), owner };
  } finally {
    await runner.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

/** Series masters per circle, read from the sandbox as the organiser (every page). */
async function seriesPerCircle(sandboxUrl: string, token: string): Promise<Map<string, number>> {
  const Page = z.object({ value: z.array(z.looseObject({ type: z.string(), extensions: z.array(z.looseObject({ circleId: z.string().optional() })).optional() })), "@odata.nextLink": z.string().optional() });
  const counts = new Map<string, number>();
  let url: string | undefined = `${sandboxUrl}/v1.0/me/events?$expand=extensions&$top=500`;
  while (url) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
    if (!res.ok) throw new Error(`GET /me/events → ${res.status}`);
    const page = Page.parse(await res.json());
    for (const e of page.value) if (e.type === "seriesMaster") for (const x of e.extensions ?? []) if (x.circleId) counts.set(x.circleId, (counts.get(x.circleId) ?? 0) + 1);
    url = page["@odata.nextLink"];
  }
  return counts;
}

export interface Scenario {
  circles: number;
  runnerConcurrency: number;
  cohortParallel: number;
  faults: boolean;
}

/** One cohort in a fresh sandbox and database (a mailbox already holding another cohort is slower). */
export async function runScenario(scenario: Scenario) {
  const dir = mkdtempSync(path.join(tmpdir(), "cc-bench-"));
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const database = await openDatabase({ kind: "sqlite", file: path.join(dir, "bench.sqlite") });
  try {
    await migrateToLatest(database);
    if (scenario.faults) {
      sandbox.sandbox.faults.add({ status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS, probability: 0.1 });
      sandbox.sandbox.faults.add({ status: 503, probability: 0.02 });
    }
    const traffic: Traffic = { requests: 0, mailboxRequests: 0, totalMs: 0, statuses: new Map() };
    const run = await bookCohort({ db: database.db, sandboxUrl: sandbox.url, ...scenario, traffic, token: (upn) => sandbox.sandbox.identity.apiToken(upn) });
    const stats = sandbox.sandbox.stats.snapshot();
    sandbox.sandbox.faults.reset();
    const series = await seriesPerCircle(sandbox.url, await sandbox.sandbox.identity.graphToken(run.owner.userPrincipalName));
    const missing = run.circleIds.filter((id) => (series.get(id) ?? 0) === 0).length + (scenario.circles - run.circleIds.length);
    const duplicates = run.circleIds.reduce((n, id) => n + Math.max(0, (series.get(id) ?? 0) - 1), 0);
    return { wallMs: run.wallMs, traffic, stats, missing, duplicates };
  } finally {
    await database.close();
    await sandbox.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const bench: BenchModule = {
  name: "cohort-booking",
  async run() {
    // Calibration: fault-free, one job and one circle at a time, so each round trip is alone.
    const calibration = await runScenario({ circles: CALIBRATION_CIRCLES, runnerConcurrency: 1, cohortParallel: 1, faults: false });
    const latencyMs = calibration.traffic.totalMs / calibration.traffic.requests;
    const run = await runScenario({ circles: CIRCLES, runnerConcurrency: RUNNER_CONCURRENCY, cohortParallel: COHORT_PARALLEL, faults: true });
    const boundMs = (run.traffic.mailboxRequests * latencyMs) / 4 + RETRY_AFTER_SECONDS * 1000;
    return [
      { metric: "circles", value: CIRCLES, unit: "circles" },
      { metric: "duplicates", value: run.duplicates, unit: "series" },
      { metric: "missing", value: run.missing, unit: "series" },
      { metric: "wall_ms", value: Math.round(run.wallMs), unit: "ms" },
      { metric: "bound_ms", value: Math.round(boundMs), unit: "ms" },
      { metric: "ratio_to_bound", value: Number((run.wallMs / boundMs).toFixed(2)), unit: "ratio" },
      { metric: "latency_ms", value: Number(latencyMs.toFixed(2)), unit: "ms/request" },
      { metric: "mailbox_requests", value: run.traffic.mailboxRequests, unit: "requests" },
      { metric: "graph_requests", value: run.traffic.requests, unit: "requests" },
      { metric: "injected_faults", value: run.stats.injectedFaults, unit: "responses" },
      { metric: "mailbox_concurrency_429s", value: run.stats.concurrencyThrottled, unit: "responses" },
      { metric: "runner_concurrency", value: RUNNER_CONCURRENCY, unit: "jobs" },
      { metric: "retry_after", value: RETRY_AFTER_SECONDS, unit: "s" },
    ];
  },
};

export default bench;
