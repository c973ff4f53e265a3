import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createBookingModule } from "../../../../api/booking";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory } from "../../../../api/graph";
import { createJobRunner } from "../../../../api/jobs";
import { createNotificationsModule } from "../../../../api/notifications";
import { createProtectedTimeModule } from "../../../../api/protected-time";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import { startSandbox } from "../../../../sandbox/server";
import type { DemoPerson } from "../sessions/sandbox-stack";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

export interface Reply<T = unknown> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

/**
 * The API wired as server.ts wires it (booking, protected time, notifications: a member's sync
 * also subscribes to their calendar), on a real port so the sandbox can complete the webhook
 * handshake; the live sessions' clock is pinned by the test.
 */
export interface PrivacyStack {
  sandbox: RunningSandbox;
  apiUrl: string;
  call<T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown): Promise<Reply<T>>;
  graph<T = unknown>(who: DemoPerson, method: string, path: string, body?: unknown): Promise<Reply<T>>;
  control<T = unknown>(method: string, path: string): Promise<Reply<T>>;
  /** Lets the sandbox deliver its change notifications, then runs the jobs they queued (a calendar change is read, declines recorded). */
  deliverAndRun(): Promise<void>;
  close(): Promise<void>;
}

async function send<T>(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<Reply<T>> {
  const res = await fetch(url, { method, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, headers: res.headers, body: parsed as T, text };
}

export async function startPrivacyStack(db: Db, clock: () => Date): Promise<PrivacyStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://localhost:${(server.address() as AddressInfo).port}`;

  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: apiUrl });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }), retry: { maxRetries: 1, sleep: async () => undefined } });
  const logger = createLogger({ level: process.env.PRIVACY_LOG === "1" ? "warn" : "silent" });
  const booking = createBookingModule({ config, db, graph, clock, logger });
  // Protected time and subscriptions run on real time, as the sandbox's Graph does (a subscription
  // may expire at most 7 days after Graph's now); the pinned clock drives the live sessions.
  const protectedTime = createProtectedTimeModule({ db, graph, credentials: booking.credentials, logger });
  const notifications = createNotificationsModule({ db, graph, protectedTime: protectedTime.service, findCaller: (t, u) => booking.credentials.find(t, u), appUrl: config.publicBaseUrl, teamsAppId: config.teamsAppId, logger });
  protectedTime.onMemberSynced = (caller) => notifications.service.ensureSubscription(caller);
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, clock, booking, protectedTime, notifications, distDir: "/nonexistent/dist" });
  server.on("request", app);
  const runner = createJobRunner({ db, handlers: [booking.handler, protectedTime.handler, ...notifications.handlers], leaseMs: 60_000 });

  return {
    sandbox,
    apiUrl,
    async call(who, method, path, body) {
      const token = await sandbox.sandbox.identity.apiToken(who.upn);
      return send(`${apiUrl}${path}`, method, { authorization: `Bearer ${token}` }, body);
    },
    async graph(who, method, path, body) {
      const token = await sandbox.sandbox.identity.graphToken(who.upn);
      return send(`${sandbox.url}/v1.0${path}`, method, { authorization: `Bearer ${token}` }, body);
    },
    control: (method, path) => send(`${sandbox.url}/sandbox${path}`, method, {}),
    async deliverAndRun() {
      // A job's Graph writes can notify again: settle until nothing is left.
      for (let round = 0; round < 5; round++) {
        const flushed = await send(`${sandbox.url}/sandbox/notifications/flush`, "POST", {});
        if (flushed.status >= 300) throw new Error(`sandbox flush answered ${flushed.status}: ${flushed.text}`);
        if (!(await runner.runDue())) break;
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
}

/** Every row of every table, as JSON text: to prove a person's id and words are nowhere left. */
export async function dumpStore(db: Db): Promise<Record<string, string>> {
  const tables = await db.introspection.getTables();
  const out: Record<string, string> = {};
  for (const t of tables) {
    if (t.name.startsWith("kysely_")) continue;
    const rows = await db.selectFrom(t.name as never).selectAll().execute();
    out[t.name] = JSON.stringify(rows);
  }
  return out;
}
