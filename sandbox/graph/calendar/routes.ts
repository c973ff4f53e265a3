import express from "express";
import type { NextFunction, Request, Response } from "express";
import type { SandboxContext, SandboxLocals } from "../../context.js";
import { GraphError, badRequest, forbidden, sendGraphError } from "../errors.js";
import { seedCalendars } from "../../seed/calendars.js";
import type { Reply } from "./calendar-service.js";
import { CalendarService, parseInstant } from "./calendar-service.js";
import type { Instance } from "./event-store.js";
import { getSchedule } from "./get-schedule.js";
import type { QueryOptions } from "./odata.js";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, applySelect, metadataBase, nextLinkFor, parsePreferTimeZone, parseQueryOptions } from "./odata.js";
import type { RenderOptions } from "./render-event.js";
import { UTC_OUTPUT, renderInstance, renderItem } from "./render-event.js";
import { cancelBodySchema, responseBodySchema } from "./schemas.js";

/**
 * Outlook calendar endpoints of the Graph stand-in. The core mounts the router under
 * `/v1.0/me` and `/v1.0/users/:user` after putting SandboxLocals on res.locals, so paths here
 * are relative to the mailbox root.
 */

export interface CalendarModule {
  router: express.Router;
  service: CalendarService;
}

export interface CalendarModuleOptions {
  /** Seed the demo calendars (default true). Tests that need empty calendars pass false. */
  seed?: boolean;
}

/** Router factory the core calls; seeds the demo organisation's calendars. */
export function createCalendarRoutes(ctx: SandboxContext): express.Router {
  return createCalendarModule(ctx).router;
}

export function createCalendarModule(ctx: SandboxContext, opts: CalendarModuleOptions = {}): CalendarModule {
  const service = new CalendarService(ctx);
  if (opts.seed ?? true) seedCalendars(service, { people: ctx.directory.list(), now: ctx.now() });
  return { router: buildRouter(ctx, service), service };
}

function locals(res: Response): SandboxLocals {
  return res.locals as SandboxLocals;
}

function param(req: Request, name: string): string {
  const v = (req.params as Record<string, string | undefined>)[name];
  if (!v) throw badRequest(`Missing ${name}.`);
  return v;
}

function queryParam(req: Request, name: string): unknown {
  const lower = name.toLowerCase();
  const key = Object.keys(req.query).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : req.query[key];
}

function buildRouter(ctx: SandboxContext, service: CalendarService): express.Router {
  const router = express.Router({ mergeParams: true });
  router.use(express.json({ limit: "4mb" }));

  /** The mailbox's object id (the core may pass a UPN for /users/{upn}). */
  const mailboxOf = (res: Response): string => {
    const { mailboxId } = locals(res);
    return ctx.directory.find(mailboxId)?.id ?? mailboxId;
  };

  /**
   * Delegated tokens reach only the signed-in user's own events: another user's calendar
   * needs sharing, which the demo tenant does not set up (Graph answers ErrorAccessDenied).
   */
  const ownMailbox = (req: Request, res: Response, next: NextFunction) => {
    const l = locals(res);
    const mailboxId = mailboxOf(res);
    if (!l.appOnly && l.callerId && l.callerId !== mailboxId) return next(forbidden("Access is denied. Check credentials and try again."));
    next();
  };

  const renderOpts = (req: Request, res: Response, q: QueryOptions): RenderOptions => {
    const { out, applied } = parsePreferTimeZone(req);
    if (applied) res.setHeader("Preference-Applied", applied);
    return { out, ...(q.expandExtensions ? { expandExtensions: q.expandExtensions } : {}), ...(q.expandSingleValue ? { expandSingleValue: q.expandSingleValue } : {}) };
  };

  const pageSize = (req: Request, q: QueryOptions): number => {
    if (q.top !== undefined) return q.top;
    const prefer = String(req.headers.prefer ?? "");
    const m = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer);
    return m ? Math.min(Number(m[1]), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
  };

  const renderOne = (service: CalendarService, inst: Instance, opts: RenderOptions): Record<string, unknown> => {
    if (inst.type === "singleInstance" && inst.item.meeting.recurrence) return renderItem(inst.item, opts, service.firstOccurrence(inst.item));
    return renderInstance(inst, opts);
  };

  /** Filters, orders, pages and renders a list of instances (or stored items). */
  const sendCollection = (req: Request, res: Response, instances: Instance[], context: string) => {
    const q = parseQueryOptions(req);
    const opts = renderOpts(req, res, q);
    let rows = instances;
    if (q.filter || q.orderBy) {
      const utcOpts: RenderOptions = { out: UTC_OUTPUT, expandExtensions: {} };
      let withUtc = rows.map((inst) => ({ inst, utc: renderOne(service, inst, utcOpts) }));
      if (q.filter) {
        const filter = q.filter;
        withUtc = withUtc.filter((r) => filter(r.utc));
      }
      if (q.orderBy) {
        const { path, desc } = q.orderBy;
        const get = (o: Record<string, unknown>) => path.split("/").reduce<unknown>((v, k) => (v && typeof v === "object" ? (v as Record<string, unknown>)[k] : undefined), o);
        withUtc.sort((a, b) => {
          const x = String(get(a.utc) ?? "");
          const y = String(get(b.utc) ?? "");
          return (x < y ? -1 : x > y ? 1 : 0) * (desc ? -1 : 1);
        });
      }
      rows = withUtc.map((r) => r.inst);
    }
    const size = pageSize(req, q);
    const page = rows.slice(q.skip, q.skip + size);
    const body: Record<string, unknown> = {
      "@odata.context": `${metadataBase(req)}#users('${mailboxOf(res)}')/${context}`,
      value: page.map((inst) => applySelect(renderOne(service, inst, opts), q.select)),
    };
    if (q.skip + size < rows.length && size > 0) body["@odata.nextLink"] = nextLinkFor(req, q.skip + size);
    res.status(200).json(body);
  };

  const sendEvent = (req: Request, res: Response, inst: Instance, status = 200) => {
    const q = parseQueryOptions(req);
    const opts = renderOpts(req, res, q);
    const event = applySelect(renderOne(service, inst, opts), q.select);
    res.status(status).json({ "@odata.context": `${metadataBase(req)}#users('${mailboxOf(res)}')/events/$entity`, ...event });
  };

  const eventPaths = (suffix = "") => [`/events${suffix}`, `/calendar/events${suffix}`];
  const itemInstance = (mailboxId: string, id: string): Instance => service.instanceOf(service.getTarget(mailboxId, id));

  // --- events collection -------------------------------------------------------------------
  router.post(eventPaths(), ownMailbox, (req, res) => {
    const mailboxId = mailboxOf(res);
    const { item } = service.createEvent(mailboxId, req.body);
    sendEvent(req, res, service.instanceOf({ item }), 201);
  });

  router.get(eventPaths(), ownMailbox, (req, res) => {
    const mailboxId = mailboxOf(res);
    const items: Instance[] = service.store.itemsOf(mailboxId).map((item) => service.instanceOf({ item }));
    sendCollection(req, res, items, "events");
  });

  // --- one event --------------------------------------------------------------------------
  router.get(eventPaths("/:id"), ownMailbox, (req, res) => {
    sendEvent(req, res, itemInstance(mailboxOf(res), param(req, "id")));
  });

  router.patch(eventPaths("/:id"), ownMailbox, (req, res) => {
    const mailboxId = mailboxOf(res);
    const target = service.updateEvent(mailboxId, param(req, "id"), req.body);
    sendEvent(req, res, service.instanceOf(target));
  });

  router.delete(eventPaths("/:id"), ownMailbox, (req, res) => {
    service.deleteEvent(mailboxOf(res), param(req, "id"));
    res.status(204).end();
  });

  router.post(eventPaths("/:id/cancel"), ownMailbox, (req, res) => {
    const body = cancelBodySchema.safeParse(req.body ?? {});
    if (!body.success) throw badRequest("Invalid cancel body.");
    service.cancelEvent(mailboxOf(res), param(req, "id"));
    res.status(202).end();
  });

  const replies: Record<string, Reply> = { accept: "accepted", tentativelyAccept: "tentativelyAccepted", decline: "declined" };
  for (const [action, reply] of Object.entries(replies)) {
    router.post(eventPaths(`/:id/${action}`), ownMailbox, (req, res) => {
      const body = responseBodySchema.safeParse(req.body ?? {});
      if (!body.success) throw badRequest(`Invalid ${action} body.`);
      service.respond(mailboxOf(res), param(req, "id"), reply, body.data?.sendResponse ?? true);
      res.status(202).end();
    });
  }

  router.get(eventPaths("/:id/instances"), ownMailbox, (req, res) => {
    const from = parseInstant(queryParam(req, "startDateTime"), "startDateTime");
    const to = parseInstant(queryParam(req, "endDateTime"), "endDateTime");
    sendCollection(req, res, service.instances(mailboxOf(res), param(req, "id"), from, to), `events('${param(req, "id")}')/instances`);
  });

  // --- open extensions ------------------------------------------------------------------------
  router.post(eventPaths("/:id/extensions"), ownMailbox, (req, res) => {
    res.status(201).json(service.addExtension(mailboxOf(res), param(req, "id"), req.body));
  });
  router.get(eventPaths("/:id/extensions"), ownMailbox, (req, res) => {
    res.json({ value: service.listExtensions(mailboxOf(res), param(req, "id")) });
  });
  router.get(eventPaths("/:id/extensions/:extId"), ownMailbox, (req, res) => {
    res.json(service.getExtension(mailboxOf(res), param(req, "id"), param(req, "extId")));
  });
  router.patch(eventPaths("/:id/extensions/:extId"), ownMailbox, (req, res) => {
    service.updateExtension(mailboxOf(res), param(req, "id"), param(req, "extId"), req.body);
    res.status(204).end();
  });
  router.delete(eventPaths("/:id/extensions/:extId"), ownMailbox, (req, res) => {
    service.deleteExtension(mailboxOf(res), param(req, "id"), param(req, "extId"));
    res.status(204).end();
  });

  // --- calendar view --------------------------------------------------------------------------
  router.get(["/calendarView", "/calendar/calendarView"], ownMailbox, (req, res) => {
    const from = parseInstant(queryParam(req, "startDateTime"), "startDateTime");
    const to = parseInstant(queryParam(req, "endDateTime"), "endDateTime");
    if (to < from) throw badRequest("The EndDateTime must be later than the StartDateTime.", "ErrorInvalidParameter");
    sendCollection(req, res, service.calendarView(mailboxOf(res), from, to), "calendarView");
  });

  // --- free/busy ------------------------------------------------------------------------------
  router.post("/calendar/getSchedule", (req, res) => {
    res.json({ "@odata.context": `${metadataBase(req)}#Collection(microsoft.graph.scheduleInformation)`, ...getSchedule(service, ctx, req.body) });
  });

  // --- the default calendar ---------------------------------------------------------------------
  router.get("/calendar", ownMailbox, (req, res) => {
    const mailboxId = mailboxOf(res);
    const person = ctx.directory.find(mailboxId);
    res.json({
      "@odata.context": `${metadataBase(req)}#users('${mailboxId}')/calendar/$entity`,
      id: `AAMkACal${Buffer.from(mailboxId).toString("base64url")}`,
      name: "Calendar",
      color: "auto",
      hexColor: "",
      isDefaultCalendar: true,
      changeKey: "AAAAAA==",
      canShare: true,
      canViewPrivateItems: true,
      canEdit: true,
      allowedOnlineMeetingProviders: ["teamsForBusiness"],
      defaultOnlineMeetingProvider: "teamsForBusiness",
      isTallyingResponses: true,
      isRemovable: false,
      owner: { name: person?.displayName ?? "", address: person?.mail ?? "" },
    });
  });

  router.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    const requestId = locals(res).requestId ?? "";
    if (err instanceof GraphError) return sendGraphError(res, err, requestId);
    if (err instanceof SyntaxError && "body" in err) return sendGraphError(res, badRequest("Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.", "BadRequest"), requestId);
    next(err);
  });

  return router;
}
