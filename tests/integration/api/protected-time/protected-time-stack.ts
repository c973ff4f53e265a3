import type { Express } from "express";
import request from "supertest";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { createBookingModule, type BookingModule } from "../../../../api/booking";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory } from "../../../../api/graph";
import { createJobRunner, type JobRunner } from "../../../../api/jobs";
import { BLOCK_EXTENSION_NAME, createProtectedTimeModule, type ProtectedTimeModule } from "../../../../api/protected-time";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import type { SeedPerson } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

export type RunningSandbox = Awaited<ReturnType<typeof startSandbox>>;

/**
 * The API as in sandbox mode (booking + protected time, wired as server.ts wires them) against a
 * real in-process sandbox; the test drives the job runner (booking and protected-time sync jobs).
 */
export interface ProtectedTimeStack {
  sandbox: RunningSandbox;
  db: Db;
  app: Express;
  booking: BookingModule;
  protectedTime: ProtectedTimeModule;
  runner: JobRunner;
  token(person: SeedPerson): Promise<string>;
  call(person: SeedPerson, method: "get" | "post" | "put", path: string, body?: unknown): Promise<request.Response>;
  /** Our blocks for the circle in the person's calendar, read from the sandbox's calendarView. */
  blocksIn(person: SeedPerson, circleId: string): Promise<CalendarBlock[]>;
  /** The circle's sessions in the person's own calendar (their copy of the series), from calendarView. */
  sessionsIn(person: SeedPerson, iCalUId: string): Promise<Array<{ start: number; end: number }>>;
}

export interface CalendarBlock {
  id: string;
  subject: string;
  start: number;
  end: number;
  showAs: string;
  categories: string[];
  isReminderOn: boolean;
  kind: string;
  occurrenceKey: string;
}

const utc = (v: { dateTime: string }) => Date.parse(`${v.dateTime.replace(/Z$/, "")}Z`);

const ViewEventSchema = z.looseObject({
  id: z.string(),
  iCalUId: z.string().nullish(),
  seriesMasterId: z.string().nullish(),
  subject: z.string().nullish(),
  start: z.object({ dateTime: z.string() }),
  end: z.object({ dateTime: z.string() }),
  showAs: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  categories: z.array(z.string()).nullish(),
  isReminderOn: z.boolean().nullish(),
  extensions: z.array(z.looseObject({ circleId: z.string().optional(), kind: z.string().optional(), occurrenceKey: z.string().optional() })).nullish(),
});

export async function startProtectedTimeStack(db: Db, opts: { appMode?: boolean } = {}): Promise<ProtectedTimeStack> {
  const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
  const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
  const tokens = createGraphTokenProvider({ config });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens, retry: { maxRetries: 1, sleep: async () => undefined } });
  const logger = createLogger({ level: "silent" });
  const booking = createBookingModule({ config, db, graph, logger });
  const protectedTime = createProtectedTimeModule({ db, graph, credentials: booking.credentials, appMode: opts.appMode ?? false, logger });
  booking.onSeriesChanged = (tenantId, circleId) => protectedTime.seriesChanged(tenantId, circleId);
  const app = createApp({ config, db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, protectedTime, distDir: "/nonexistent/dist" });
  const runner = createJobRunner({ db, handlers: [booking.handler, protectedTime.handler], leaseMs: 60_000 });

  /** Every page of a collection. */
  const graphGet = async (person: SeedPerson, path: string) => {
    const token = await sandbox.sandbox.identity.graphToken(person.userPrincipalName);
    const out: Array<z.infer<typeof ViewEventSchema>> = [];
    for (let url: string | undefined = `${sandbox.url}/v1.0${path}`; url; ) {
      const res = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
      if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${await res.text()}`);
      const page = z.object({ value: z.array(ViewEventSchema), "@odata.nextLink": z.string().optional() }).parse(await res.json());
      out.push(...page.value);
      url = page["@odata.nextLink"];
    }
    return out;
  };
  const window = () => {
    const from = new Date(Date.now() - 86_400_000).toISOString();
    const to = new Date(Date.now() + 400 * 86_400_000).toISOString();
    return `startDateTime=${from}&endDateTime=${to}&$top=100`;
  };

  return {
    sandbox,
    db,
    app,
    booking,
    protectedTime,
    runner,
    token: (person) => sandbox.sandbox.identity.apiToken(person.userPrincipalName),
    async call(person, method, path, body) {
      const token = await sandbox.sandbox.identity.apiToken(person.userPrincipalName);
      const req = request(app)[method](path).set("authorization", `Bearer ${token}`);
      return body === undefined ? req : req.send(body as object);
    },
    async blocksIn(person, circleId) {
      const extId = `Microsoft.OutlookServices.OpenTypeExtension.${BLOCK_EXTENSION_NAME}`;
      const events = await graphGet(person, `/me/calendarView?${window()}&$expand=${encodeURIComponent(`extensions($filter=id eq '${extId}')`)}`);
      return events
        .filter((e) => !e.isCancelled && e.extensions?.some((x) => x.circleId === circleId))
        .map((e) => {
          const ext = e.extensions!.find((x) => x.circleId === circleId)!;
          return {
            id: e.id,
            subject: e.subject ?? "",
            start: utc(e.start),
            end: utc(e.end),
            showAs: e.showAs ?? "",
            categories: e.categories ?? [],
            isReminderOn: e.isReminderOn ?? true,
            kind: ext.kind ?? "",
            occurrenceKey: ext.occurrenceKey ?? "",
          };
        })
        .sort((a, b) => a.start - b.start);
    },
    async sessionsIn(person, iCalUId) {
      // Occurrences have iCalUIds of their own: find the person's copy of the series, then its occurrences.
      const [copy] = await graphGet(person, `/me/events?$filter=${encodeURIComponent(`iCalUId eq '${iCalUId}'`)}`);
      if (!copy) return [];
      const events = await graphGet(person, `/me/calendarView?${window()}`);
      return events
        .filter((e) => (e.seriesMasterId === copy.id || e.id === copy.id) && !e.isCancelled)
        .map((e) => ({ start: utc(e.start), end: utc(e.end) }))
        .sort((a, b) => a.start - b.start);
    },
  };
}
