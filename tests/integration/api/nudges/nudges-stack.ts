import { randomUUID } from "node:crypto";
import type { Express } from "express";
import request from "supertest";
import type { DateTime } from "luxon";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { loadConfig, type AppConfig } from "../../../../api/config";
import { createGraphFactory, createSeriesRequest, instancesRequest, readEventResult, readInstancesResult, type GraphFactory } from "../../../../api/graph";
import { createJobRunner, type JobRunner } from "../../../../api/jobs";
import { createNudgesModule, type NudgesModule } from "../../../../api/nudges";
import { toPatternedRecurrence } from "../../../../api/scheduling";
import { createLogger } from "../../../../api/shared/logger";
import { toDbBool, type Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, type SeedPerson } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * The API with the nudges module wired as server.ts wires it, against an in-process sandbox,
 * on a clock the test sets. `restart()` drops the module and its job runner and builds new ones
 * over the same database, as a redeploy would.
 */
export interface NudgesStack {
  sandbox: RunningSandbox;
  db: Db;
  graph: GraphFactory;
  app: Express;
  nudges: NudgesModule;
  runner: JobRunner;
  /** Config `teamsAppId` (the sandbox catalog's id of our app): nudges deep-link to it. */
  teamsAppId: string;
  setNow(iso: string): void;
  /** Runs every due job on the stack's clock (the scan queues its own next run). */
  runDue(): Promise<number>;
  restart(): Promise<void>;
  /** Calls our API as the person (Teams SSO token). */
  call(person: SeedPerson, method: "get" | "patch", path: string, body?: unknown): Promise<{ status: number; body: unknown }>;
  /** Activity-feed notifications the sandbox recorded for the person. */
  feed(person: SeedPerson): Promise<FeedItem[]>;
}

export const FeedSchema = z.object({
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
export type FeedItem = z.infer<typeof FeedSchema>["value"][number];

export async function startNudgesStack(db: Db): Promise<NudgesStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const config: AppConfig = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }), retry: { maxRetries: 1, sleep: async () => undefined } });
  const logger = createLogger({ level: "silent" });
  let now = new Date();
  const clock = () => new Date(now.getTime());

  const build = () => {
    const nudges = createNudgesModule({ db, graph, appUrl: config.publicBaseUrl, teamsAppId: config.teamsAppId, clock, logger });
    const runner = createJobRunner({ db, handlers: [nudges.handler], clock, leaseMs: 60_000 });
    return { nudges, runner };
  };
  let current = build();
  await current.nudges.scheduler.scheduleScan();
  const app = (nudges: NudgesModule) => createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, clock, nudges, distDir: "/nonexistent/dist" });
  let express = app(current.nudges);

  const stack: NudgesStack = {
    sandbox,
    db,
    graph,
    teamsAppId: config.teamsAppId!,
    get app() {
      return express;
    },
    get nudges() {
      return current.nudges;
    },
    get runner() {
      return current.runner;
    },
    setNow(iso) {
      now = new Date(iso);
    },
    runDue: () => current.runner.runDue(),
    async restart() {
      await current.runner.stop();
      current = build();
      express = app(current.nudges);
      // What server.ts does at start-up.
      await current.nudges.scheduler.scheduleScan();
    },
    async call(person, method, path, body) {
      const token = await sandbox.sandbox.identity.apiToken(person.userPrincipalName);
      const req = request(express)[method](path).set("authorization", `Bearer ${token}`);
      const res = body === undefined ? await req : await req.send(body as object);
      return { status: res.status, body: res.body as unknown };
    },
    async feed(person) {
      const res = await fetch(`${sandbox.url}/sandbox/activity?userId=${encodeURIComponent(person.userPrincipalName)}`);
      return FeedSchema.parse(await res.json()).value;
    },
  };
  return stack;
}

export const ZONE = "Europe/London";

/** A circle stored directly, members in join order (the circles module's own tests cover createCircle). */
export async function insertCircle(db: Db, name: string, organizer: SeedPerson, members: SeedPerson[]): Promise<string> {
  const id = randomUUID();
  const at = "2030-01-01T00:00:00.000Z";
  await db
    .insertInto("circles")
    .values({ id, tenant_id: SANDBOX_TENANT_ID, name, purpose: "Practice hard conversations", charter: "[]", format_id: "coaching-circle", cadence: "weekly", session_minutes: 60, session_count: 6, time_zone: ZONE, rotate_roles: toDbBool(true), organizer_id: organizer.id, created_at: at, updated_at: at })
    .execute();
  for (const [i, m] of [organizer, ...members].entries()) {
    const joined = new Date(Date.parse(at) + i * 60_000).toISOString();
    await db.insertInto("circle_members").values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: i === 0 ? "organizer" : "member", joined_at: joined, left_at: null, time_zone: m.timeZone }).execute();
  }
  return id;
}

/** A weekly series of 6 sessions (60 min, London) in the organiser's Outlook, recorded as booked — what the booking job leaves behind. */
export async function bookWeeklySeries(stack: NudgesStack, circleId: string, organizer: SeedPerson, attendees: SeedPerson[], first: DateTime): Promise<{ eventId: string; sessions: DateTime[] }> {
  const app = stack.graph.forApp(SANDBOX_TENANT_ID);
  const date = first.toFormat("yyyy-MM-dd");
  const time = first.toFormat("HH:mm");
  const create = createSeriesRequest("s", {
    subject: "Coaching circle",
    bodyHtml: "<p>Agenda</p>",
    startDate: date,
    startTime: time,
    durationMinutes: 60,
    timeZone: ZONE,
    recurrence: toPatternedRecurrence({ start: { date, time, timeZone: ZONE }, cadence: "weekly", sessionCount: 6 }),
    attendees: attendees.map((a) => ({ address: a.userPrincipalName, name: a.displayName })),
    categories: ["Coaching"],
    showAs: "busy",
    transactionId: `nudges-test-${circleId}`,
    extension: { name: "com.example.test", properties: { circleId } },
  });
  const [created] = await app.batch([{ ...create, url: `/users/${organizer.id}/events` }]);
  const master = readEventResult(created!, "create series");
  const at = "2030-01-01T00:00:00.000Z";
  await stack.db
    .insertInto("circle_series")
    .values({ circle_id: circleId, event_id: master.id, ical_uid: master.iCalUId, organizer_id: organizer.id, online_meeting_id: null, join_web_url: null, chat_id: null, time_zone: ZONE, first_start: first.toISO()!, transaction_id: `nudges-test-${circleId}`, status: "booked", job_id: null, generation: 1, created_at: at, updated_at: at })
    .execute();
  return { eventId: master.id, sessions: Array.from({ length: 6 }, (_, k) => first.plus({ weeks: k })) };
}

/** Cancels one occurrence in the organiser's calendar (the circle skipped that week). */
export async function cancelOccurrence(stack: NudgesStack, organizer: SeedPerson, eventId: string, start: DateTime): Promise<void> {
  const app = stack.graph.forApp(SANDBOX_TENANT_ID);
  const req = instancesRequest("i", eventId, start.toMillis() - 3_600_000, start.toMillis() + 3_600_000, ZONE);
  const [page] = await app.batch([{ ...req, url: req.url.replace(/^\/me\//, `/users/${organizer.id}/`) }]);
  const [occurrence] = readInstancesResult(page!);
  await app.post(`/users/${organizer.id}/events/${occurrence!.id}/cancel`, { comment: "" });
}

/** A live run of one session (held in the app), with the roles it gave out. */
export async function insertRun(db: Db, circleId: string, start: DateTime, roles: { facilitator: string; caseOwner: string | null; coaches: string[] }): Promise<string> {
  const id = randomUUID();
  const at = start.toUTC().toISO()!;
  await db
    .insertInto("session_runs")
    .values({
      id,
      circle_id: circleId,
      tenant_id: SANDBOX_TENANT_ID,
      occurrence_date: start.setZone(ZONE).toFormat("yyyy-MM-dd"),
      chat_id: null,
      meeting_id: null,
      version: 3,
      state: JSON.stringify({ status: "ended" }),
      roles: JSON.stringify({ timekeeper: null, observer: null, ...roles }),
      status: "ended",
      created_at: at,
      updated_at: at,
    })
    .execute();
  return id;
}

export async function insertCommitment(db: Db, circleId: string, sessionId: string, owner: SeedPerson, action: string): Promise<void> {
  const at = "2030-01-01T00:00:00.000Z";
  await db
    .insertInto("commitments")
    .values({
      id: randomUUID(),
      circle_id: circleId,
      session_id: sessionId,
      owner_id: owner.id,
      action,
      due_date: "2030-12-31",
      signal: "I will know because…",
      support_wanted: null,
      chat_message_id: null,
      todo_list_id: null,
      todo_task_id: null,
      review_status: null,
      review_learning: null,
      reviewed_in_session_id: null,
      reviewed_at: null,
      created_at: at,
      updated_at: at,
    })
    .execute();
}
