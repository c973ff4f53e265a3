import express from "express";
import type { IncomingMessage } from "node:http";
import { randomUUID } from "node:crypto";
import type { SandboxContext } from "./context.js";
import { createControlRoutes } from "./control/routes.js";
import { ActivityFeed, createActivityRoutes, type ActivityNotificationRecord } from "./graph/activity/routes.js";
import { createAppCatalog, SANDBOX_TEAMS_APP_EXTERNAL_ID } from "./graph/app-catalog/catalog.js";
import { createAppCatalogRoutes } from "./graph/app-catalog/routes.js";
import { createGraphAuth, meMailbox, userMailbox } from "./graph/auth.js";
import { createBatchHandler } from "./graph/batch.js";
import { createCalendarRoutes } from "./graph/calendar/routes.js";
import { createCategoryRoutes } from "./graph/categories/routes.js";
import { createChatRoutes } from "./graph/chats/routes.js";
import { ChatStore } from "./graph/chats/store.js";
import { GraphError, sendGraphError } from "./graph/errors.js";
import { createThrottleMiddleware, FaultEngine, type FaultInjector } from "./graph/faults.js";
import { locals } from "./graph/locals.js";
import { createOnlineMeetingRoutes } from "./graph/online-meetings/routes.js";
import { OnlineMeetingStore, type OnlineMeetingRecord } from "./graph/online-meetings/store.js";
import { StatsCounter, type SandboxStats } from "./graph/stats.js";
import { Notifier, type DeliveryRecord } from "./graph/subscriptions/notifier.js";
import { createSubscriptionRoutes, emitEventChange } from "./graph/subscriptions/routes.js";
import { SubscriptionStore } from "./graph/subscriptions/store.js";
import { createTodoRoutes } from "./graph/todo/routes.js";
import { createUserRoutes, createUsersCollectionRoutes } from "./graph/users/routes.js";
import { loadBodyValidator } from "./graph/validate-body.js";
import { createHostRoutes } from "./host/routes.js";
import { generateSigningKey } from "./identity/keys.js";
import { createIdentityRoutes } from "./identity/routes.js";
import { createTokenIssuer, GRAPH_AUDIENCE } from "./identity/tokens.js";
import { findSeedPerson, SANDBOX_TENANT_ID, seedPeople } from "./seed/people.js";

export { SANDBOX_TEAMS_APP_EXTERNAL_ID, SANDBOX_TEAMS_CATALOG_APP_ID } from "./graph/app-catalog/catalog.js";
export type { FaultInjector, FaultRule } from "./graph/faults.js";
export type { SandboxStats, StatsSnapshot } from "./graph/stats.js";
export type { ActivityNotificationRecord } from "./graph/activity/routes.js";
export type { DeliveryRecord } from "./graph/subscriptions/notifier.js";

export interface SandboxOptions {
  /** Where the sandbox is reachable, e.g. http://localhost:3001 (used in issuers and nextLinks). */
  baseUrl: string;
  /** Where the product's app (API + front end) runs, e.g. http://localhost:3000. */
  appUrl: string;
  /** The sandbox clock (calendar, subscriptions, timestamps); tokens always use the wall clock. */
  now?: () => Date;
  /** The manifest id of our Teams app in the catalog; default env TEAMS_APP_ID or SANDBOX_TEAMS_APP_EXTERNAL_ID. */
  teamsAppId?: string;
  /** Path of graph-openapi-subset.json; default `<repo>/../shared/reference/graph/…`. */
  graphSchemaPath?: string;
}

export interface Sandbox {
  app: express.Express;
  baseUrl: string;
  appUrl: string;
  tenantId: string;
  /** Resolves once the signing key exists (requests wait for it anyway). */
  ready: Promise<void>;
  faults: FaultInjector;
  stats: SandboxStats;
  /** Activity feed notifications sent through sendActivityNotification. */
  activityNotifications: { list(userId?: string): ActivityNotificationRecord[]; clear(): void };
  /** Change/lifecycle notification deliveries; `flush()` awaits the pending ones. */
  notifications: { flush(): Promise<void>; log(): readonly DeliveryRecord[] };
  /** Online meetings created through the calendar (read-only view for tests and the host page). */
  meetings: { list(): OnlineMeetingRecord[] };
  /** Tokens without HTTP, for tests. */
  identity: {
    /** A token for our API (audience = SANDBOX_APP_CLIENT_ID), like Teams SSO gives the front end. */
    apiToken(upn: string): Promise<string>;
    /** A delegated Graph token. */
    graphToken(upn: string): Promise<string>;
    /** An app-only Graph token. */
    appToken(): Promise<string>;
  };
  /** Our app in the app catalog. */
  teamsApp: { externalId: string; catalogId: string };
  /** The context handed to resource modules (tests of modules may use it). */
  ctx: SandboxContext;
}

/**
 * Builds the Microsoft 365 stand-in: Graph v1.0 subset at /v1.0, Entra stand-in at /identity,
 * the Teams host page at /, controls at /sandbox. All state is in memory and per instance.
 */
export function createSandbox(opts: SandboxOptions): Sandbox {
  const baseUrl = opts.baseUrl.replace(/\/+$/, "");
  const now = opts.now ?? (() => new Date());
  const tenantId = SANDBOX_TENANT_ID;
  const key = generateSigningKey();
  const issuer = createTokenIssuer({ baseUrl, tenantId, key });
  const validator = loadBodyValidator(opts.graphSchemaPath);

  const faults = new FaultEngine();
  const stats = new StatsCounter();
  const chats = new ChatStore();
  const meetings = new OnlineMeetingStore({ tenantId, now, chats, isUser: (id) => findSeedPerson(id) !== undefined });
  const subscriptions = new SubscriptionStore();
  const notifier = new Notifier();
  const activity = new ActivityFeed();
  const catalog = createAppCatalog(opts.teamsAppId ?? process.env.TEAMS_APP_ID ?? SANDBOX_TEAMS_APP_EXTERNAL_ID);

  const ctx: SandboxContext = {
    tenantId,
    directory: { list: () => seedPeople, find: findSeedPerson },
    now,
    validateBody: (typeName, body) => validator.validate(typeName, body),
    meetings: {
      createForEvent: (input) => {
        const m = meetings.createForEvent(input);
        return { id: m.id, joinWebUrl: m.joinWebUrl, chatThreadId: m.threadId };
      },
      endForEvent: (eventId) => meetings.endForEvent(eventId),
      attendeesChanged: (eventId, attendeeIds) => chats.followMeetingAttendees(eventId, attendeeIds, now()),
    },
    emitChange: (change) => emitEventChange({ store: subscriptions, notifier, tenantId, now }, change),
  };

  const app = express();
  app.disable("x-powered-by");
  // Graph sends no weak ETags on JSON responses; Express's would confuse clients that cache.
  app.set("etag", false);

  app.use((req, res, next) => {
    const requestId = randomUUID();
    locals(res).requestId = requestId;
    res.setHeader("request-id", requestId);
    const clientRequestId = req.headers["client-request-id"];
    res.setHeader("client-request-id", typeof clientRequestId === "string" ? clientRequestId : requestId);
    next();
  });

  app.use("/identity", createIdentityRoutes(ctx, { issuer, key, baseUrl }));
  app.use("/sandbox", createControlRoutes(ctx, { faults, stats, meetings, chats, subscriptions, notifier, activity }));

  // $batch items re-enter the app in-process; they are marked so stats count only outer requests.
  const innerRequests = new WeakSet<IncomingMessage>();
  const v1 = express.Router();
  v1.use((req, _res, next) => {
    if (!innerRequests.has(req)) stats.countOuter(req.method, req.url);
    next();
  });
  v1.use(express.json({ limit: "4mb", type: ["application/json", "application/*+json"] }));
  v1.use(createGraphAuth(ctx, issuer));
  v1.use(createThrottleMiddleware({ faults, resolveUser: (x) => findSeedPerson(x)?.id, onFault: (kind, status) => stats.countFault(kind, status), onMailboxRequest: () => stats.countMailboxRequest() }));
  v1.post("/$batch", createBatchHandler({ app: () => app, markInner: (req) => innerRequests.add(req), onItems: (n) => stats.countBatchItems(n) }));

  const usersDeps = { baseUrl, userProperties: validator.propertyNames("microsoft.graph.user") };
  v1.use(createUsersCollectionRoutes(ctx, usersDeps));
  v1.use(createAppCatalogRoutes(catalog));
  v1.use(createChatRoutes(ctx, { chats, catalog }));
  v1.use(createSubscriptionRoutes(ctx, { store: subscriptions, notifier }));

  // One instance of each mailbox-scoped module, reachable as /me/… and /users/{id|upn}/….
  const mailbox = express.Router({ mergeParams: true });
  mailbox.use(createUserRoutes(ctx, usersDeps));
  mailbox.use(createCategoryRoutes(ctx));
  mailbox.use(createOnlineMeetingRoutes(ctx, meetings));
  mailbox.use(createTodoRoutes(ctx, { baseUrl }));
  mailbox.use(createActivityRoutes(ctx, activity));
  mailbox.use(createCalendarRoutes(ctx));
  v1.use("/me", meMailbox, mailbox);
  v1.use("/users/:user", userMailbox(ctx), mailbox);

  v1.use((req, _res, next) => {
    const segments = req.path.split("/").filter(Boolean);
    next(new GraphError(400, "BadRequest", `Resource not found for the segment '${segments[segments.length - 1] ?? ""}'.`));
  });
  v1.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const requestId = locals(res).requestId;
    if (err instanceof GraphError) return sendGraphError(res, err, requestId);
    const type = typeof err === "object" && err !== null ? (err as { type?: string }).type : undefined;
    if (type === "entity.parse.failed") {
      return sendGraphError(res, new GraphError(400, "BadRequest", "Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format."), requestId);
    }
    if (type === "entity.too.large") return sendGraphError(res, new GraphError(413, "RequestEntityTooLarge", "The request payload is too large (4 MB maximum)."), requestId);
    console.error("[sandbox] unhandled error", err);
    sendGraphError(res, new GraphError(500, "InternalServerError", "The sandbox hit an unexpected error."), requestId);
  });
  app.use("/v1.0", v1);

  app.use(createHostRoutes({ appUrl: opts.appUrl, sandboxUrl: baseUrl }));

  const personOrThrow = (upn: string) => {
    const p = findSeedPerson(upn);
    if (!p) throw new Error(`No sandbox user '${upn}'`);
    return p;
  };

  return {
    app,
    baseUrl,
    appUrl: opts.appUrl,
    tenantId,
    ready: key.then(() => undefined),
    faults,
    stats,
    activityNotifications: { list: (userId) => activity.list(userId ? findSeedPerson(userId)?.id ?? userId : undefined), clear: () => activity.clear() },
    notifications: { flush: () => notifier.flush(), log: () => notifier.log() },
    meetings: { list: () => meetings.list() },
    identity: {
      apiToken: (upn) => issuer.issueUserToken(personOrThrow(upn)),
      graphToken: (upn) => issuer.issueUserToken(personOrThrow(upn), GRAPH_AUDIENCE),
      appToken: () => issuer.issueAppToken(),
    },
    teamsApp: { externalId: catalog.ours.externalId ?? SANDBOX_TEAMS_APP_EXTERNAL_ID, catalogId: catalog.ours.id },
    ctx,
  };
}
