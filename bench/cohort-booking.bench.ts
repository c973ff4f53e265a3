import { randomUUID } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { monitorEventLoopDelay } from "node:perf_hooks";
import path from "node:path";
import { z } from "zod";
import { createApp } from "../api/app";
import { createGraphTokenProvider } from "../api/auth/graph-tokens";
import { createTokenVerifier } from "../api/auth/verify-token";
import { createBookingModule } from "../api/booking";
import { loadConfig } from "../api/config";
import { createGraphFactory } from "../api/graph";
import { isOutlookRequest } from "../api/graph/mailbox-limiter";
import { createJobRunner } from "../api/jobs";
import { createProgramsModule } from "../api/programs/module";
import type { Draft } from "../api/programs/schemas-http";
import { createLogger } from "../api/shared/logger";
import { migrateToLatest, openDatabase } from "../api/storage";
import { pilotPoolPeople, seedPeople } from "../sandbox/seed/people";
import { startRemoteSandbox, type RemoteSandbox } from "./remote-sandbox";
import type { BenchModule } from "./types";

/**
 * Booking a cohort of 300 circles (issue #5 figure) against the sandbox while it answers 10 % of
 * Graph requests ($batch items included) 429 with `Retry-After: 1` and 2 % 503 (no Retry-After:
 * the client backs off 0.5–1 s). The program owner organises every circle, so every calendar
 * write lands in ONE mailbox, which Outlook (and the sandbox) lets have 4 requests in flight.
 *
 * Graph is modelled as the remote service it is: the sandbox runs in its own process
 * (bench/remote-sandbox.ts), and every Graph request (each $batch item; not the $batch envelope,
 * whose items run side by side) takes a simulated GRAPH_LATENCY_MS = 80 ms before it is answered,
 * holding its mailbox slot meanwhile — real Graph answers calendar requests in roughly 60–300 ms.
 * The API runs as server.ts wires it, with its defaults: one job runner (32 jobs at once), the
 * cohort job creating 16 circles at once, Graph's per-mailbox limiter (4; a $batch takes a slot
 * per Outlook item), Graph's own Retry-After/backoff retries. The draft (circles of 4 reusing the
 * 72 pilot-pool people) is written straight into the program; the database is SQLite.
 *
 * Metrics, counted at the sandbox after the cohort job says "succeeded":
 * - `duplicates`: series masters beyond one per circle; `missing`: circles without a series.
 * - `ratio_to_bound` = `wall_ms` (POST booking → GET says succeeded) / `bound_ms`, where the
 *   throttling-bound minimum is
 *       bound_ms = mailbox_requests × latency_ms / 4  +  longest Retry-After (1 s).
 *   `mailbox_requests` is every Outlook request the sandbox saw for the booking (top-level or a
 *   $batch item, each attempt: the retries of throttled requests are in it — the faults are per
 *   request, so any client pays them). `latency_ms` is the mean round trip, seen by the API's
 *   Graph client, of a request carrying Outlook items, measured on the idle sandbox by booking a
 *   fault-free calibration cohort (20 circles) strictly one request at a time. Outlook runs at
 *   most 4 requests per mailbox at once, so no client gets through the owner's mailbox sooner
 *   than the first term; at least one throttled request sits on the last circle's path, and its
 *   Retry-After cannot overlap with that circle's next step (second term). Directory and Teams
 *   requests are left out (not limited by the mailbox), which keeps the bound on the strict side.
 * - Also printed: requests (all HTTP requests the sandbox saw), retries_429 / retries_503
 *   (throttled answers, each retried), mailbox_mean_in_flight (Outlook requests in flight to the
 *   owner's mailbox, averaged over the run: 4 = always full), the API's CPU time and event-loop
 *   delay, and the load average before and after (the machine is shared: under load the API's
 *   round trips stretch and the ratio rises).
 */
const CIRCLES = 300;
const CALIBRATION_CIRCLES = 20;
const RETRY_AFTER_SECONDS = 1;
const GRAPH_LATENCY_MS = 80;
/** How often the bench (like the app's progress view) asks for the booking's state. */
const PROGRESS_POLL_MS = 200;

interface Traffic {
  /** Requests carrying at least one Outlook item, and their summed round-trip time. */
  outlookRequests: number;
  outlookMs: number;
  /** Outlook items in flight now, and their integral over time (item·ms): how busy the mailbox was. */
  inFlight: number;
  busyItemMs: number;
  lastChangeMs: number;
}

const newTraffic = (): Traffic => ({ outlookRequests: 0, outlookMs: 0, inFlight: 0, busyItemMs: 0, lastChangeMs: performance.now() });

function changeInFlight(traffic: Traffic, delta: number): void {
  const now = performance.now();
  traffic.busyItemMs += traffic.inFlight * (now - traffic.lastChangeMs);
  traffic.lastChangeMs = now;
  traffic.inFlight += delta;
}

/** Wraps fetch to time the round trips of requests that carry Outlook items. */
function meteredFetch(traffic: Traffic): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const graphPath = url.pathname.replace(/^\/v1\.0/, "");
    let items = isOutlookRequest(graphPath) ? 1 : 0;
    // A batch's item URLs, read off the JSON text (cheap: this runs inside the mailbox slot).
    if (graphPath === "/$batch" && typeof init?.body === "string") {
      items = [...init.body.matchAll(/"url":"([^"]*)"/g)].filter((m) => isOutlookRequest(m[1]!.startsWith("/") ? m[1]! : `/${m[1]!}`)).length;
    }
    const started = performance.now();
    changeInFlight(traffic, items);
    const res = await fetch(input, init).finally(() => changeInFlight(traffic, -items));
    const body = await res.arrayBuffer();
    if (items > 0) {
      traffic.outlookMs += performance.now() - started;
      traffic.outlookRequests += 1;
    }
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

interface Scenario {
  circles: number;
  /** Unset: the defaults server.ts runs with. */
  runnerConcurrency?: number;
  cohortParallel?: number;
}

const owner = seedPeople.find((p) => p.userPrincipalName.startsWith("tomas.reyes"))!;

/** Books one cohort as the owner through the real API, with a fresh database. */
async function bookCohort(sandbox: RemoteSandbox, scenario: Scenario, traffic: Traffic, beforeBooking?: () => Promise<void>) {
  const dir = mkdtempSync(path.join(tmpdir(), "cc-bench-"));
  const database = await openDatabase({ kind: "sqlite", file: path.join(dir, "bench.sqlite") });
  await migrateToLatest(database);
  const db = database.db;
  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const logger = createLogger({ level: "silent" });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }), fetchImpl: meteredFetch(traffic) });
  const booking = createBookingModule({ config, db, graph, logger });
  const programs = createProgramsModule({ db, graph, booking, logger, ...(scenario.cohortParallel ? { cohort: { parallel: scenario.cohortParallel } } : {}) });
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, programs, distDir: "/nonexistent/dist" });
  const runner = createJobRunner({ db, handlers: [booking.handler, programs.handler], logger, ...(scenario.runnerConcurrency ? { concurrency: scenario.runnerConcurrency } : {}) });
  booking.onEnqueued = () => runner.wake();
  programs.onEnqueued = () => runner.wake();
  const server = app.listen(0);
  await new Promise<void>((resolve) => server.once("listening", resolve));
  const address = server.address();
  const base = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
  const token = await sandbox.apiToken(owner.userPrincipalName);
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
    await db.updateTable("programs").set({ draft: JSON.stringify(drafted(scenario.circles)) }).where("id", "=", program.id).execute();
    const startOn = new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10);

    await beforeBooking?.();
    const lag = monitorEventLoopDelay({ resolution: 10 });
    lag.enable();
    const cpuBefore = process.cpuUsage();
    runner.start();
    const started = performance.now();
    traffic.busyItemMs = 0;
    traffic.lastChangeMs = started;
    await call("POST", `/api/programs/${program.id}/booking`, { startOn });
    const Progress = z.object({ status: z.string(), progress: z.object({ done: z.number(), total: z.number() }), circles: z.array(z.object({ circleId: z.string() })), error: z.object({ message: z.string() }).optional() });
    let state = Progress.parse(await call("GET", `/api/programs/${program.id}/booking`));
    while (state.status === "running") {
      await new Promise((r) => setTimeout(r, PROGRESS_POLL_MS));
      state = Progress.parse(await call("GET", `/api/programs/${program.id}/booking`));
    }
    const wallMs = performance.now() - started;
    changeInFlight(traffic, 0);
    lag.disable();
    const cpu = process.cpuUsage(cpuBefore);
    if (state.status !== "succeeded") throw new Error(`The cohort booking ended ${state.status}: ${state.error?.message ?? ""}`);
    return { wallMs, circleIds: state.circles.map((c) => c.circleId), apiCpuMs: (cpu.user + cpu.system) / 1000, loopDelayMeanMs: lag.mean / 1e6 };
  } finally {
    await runner.stop();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await database.close();
    rmSync(dir, { recursive: true, force: true });
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

const bench: BenchModule = {
  name: "cohort-booking",
  async run() {
    const loadBefore = loadavg()[0]!;
    // BENCH_SANDBOX_CPU_PROF=<dir> writes a CPU profile of the sandbox process (to see where its time goes).
    const profileDir = process.env.BENCH_SANDBOX_CPU_PROF;
    const sandbox = await startRemoteSandbox(profileDir ? { execArgv: ["--cpu-prof", `--cpu-prof-dir=${profileDir}`] } : {});
    try {
      // Every Graph request but the $batch envelope (its items each pay it, side by side).
      await sandbox.addFault({ pathPattern: "^(?!/\\$batch)", latencyMs: GRAPH_LATENCY_MS });

      // Calibration: fault-free, one job and one circle at a time, so each round trip is alone.
      const calibrationTraffic = newTraffic();
      await bookCohort(sandbox, { circles: CALIBRATION_CIRCLES, runnerConcurrency: 1, cohortParallel: 1 }, calibrationTraffic);
      const latencyMs = calibrationTraffic.outlookMs / calibrationTraffic.outlookRequests;

      await sandbox.addFault({ status: 429, retryAfterSeconds: RETRY_AFTER_SECONDS, probability: 0.1 });
      await sandbox.addFault({ status: 503, probability: 0.02 });
      // Counted from the booking on (program set-up and enrolment are not part of it).
      const traffic = newTraffic();
      const run = await bookCohort(sandbox, { circles: CIRCLES }, traffic, () => sandbox.resetStats());
      const stats = await sandbox.stats();
      await sandbox.resetFaults();

      const series = await seriesPerCircle(sandbox.url, await sandbox.graphToken(owner.userPrincipalName));
      const missing = run.circleIds.filter((id) => (series.get(id) ?? 0) === 0).length + (CIRCLES - run.circleIds.length);
      const duplicates = run.circleIds.reduce((n, id) => n + Math.max(0, (series.get(id) ?? 0) - 1), 0);
      const boundMs = (stats.mailboxRequests * latencyMs) / 4 + RETRY_AFTER_SECONDS * 1000;
      return [
        { metric: "circles", value: CIRCLES, unit: "circles" },
        { metric: "duplicates", value: duplicates, unit: "series" },
        { metric: "missing", value: missing, unit: "series" },
        { metric: "ratio_to_bound", value: Number((run.wallMs / boundMs).toFixed(2)), unit: "ratio" },
        { metric: "wall_ms", value: Math.round(run.wallMs), unit: "ms" },
        { metric: "bound_ms", value: Math.round(boundMs), unit: "ms" },
        { metric: "mailbox_requests", value: stats.mailboxRequests, unit: "requests" },
        { metric: "requests", value: stats.graphRequests, unit: "requests" },
        { metric: "latency_ms", value: Number(latencyMs.toFixed(1)), unit: "ms/request" },
        { metric: "simulated_latency_ms", value: GRAPH_LATENCY_MS, unit: "ms/request" },
        // Mean Outlook items in flight to the owner's mailbox over the run (4 = always full).
        { metric: "mailbox_mean_in_flight", value: Number((traffic.busyItemMs / run.wallMs).toFixed(2)), unit: "requests" },
        { metric: "api_cpu_ms", value: Math.round(run.apiCpuMs), unit: "ms" },
        { metric: "api_event_loop_delay_mean_ms", value: Number(run.loopDelayMeanMs.toFixed(1)), unit: "ms" },
        { metric: "retries_429", value: (stats.injectedByStatus["429"] ?? 0) + stats.concurrencyThrottled, unit: "responses" },
        { metric: "retries_503", value: stats.injectedByStatus["503"] ?? 0, unit: "responses" },
        { metric: "mailbox_concurrency_429s", value: stats.concurrencyThrottled, unit: "responses" },
        { metric: "retry_after", value: RETRY_AFTER_SECONDS, unit: "s" },
        { metric: "load_average_before", value: Number(loadBefore.toFixed(2)), unit: "load" },
        { metric: "load_average_after", value: Number(loadavg()[0]!.toFixed(2)), unit: "load" },
      ];
    } finally {
      await sandbox.close();
    }
  },
};

export default bench;
