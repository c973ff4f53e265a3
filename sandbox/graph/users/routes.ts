import express from "express";
import type { SandboxContext } from "../../context.js";
import type { SeedPerson } from "../../seed/people.js";
import { GraphError } from "../errors.js";
import { locals } from "../locals.js";
import { applySelect, decodeSkipToken, nextLink, parseSelect, parseTop, queryOption } from "../odata.js";
import { ianaToWindows } from "../time-zones.js";
import { DEFAULT_USER_PROPERTIES, localeOf, toDirectoryUser } from "./directory-user.js";
import { parseUserFilter, parseUserSearch } from "./user-query.js";

const USER_TYPE = "microsoft.graph.user";
const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata";

export interface UsersDeps {
  baseUrl: string;
  /** Structural property names of microsoft.graph.user (for $select), undefined = accept any. */
  userProperties: string[] | undefined;
}

function isEventual(req: express.Request): boolean {
  return String(req.headers.consistencylevel ?? "").toLowerCase() === "eventual";
}

/** `GET /users` with $select, $top/$skiptoken paging, $filter, $search, $count, $orderby. */
export function createUsersCollectionRoutes(ctx: SandboxContext, deps: UsersDeps): express.Router {
  const router = express.Router();
  router.get("/users", (req, res) => {
    const eventual = isEventual(req);
    const select = parseSelect(req, deps.userProperties, USER_TYPE);
    const top = parseTop(req, 100, 999);
    const offset = decodeSkipToken(req);
    let people = [...ctx.directory.list()];

    const search = queryOption(req, "$search");
    if (search !== undefined) {
      if (!eventual) {
        throw new GraphError(400, "Request_UnsupportedQuery", "Request with $search query parameter only works through MSGraph with a special request header: 'ConsistencyLevel: eventual'");
      }
      people = people.filter(parseUserSearch(search));
    }
    const filter = queryOption(req, "$filter");
    if (filter !== undefined) people = people.filter(parseUserFilter(filter, eventual));

    const orderby = queryOption(req, "$orderby");
    if (orderby !== undefined) {
      const m = /^(displayName|userPrincipalName)(\s+(asc|desc))?$/i.exec(orderby.trim());
      if (!m) throw new GraphError(400, "Request_UnsupportedQuery", `Sorting by '${orderby}' is not supported.`);
      const prop = m[1]!.toLowerCase() === "displayname" ? "displayName" : "userPrincipalName";
      const dir = m[3]?.toLowerCase() === "desc" ? -1 : 1;
      people.sort((a, b) => a[prop].localeCompare(b[prop]) * dir);
    }

    const count = queryOption(req, "$count");
    if (count === "true" && !eventual) {
      throw new GraphError(400, "Request_BadRequest", "$count is only supported with the header 'ConsistencyLevel: eventual'.");
    }
    const page = people.slice(offset, offset + top);
    const body: Record<string, unknown> = { "@odata.context": `${CONTEXT}#users` };
    if (count === "true") body["@odata.count"] = people.length;
    if (offset + top < people.length) body["@odata.nextLink"] = nextLink(deps.baseUrl, req, offset + top);
    body.value = page.map((p) => applySelect(toDirectoryUser(p, ctx.now()), select, DEFAULT_USER_PROPERTIES));
    res.json(body);
  });
  return router;
}

/** Routes relative to a mailbox root (`/me`, `/users/{id|upn}`). */
export function createUserRoutes(ctx: SandboxContext, deps: UsersDeps): express.Router {
  const router = express.Router({ mergeParams: true });
  const personOf = (res: express.Response): SeedPerson => ctx.directory.find(locals(res).mailboxId)!;
  const asUser = (p: SeedPerson, req: express.Request) => applySelect(toDirectoryUser(p, ctx.now()), parseSelect(req, deps.userProperties, USER_TYPE), DEFAULT_USER_PROPERTIES);

  router.get("/", (req, res) => {
    res.json({ "@odata.context": `${CONTEXT}#users/$entity`, ...asUser(personOf(res), req) });
  });

  router.get("/manager", (req, res) => {
    const managerId = personOf(res).managerId;
    const manager = managerId ? ctx.directory.find(managerId) : undefined;
    if (!manager) throw new GraphError(404, "Request_ResourceNotFound", "Resource 'manager' does not exist or one of its queried reference-property objects are not present.");
    res.json({ "@odata.context": `${CONTEXT}#directoryObjects/$entity`, "@odata.type": "#microsoft.graph.user", ...asUser(manager, req) });
  });

  router.get("/directReports", (req, res) => {
    const me = personOf(res);
    const reports = ctx.directory.list().filter((p) => p.managerId === me.id);
    res.json({ "@odata.context": `${CONTEXT}#directoryObjects`, value: reports.map((p) => ({ "@odata.type": "#microsoft.graph.user", ...asUser(p, req) })) });
  });

  const settingsOf = (res: express.Response) => {
    const l = locals(res);
    // Delegated MailboxSettings.Read covers the caller's own mailbox only; other users'
    // settings need application permissions (Graph answers 403 ErrorAccessDenied).
    if (!l.appOnly && l.callerId !== l.mailboxId) throw new GraphError(403, "ErrorAccessDenied", "Access is denied. Check credentials and try again.");
    return mailboxSettingsOf(personOf(res));
  };
  router.get("/mailboxSettings", (_req, res) => {
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/mailboxSettings`, ...settingsOf(res) });
  });
  router.get("/mailboxSettings/timeZone", (_req, res) => {
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/mailboxSettings/timeZone`, value: settingsOf(res).timeZone });
  });
  router.get("/mailboxSettings/workingHours", (_req, res) => {
    res.json({ "@odata.context": `${CONTEXT}#users('${locals(res).mailboxId}')/mailboxSettings/workingHours`, ...settingsOf(res).workingHours });
  });
  return router;
}

/** Exchange's view of a person: Windows time-zone names, working hours in that zone. */
export function mailboxSettingsOf(person: SeedPerson) {
  const windows = ianaToWindows(person.timeZone) ?? "UTC";
  const locale = localeOf(person);
  return {
    archiveFolder: "AAMkAD" + Buffer.from(person.id).toString("base64url").slice(0, 24),
    timeZone: windows,
    delegateMeetingMessageDeliveryOptions: "sendToDelegateOnly",
    dateFormat: locale === "en-US" ? "M/d/yyyy" : "dd/MM/yyyy",
    timeFormat: locale === "en-US" ? "h:mm tt" : "HH:mm",
    userPurpose: "user",
    automaticRepliesSetting: {
      status: "disabled",
      externalAudience: "all",
      internalReplyMessage: "",
      externalReplyMessage: "",
      scheduledStartDateTime: { dateTime: "2020-01-01T00:00:00.0000000", timeZone: "UTC" },
      scheduledEndDateTime: { dateTime: "2020-01-02T00:00:00.0000000", timeZone: "UTC" },
    },
    language: { locale, displayName: locale },
    workingHours: {
      daysOfWeek: [...person.workingHours.daysOfWeek],
      startTime: person.workingHours.startTime,
      endTime: person.workingHours.endTime,
      timeZone: { name: windows },
    },
  };
}
