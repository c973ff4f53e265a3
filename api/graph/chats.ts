import type { ChatMessage, TeamsTab } from "@microsoft/microsoft-graph-types";
import { z } from "zod";
import { readBatchItemOrThrow, type BatchRequest, type BatchResult } from "./batch";
import { odataQuery, odataString } from "./calendar";
import type { GraphClient } from "./types";

/**
 * Teams chat operations (platform-facts "Put the app into the meeting chat"): resolve our app in
 * the tenant catalog, install it in a chat, add its tab, post a message as the signed-in member.
 */

/** Graph resolves `@odata.bind` URLs itself; the host is always graph.microsoft.com, whatever our base URL. */
export function teamsAppBind(catalogAppId: string): string {
  return `https://graph.microsoft.com/v1.0/appCatalogs/teamsApps/${catalogAppId}`;
}

const CatalogAppSchema = z.object({ id: z.string().min(1), externalId: z.string().nullish(), displayName: z.string().nullish() });

/** `GET /appCatalogs/teamsApps?$filter=externalId eq '<manifest id>'`: an org app's catalog id differs from its manifest id. */
export function findCatalogAppRequest(id: string, manifestId: string): BatchRequest {
  return { id, method: "GET", url: `/appCatalogs/teamsApps${odataQuery({ $filter: `externalId eq ${odataString(manifestId)}` })}` };
}

/** The catalog id, or undefined when the app is not published to the tenant. */
export function readCatalogApp(result: BatchResult): string | undefined {
  return readBatchItemOrThrow(result, z.object({ value: z.array(CatalogAppSchema) }), "GET /appCatalogs/teamsApps").value[0]?.id;
}

/** `POST /chats/{id}/installedApps` (201, no body; 409 when installed already). */
export function installAppRequest(id: string, chatId: string, catalogAppId: string): BatchRequest {
  return { id, method: "POST", url: `/chats/${encodeURIComponent(chatId)}/installedApps`, body: { "teamsApp@odata.bind": teamsAppBind(catalogAppId) } };
}

/** Installed (now or before): 2xx or 409 Conflict. Throws for anything else. */
export function readInstallResult(result: BatchResult): void {
  if (result.status === 409) return;
  readBatchItemOrThrow(result, z.unknown(), "POST /chats/{id}/installedApps");
}

export async function isAppInstalled(graph: GraphClient, chatId: string, catalogAppId: string): Promise<boolean> {
  const path = `/chats/${encodeURIComponent(chatId)}/installedApps${odataQuery({ $filter: `teamsApp/id eq ${odataString(catalogAppId)}` })}`;
  const page = await graph.get(path, z.object({ value: z.array(z.object({ id: z.string() })) }));
  return page.value.length > 0;
}

export interface TabSpec {
  displayName: string;
  entityId: string;
  contentUrl: string;
  websiteUrl: string;
}

/** `POST /chats/{id}/tabs` for our app (which must be installed in the chat first). */
export function addTabRequest(id: string, chatId: string, catalogAppId: string, tab: TabSpec, dependsOn?: string[]): BatchRequest {
  const body: TeamsTab & { "teamsApp@odata.bind": string } = {
    displayName: tab.displayName,
    "teamsApp@odata.bind": teamsAppBind(catalogAppId),
    configuration: { entityId: tab.entityId, contentUrl: tab.contentUrl, websiteUrl: tab.websiteUrl },
  };
  return { id, method: "POST", url: `/chats/${encodeURIComponent(chatId)}/tabs`, body, ...(dependsOn ? { dependsOn } : {}) };
}

export function readTabResult(result: BatchResult): { id: string } {
  return readBatchItemOrThrow(result, z.object({ id: z.string().min(1) }), "POST /chats/{id}/tabs");
}

/** Our tabs in a chat (entityId tells which circle each belongs to). */
export async function listAppTabs(graph: GraphClient, chatId: string, catalogAppId: string): Promise<Array<{ id: string; entityId: string | null }>> {
  const Tab = z.object({ id: z.string(), configuration: z.object({ entityId: z.string().nullish() }).nullish(), teamsApp: z.object({ id: z.string() }).nullish() });
  const page = await graph.get(`/chats/${encodeURIComponent(chatId)}/tabs${odataQuery({ $expand: "teamsApp" })}`, z.object({ value: z.array(Tab) }));
  return page.value.filter((t) => t.teamsApp?.id === catalogAppId).map((t) => ({ id: t.id, entityId: t.configuration?.entityId ?? null }));
}

/** `POST /chats/{id}/messages` with an HTML body (already escaped), sent as the signed-in member. */
export function postMessageRequest(id: string, chatId: string, html: string): BatchRequest {
  const body: ChatMessage = { body: { contentType: "html", content: html } };
  return { id, method: "POST", url: `/chats/${encodeURIComponent(chatId)}/messages`, body };
}

export function readMessageResult(result: BatchResult): { id: string } {
  return readBatchItemOrThrow(result, z.object({ id: z.string().min(1) }), "POST /chats/{id}/messages");
}

/** The newest messages of a chat (up to 50), to check whether ours was posted before a crash. */
export async function listRecentMessages(graph: GraphClient, chatId: string): Promise<Array<{ id: string; html: string }>> {
  const Message = z.object({ id: z.string(), body: z.object({ content: z.string().nullish() }).nullish() });
  const page = await graph.get(`/chats/${encodeURIComponent(chatId)}/messages${odataQuery({ $top: "50" })}`, z.object({ value: z.array(Message) }));
  return page.value.map((m) => ({ id: m.id, html: m.body?.content ?? "" }));
}
