import express from "express";
import { z } from "zod";
import type { SandboxContext } from "../context.js";
import type { ActivityFeed } from "../graph/activity/routes.js";
import type { ChatStore } from "../graph/chats/store.js";
import { parsePathMatcher, type FaultEngine, type FaultRule } from "../graph/faults.js";
import type { OnlineMeetingStore } from "../graph/online-meetings/store.js";
import type { StatsCounter } from "../graph/stats.js";
import type { Notifier } from "../graph/subscriptions/notifier.js";
import { sendLifecycle } from "../graph/subscriptions/routes.js";
import { subscriptionJson } from "../graph/subscriptions/routes.js";
import type { SubscriptionStore } from "../graph/subscriptions/store.js";

const RuleZ = z
  .object({
    match: z.object({ method: z.string().optional(), path: z.string().optional() }).strict().optional(),
    status: z.union([z.literal(429), z.literal(503), z.literal(504)]).optional(),
    retryAfterSeconds: z.number().min(0).optional(),
    probability: z.number().min(0).max(1).optional(),
    times: z.number().int().positive().optional(),
    latencyMs: z.number().int().min(0).max(120_000).optional(),
  })
  .strict()
  .refine((r) => r.status !== undefined || r.latencyMs !== undefined, "a rule needs a status or a latencyMs");

const FaultsBodyZ = z.union([
  RuleZ,
  z
    .object({
      rules: z.array(RuleZ).optional(),
      seed: z.number().int().optional(),
      concurrencyLimit: z.number().int().positive().nullable().optional(),
    })
    .strict(),
]);

// One meeting session's attendance: its times (`start`/`end`, or `occurrenceStart` and the
// meeting's own length) and who was there for how long (default: all of it).
const AttendanceZ = z
  .object({
    start: z.iso.datetime({ offset: true }).optional(),
    end: z.iso.datetime({ offset: true }).optional(),
    occurrenceStart: z.iso.datetime({ offset: true }).optional(),
    attendees: z.array(
      z.object({ userId: z.string().min(1), durationSeconds: z.number().int().min(0).optional(), joinOffsetSeconds: z.number().int().min(0).optional() }).strict(),
    ),
  })
  .strict()
  .refine((b) => (b.start !== undefined && b.end !== undefined) !== (b.occurrenceStart !== undefined), "give either start and end, or occurrenceStart");

const LifecycleZ = z.object({ lifecycleEvent: z.enum(["reauthorizationRequired", "subscriptionRemoved", "missed"]) }).strict();

export interface ControlDeps {
  faults: FaultEngine;
  stats: StatsCounter;
  meetings: OnlineMeetingStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  notifier: Notifier;
  activity: ActivityFeed;
}

function fail(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function issues(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

function toRule(r: z.infer<typeof RuleZ>): FaultRule {
  const { match, ...rest } = r;
  return { ...rest, ...(match ? { match: { ...(match.method ? { method: match.method } : {}), ...(match.path ? { path: parsePathMatcher(match.path) } : {}) } } : {}) };
}

/** Test and demo controls under /sandbox/* (documented in sandbox/README.md). No auth: sandbox only. */
export function createControlRoutes(ctx: SandboxContext, deps: ControlDeps): express.Router {
  const router = express.Router();
  router.use(express.json());

  router.get("/faults", (_req, res) => {
    res.json({ rules: deps.faults.list().map((r) => ({ ...r, match: r.match ? { ...r.match, path: r.match.path instanceof RegExp ? String(r.match.path) : r.match.path } : undefined })), concurrencyLimit: deps.faults.concurrencyLimit() });
  });
  router.post("/faults", (req, res) => {
    const parsed = FaultsBodyZ.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, "invalid_request", issues(parsed.error));
    const body = parsed.data;
    const ids: string[] = [];
    if ("rules" in body || "seed" in body || "concurrencyLimit" in body) {
      const b = body as { rules?: z.infer<typeof RuleZ>[]; seed?: number; concurrencyLimit?: number | null };
      if (b.seed !== undefined) deps.faults.seed(b.seed);
      if (b.concurrencyLimit !== undefined) deps.faults.setConcurrencyLimit(b.concurrencyLimit);
      for (const r of b.rules ?? []) ids.push(deps.faults.add(toRule(r)));
    } else {
      ids.push(deps.faults.add(toRule(body as z.infer<typeof RuleZ>)));
    }
    res.status(201).json({ ids, concurrencyLimit: deps.faults.concurrencyLimit() });
  });
  router.delete("/faults", (_req, res) => {
    deps.faults.reset();
    res.status(204).end();
  });
  router.delete("/faults/:id", (req, res) => {
    deps.faults.remove(req.params.id);
    res.status(204).end();
  });

  router.get("/stats", (_req, res) => {
    res.json(deps.stats.snapshot());
  });
  router.post("/stats/reset", (_req, res) => {
    deps.stats.reset();
    res.status(204).end();
  });

  router.get("/meetings", (_req, res) => {
    res.json({
      value: deps.meetings.list().map((m) => ({ id: m.id, subject: m.subject, joinWebUrl: m.joinWebUrl, chatId: m.threadId, organizerId: m.organizerId, attendeeIds: m.attendeeIds, eventId: m.eventId, ended: m.ended })),
    });
  });
  // {meetingId}: the online meeting's id, its joinWebUrl (URL-encoded) or the calendar event id it was created for.
  router.post("/meetings/:meetingId/attendance", (req, res) => {
    const meeting = deps.meetings.resolve(req.params.meetingId);
    if (!meeting) return fail(res, 404, "not_found", `No online meeting '${req.params.meetingId}' (GET /sandbox/meetings lists them).`);
    const parsed = AttendanceZ.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, "invalid_request", issues(parsed.error));
    const body = parsed.data;
    for (const a of body.attendees) if (!ctx.directory.find(a.userId)) return fail(res, 400, "invalid_request", `Unknown user '${a.userId}'.`);
    const lengthMs = Date.parse(meeting.endDateTime) - Date.parse(meeting.startDateTime);
    const start = body.start ?? body.occurrenceStart!;
    const end = body.end ?? new Date(Date.parse(start) + lengthMs).toISOString();
    try {
      const report = deps.meetings.recordAttendance(meeting, { start, end, attendees: body.attendees.map((a) => ({ ...a, userId: ctx.directory.find(a.userId)!.id })) });
      res.status(201).json({ id: report.id, meetingId: meeting.id, start: report.start, end: report.end });
    } catch (err) {
      if (err instanceof RangeError) return fail(res, 400, "invalid_request", err.message);
      throw err;
    }
  });

  router.get("/chats/:chatId", (req, res) => {
    const chat = deps.chats.find(req.params.chatId);
    if (!chat) return fail(res, 404, "not_found", `No chat '${req.params.chatId}'.`);
    res.json(chat);
  });

  router.get("/subscriptions", (_req, res) => {
    res.json({ value: deps.subscriptions.list().map((s) => ({ ...subscriptionJson(s), userId: s.userId })) });
  });
  router.post("/subscriptions/:subscriptionId/lifecycle", async (req, res) => {
    const parsed = LifecycleZ.safeParse(req.body);
    if (!parsed.success) return fail(res, 400, "invalid_request", issues(parsed.error));
    const result = await sendLifecycle({ store: deps.subscriptions, notifier: deps.notifier, tenantId: ctx.tenantId }, req.params.subscriptionId, parsed.data.lifecycleEvent);
    if (result.error === "not_found") return fail(res, 404, "not_found", `No subscription '${req.params.subscriptionId}'.`);
    if (result.error === "no_lifecycle_url") return fail(res, 400, "invalid_request", "The subscription has no lifecycleNotificationUrl.");
    res.json({ delivered: result.record!.delivered, status: result.record!.status ?? null, attempts: result.record!.attempts });
  });

  router.get("/notifications", (_req, res) => {
    res.json({ value: deps.notifier.log() });
  });
  router.post("/notifications/flush", async (_req, res) => {
    await deps.notifier.flush();
    res.status(204).end();
  });

  router.get("/activity", (req, res) => {
    const userId = typeof req.query.userId === "string" ? req.query.userId : undefined;
    const person = userId ? ctx.directory.find(userId) : undefined;
    if (userId && !person) return fail(res, 400, "invalid_request", `Unknown user '${userId}'.`);
    res.json({ value: deps.activity.list(person?.id) });
  });

  router.use((_req, res) => fail(res, 404, "not_found", "No such sandbox control endpoint (see sandbox/README.md)."));
  router.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const parseFailed = typeof err === "object" && err !== null && (err as { type?: string }).type === "entity.parse.failed";
    fail(res, parseFailed ? 400 : 500, parseFailed ? "invalid_request" : "internal_error", parseFailed ? "The body is not valid JSON." : String(err));
  });
  return router;
}
