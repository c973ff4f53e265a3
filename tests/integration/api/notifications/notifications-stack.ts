import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createBookingModule } from "../../../../api/booking";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory } from "../../../../api/graph";
import { createJobRunner, type JobRunner } from "../../../../api/jobs";
import { createNotificationsModule, type NotificationsModule } from "../../../../api/notifications";
import { createProtectedTimeModule } from "../../../../api/protected-time";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * The API wired as server.ts wires it (booking, protected time, notifications), listening on a
 * real port so the in-process sandbox can call its webhook (validation handshake, change and
 * lifecycle notifications). The test drives the job runner.
 */
export interface NotificationsStack {
  sandbox: RunningSandbox;
  db: Db;
  apiUrl: string;
  notifications: NotificationsModule;
  runner: JobRunner;
  /** Calls our API as the person (Teams SSO token). */
  call(person: SeedPerson, method: "get" | "post" | "put", path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Calls the sandbox's Graph as the person (delegated). */
  graph(person: SeedPerson, method: "GET" | "POST" | "PATCH" | "DELETE", path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** The sandbox's control endpoints (/sandbox/...). */
  control(method: "GET" | "POST", path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Waits for the sandbox's pending notification deliveries, then runs every due job. */
  deliverAndRun(): Promise<void>;
  close(): Promise<void>;
}

async function send(url: string, method: string, headers: Record<string, string>, body?: unknown): Promise<{ status: number; body: unknown }> {
  const res = await fetch(url, { method, headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    // Not JSON: keep the text.
  }
  return { status: res.status, body: parsed };
}

export async function startNotificationsStack(db: Db): Promise<NotificationsStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const apiUrl = `http://localhost:${(server.address() as AddressInfo).port}`;

  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: apiUrl });
  const tokens = createGraphTokenProvider({ config });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens, retry: { maxRetries: 1, sleep: async () => undefined } });
  const logger = createLogger({ level: "silent" });
  const booking = createBookingModule({ config, db, graph, logger });
  const protectedTime = createProtectedTimeModule({ db, graph, credentials: booking.credentials, logger });
  booking.onSeriesChanged = (tenantId, circleId) => protectedTime.seriesChanged(tenantId, circleId);
  const notifications = createNotificationsModule({ db, graph, protectedTime: protectedTime.service, findCaller: (t, u) => booking.credentials.find(t, u), appUrl: config.publicBaseUrl, teamsAppId: config.teamsAppId, logger });
  protectedTime.onMemberSynced = (caller) => notifications.service.ensureSubscription(caller);
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, protectedTime, notifications, distDir: "/nonexistent/dist" });
  server.on("request", app);
  const runner = createJobRunner({ db, handlers: [booking.handler, protectedTime.handler, ...notifications.handlers], leaseMs: 60_000 });

  const control: NotificationsStack["control"] = (method, path, body) => send(`${sandbox.url}/sandbox${path}`, method, {}, body);
  return {
    sandbox,
    db,
    apiUrl,
    notifications,
    runner,
    async call(person, method, path, body) {
      const token = await sandbox.sandbox.identity.apiToken(person.userPrincipalName);
      return send(`${apiUrl}${path}`, method.toUpperCase(), { authorization: `Bearer ${token}` }, body);
    },
    async graph(person, method, path, body) {
      const token = await sandbox.sandbox.identity.graphToken(person.userPrincipalName);
      return send(`${sandbox.url}/v1.0${path}`, method, { authorization: `Bearer ${token}` }, body);
    },
    control,
    async deliverAndRun() {
      // A job's Graph writes can notify again: settle until nothing is left.
      for (let round = 0; round < 5; round++) {
        expectOk(await control("POST", "/notifications/flush"));
        const ran = await runner.runDue();
        if (!ran) break;
      }
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await sandbox.close();
    },
  };
}

function expectOk(res: { status: number; body: unknown }): void {
  if (res.status >= 300) throw new Error(`sandbox control answered ${res.status}: ${JSON.stringify(res.body)}`);
}

export const SandboxSubscriptionsSchema = z.object({
  value: z.array(z.object({ id: z.string(), userId: z.string(), resource: z.string(), changeType: z.string(), notificationUrl: z.string(), lifecycleNotificationUrl: z.string().nullable(), clientState: z.string().nullable(), expirationDateTime: z.string() })),
});
export const ActivitySchema = z.object({
  value: z.array(
    z.object({
      activityType: z.string(),
      recipientId: z.string(),
      topic: z.object({ source: z.string(), value: z.string(), webUrl: z.string().optional() }),
      previewText: z.object({ content: z.string() }),
      templateParameters: z.array(z.object({ name: z.string(), value: z.string() })).optional(),
    }),
  ),
});
