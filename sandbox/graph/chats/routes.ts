import express from "express";
import type { SandboxContext } from "../../context.js";
import { catalogIdFromBind, type AppCatalog } from "../app-catalog/catalog.js";
import { GraphError, badRequest } from "../errors.js";
import { etag, graphTimestamp, randomUUID } from "../ids.js";
import { locals } from "../locals.js";
import { queryOption } from "../odata.js";
import { ADAPTIVE_CARD_CONTENT_TYPE, checkAdaptiveCard, referencedAttachmentIds } from "./adaptive-card.js";
import { memberJson, type ChatMessageRecord, type ChatRecord, type ChatStore, type ChatTab } from "./store.js";

const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata";

interface ChatsDeps {
  chats: ChatStore;
  catalog: AppCatalog;
}

/** `/chats/{id}` with members, installedApps, tabs and messages. */
export function createChatRoutes(ctx: SandboxContext, deps: ChatsDeps): express.Router {
  const router = express.Router();
  const { chats, catalog } = deps;

  /** The chat, visible to its members (delegated) or to the app (resource-specific consent). */
  const chatFor = (req: express.Request, res: express.Response): ChatRecord => {
    const chat = chats.find(String(req.params.chatId));
    if (!chat) throw new GraphError(404, "NotFound", `Chat '${req.params.chatId}' was not found.`);
    const l = locals(res);
    if (!l.appOnly && !chat.memberIds.includes(l.callerId ?? "")) throw new GraphError(403, "Forbidden", "Forbidden: the caller is not a member of this chat.");
    return chat;
  };
  const touch = (chat: ChatRecord) => {
    chat.lastUpdatedDateTime = graphTimestamp(ctx.now());
  };
  const appJson = (catalogAppId: string) => {
    const app = catalog.find(catalogAppId);
    return app ? { id: app.id, externalId: app.externalId, displayName: app.displayName, distributionMethod: app.distributionMethod } : null;
  };
  const expands = (req: express.Request) => (queryOption(req, "$expand") ?? "").toLowerCase().split(",").map((s) => s.trim());
  const bindTarget = (body: Record<string, unknown>) => {
    const bind = Object.entries(body).find(([k]) => k.toLowerCase() === "teamsapp@odata.bind")?.[1];
    if (typeof bind !== "string") throw badRequest("'teamsApp@odata.bind' is required: https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/{id}.");
    const id = catalogIdFromBind(bind);
    if (!id) throw badRequest(`'teamsApp@odata.bind' must reference …/appCatalogs/teamsApps/{id}, got '${bind}'.`);
    if (!catalog.find(id)) throw new GraphError(404, "NotFound", `The app '${id}' was not found in the app catalog.`);
    return catalog.find(id)!.id;
  };

  router.get("/chats/:chatId", (req, res) => {
    const chat = chatFor(req, res);
    const organizer = chat.meeting ? ctx.directory.find(chat.meeting.organizerId) : undefined;
    res.json({
      "@odata.context": `${CONTEXT}#chats/$entity`,
      id: chat.id,
      topic: chat.topic,
      createdDateTime: chat.createdDateTime,
      lastUpdatedDateTime: chat.lastUpdatedDateTime,
      chatType: chat.chatType,
      webUrl: `https://teams.microsoft.com/l/chat/${encodeURIComponent(chat.id)}/0?tenantId=${ctx.tenantId}`,
      tenantId: ctx.tenantId,
      isHiddenForAllMembers: false,
      onlineMeetingInfo: chat.meeting
        ? {
            calendarEventId: chat.meeting.eventId,
            joinWebUrl: chat.meeting.joinWebUrl,
            organizer: { id: chat.meeting.organizerId, displayName: organizer?.displayName ?? null, userIdentityType: "aadUser", tenantId: ctx.tenantId },
          }
        : null,
      viewpoint: null,
    });
  });

  router.get("/chats/:chatId/members", (req, res) => {
    const chat = chatFor(req, res);
    const members = chat.memberIds.flatMap((id) => {
      const p = ctx.directory.find(id);
      return p ? [memberJson(chat, p, ctx.tenantId)] : [];
    });
    res.json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/members`, "@odata.count": members.length, value: members });
  });

  // --- installed apps -------------------------------------------------------------------
  const installationJson = (chat: ChatRecord, inst: { id: string; catalogAppId: string }, req: express.Request) => {
    const out: Record<string, unknown> = { id: inst.id, consentedPermissionSet: null };
    if (expands(req).includes("teamsapp")) out.teamsApp = appJson(inst.catalogAppId);
    if (expands(req).includes("teamsappdefinition")) {
      const app = catalog.find(inst.catalogAppId);
      out.teamsAppDefinition = app ? { id: Buffer.from(`${app.id}##1.0.0`).toString("base64url"), teamsAppId: app.id, displayName: app.displayName, version: "1.0.0" } : null;
    }
    void chat;
    return out;
  };

  router.get("/chats/:chatId/installedApps", (req, res) => {
    const chat = chatFor(req, res);
    let apps = chat.installedApps;
    const filter = queryOption(req, "$filter");
    if (filter !== undefined) {
      const m = /^\s*teamsApp\/(id|externalId)\s+eq\s+'([^']*)'\s*$/i.exec(filter);
      if (!m) throw badRequest(`Unsupported $filter '${filter}': use teamsApp/id eq '…' or teamsApp/externalId eq '…'.`);
      apps = apps.filter((i) => {
        const app = catalog.find(i.catalogAppId);
        const v = m[1]!.toLowerCase() === "id" ? app?.id : app?.externalId;
        return (v ?? "").toLowerCase() === m[2]!.toLowerCase();
      });
    }
    res.json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/installedApps`, value: apps.map((i) => installationJson(chat, i, req)) });
  });

  router.get("/chats/:chatId/installedApps/:installationId", (req, res) => {
    const chat = chatFor(req, res);
    const inst = chat.installedApps.find((i) => i.id === req.params.installationId);
    if (!inst) throw new GraphError(404, "NotFound", "The app installation was not found.");
    res.json(installationJson(chat, inst, req));
  });

  router.post("/chats/:chatId/installedApps", (req, res) => {
    ctx.validateBody("microsoft.graph.teamsAppInstallation", req.body);
    const chat = chatFor(req, res);
    const catalogAppId = bindTarget(req.body as Record<string, unknown>);
    if (chat.installedApps.some((i) => i.catalogAppId === catalogAppId)) {
      throw new GraphError(409, "Conflict", "The app is already installed in this chat.");
    }
    chat.installedApps.push({ id: Buffer.from(`${chat.id}##${catalogAppId}`).toString("base64url"), catalogAppId });
    touch(chat);
    // Graph answers 201 with no body here; read installedApps to get the installation.
    res.status(201).end();
  });

  router.delete("/chats/:chatId/installedApps/:installationId", (req, res) => {
    const chat = chatFor(req, res);
    const i = chat.installedApps.findIndex((x) => x.id === req.params.installationId);
    if (i < 0) throw new GraphError(404, "NotFound", "The app installation was not found.");
    const [removed] = chat.installedApps.splice(i, 1);
    chat.tabs = chat.tabs.filter((t) => t.catalogAppId !== removed!.catalogAppId);
    res.status(204).end();
  });

  // --- tabs -----------------------------------------------------------------------------
  const tabJson = (tab: ChatTab, req: express.Request) => {
    const out: Record<string, unknown> = { id: tab.id, displayName: tab.displayName, webUrl: tab.webUrl, configuration: { ...tab.configuration } };
    if (expands(req).includes("teamsapp")) out.teamsApp = appJson(tab.catalogAppId);
    return out;
  };

  router.get("/chats/:chatId/tabs", (req, res) => {
    const chat = chatFor(req, res);
    res.json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/tabs`, value: chat.tabs.map((t) => tabJson(t, req)) });
  });

  router.get("/chats/:chatId/tabs/:tabId", (req, res) => {
    const chat = chatFor(req, res);
    const tab = chat.tabs.find((t) => t.id === req.params.tabId);
    if (!tab) throw new GraphError(404, "NotFound", "The tab was not found.");
    res.json(tabJson(tab, req));
  });

  router.post("/chats/:chatId/tabs", (req, res) => {
    ctx.validateBody("microsoft.graph.teamsTab", req.body);
    const chat = chatFor(req, res);
    const body = req.body as { displayName?: unknown; configuration?: Record<string, unknown> | null };
    const catalogAppId = bindTarget(req.body as Record<string, unknown>);
    if (!chat.installedApps.some((i) => i.catalogAppId === catalogAppId)) {
      throw new GraphError(404, "NotFound", "The Teams app is not installed in this chat: install it (POST /chats/{id}/installedApps) before adding its tab.");
    }
    if (typeof body.displayName !== "string" || body.displayName.trim() === "") throw badRequest("A tab needs a displayName.");
    const cfg = body.configuration ?? {};
    const str = (k: string) => (typeof cfg[k] === "string" ? (cfg[k] as string) : null);
    if (!str("contentUrl")) throw badRequest("A tab needs configuration.contentUrl.");
    const tab: ChatTab = {
      id: randomUUID(),
      displayName: body.displayName,
      catalogAppId,
      configuration: { entityId: str("entityId"), contentUrl: str("contentUrl"), websiteUrl: str("websiteUrl"), removeUrl: str("removeUrl") },
      webUrl: "",
    };
    tab.webUrl = `https://teams.microsoft.com/l/entity/${catalogAppId}/_djb2_msteams_prefix_${tab.id}?webUrl=${encodeURIComponent(tab.configuration.websiteUrl ?? "")}&label=${encodeURIComponent(tab.displayName)}`;
    chat.tabs.push(tab);
    touch(chat);
    res.status(201).json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/tabs/$entity`, ...tabJson(tab, req) });
  });

  router.delete("/chats/:chatId/tabs/:tabId", (req, res) => {
    const chat = chatFor(req, res);
    const i = chat.tabs.findIndex((t) => t.id === req.params.tabId);
    if (i < 0) throw new GraphError(404, "NotFound", "The tab was not found.");
    chat.tabs.splice(i, 1);
    res.status(204).end();
  });

  // --- messages -------------------------------------------------------------------------
  const messageJson = (chat: ChatRecord, m: ChatMessageRecord) => {
    const sender = ctx.directory.find(m.senderId);
    return {
      id: m.id,
      replyToId: null,
      etag: m.id,
      messageType: "message",
      createdDateTime: m.createdDateTime,
      lastModifiedDateTime: m.createdDateTime,
      lastEditedDateTime: null,
      deletedDateTime: null,
      subject: null,
      summary: null,
      chatId: chat.id,
      importance: "normal",
      locale: "en-us",
      webUrl: null,
      channelIdentity: null,
      policyViolation: null,
      eventDetail: null,
      from: {
        application: null,
        device: null,
        user: { "@odata.type": "#microsoft.graph.teamworkUserIdentity", id: m.senderId, displayName: sender?.displayName ?? null, userIdentityType: "aadUser", tenantId: ctx.tenantId },
      },
      body: { ...m.body },
      attachments: m.attachments.map((a) => ({ ...a })),
      mentions: [],
      reactions: [],
      messageHistory: [],
    };
  };
  let lastMessageId = 0;

  router.get("/chats/:chatId/messages", (req, res) => {
    const chat = chatFor(req, res);
    const top = Math.min(Math.max(Number(queryOption(req, "$top") ?? 50) || 50, 1), 50);
    // Newest first, as Graph lists chat messages.
    const value = [...chat.messages].reverse().slice(0, top).map((m) => messageJson(chat, m));
    res.json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/messages`, "@odata.count": value.length, value });
  });

  router.get("/chats/:chatId/messages/:messageId", (req, res) => {
    const chat = chatFor(req, res);
    const m = chat.messages.find((x) => x.id === req.params.messageId);
    if (!m) throw new GraphError(404, "NotFound", "The message was not found.");
    res.json(messageJson(chat, m));
  });

  router.post("/chats/:chatId/messages", (req, res) => {
    const l = locals(res);
    if (l.appOnly) {
      // Graph refuses app-only chat messages outside migration; a member must send (delegated ChatMessage.Send).
      throw new GraphError(401, "Unauthorized", "Message POST is allowed in application-only context only for import purposes. Refer to https://docs.microsoft.com/microsoftteams/platform/graph-api/import-messages/import-external-messages-to-teams for more details.");
    }
    const chat = chatFor(req, res);
    ctx.validateBody("microsoft.graph.chatMessage", req.body);
    const body = req.body as { body?: { contentType?: string; content?: string | null }; attachments?: Array<Record<string, unknown>> };
    const content = body.body?.content;
    if (typeof content !== "string" || content.trim() === "") throw badRequest("Missing message body content.");
    const contentType = (body.body?.contentType ?? "text").toLowerCase() === "html" ? "html" : "text";
    const attachments = body.attachments ?? [];
    const referenced = referencedAttachmentIds(content);
    if (attachments.length > 0 && contentType !== "html") throw badRequest("Messages with attachments need body.contentType 'html' to reference them with <attachment id=\"…\"></attachment>.");
    const ids = new Set<string>();
    for (const a of attachments) {
      const id = typeof a.id === "string" ? a.id : "";
      if (!id) throw badRequest("Every attachment needs an id.");
      if (ids.has(id)) throw badRequest(`Duplicate attachment id '${id}'.`);
      ids.add(id);
      if (!referenced.includes(id)) throw badRequest(`Attachment '${id}' is not referenced in the message body: add <attachment id="${id}"></attachment>.`);
      if (a.contentType === ADAPTIVE_CARD_CONTENT_TYPE) checkAdaptiveCard(a.content, id);
      else if (typeof a.contentType !== "string" || (a.contentType !== "reference" && !a.contentUrl)) throw badRequest(`Attachment '${id}': unsupported contentType '${String(a.contentType)}'.`);
    }
    for (const id of referenced) if (!ids.has(id)) throw badRequest(`The message body references attachment '${id}', which is not in attachments.`);

    lastMessageId = Math.max(lastMessageId + 1, ctx.now().getTime());
    const str = (v: unknown) => (typeof v === "string" ? v : null);
    const record: ChatMessageRecord = {
      id: String(lastMessageId),
      senderId: l.callerId!,
      createdDateTime: new Date(ctx.now()).toISOString(),
      body: { contentType, content },
      attachments: attachments.map((a) => ({
        id: String(a.id),
        contentType: String(a.contentType),
        content: str(a.content),
        contentUrl: str(a.contentUrl),
        name: str(a.name),
        thumbnailUrl: str(a.thumbnailUrl),
        teamsAppId: str(a.teamsAppId),
      })),
    };
    chat.messages.push(record);
    touch(chat);
    res.status(201).setHeader("ETag", etag());
    res.json({ "@odata.context": `${CONTEXT}#chats('${chat.id}')/messages/$entity`, ...messageJson(chat, record) });
  });
  return router;
}
