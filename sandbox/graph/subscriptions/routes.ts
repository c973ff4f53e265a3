import express from "express";
import { z } from "zod";
import type { SandboxContext } from "../../context.js";
import { SANDBOX_APP_CLIENT_ID } from "../../seed/people.js";
import { SANDBOX_APP_SERVICE_PRINCIPAL_ID } from "../../identity/tokens.js";
import { GraphError, badRequest } from "../errors.js";
import { etag, randomUUID } from "../ids.js";
import { locals } from "../locals.js";
import type { Notifier } from "./notifier.js";
import type { ChangeType, SubscriptionRecord, SubscriptionStore } from "./store.js";

/** Maximum subscription lifetime for Outlook events: 10,080 minutes (7 days). */
export const MAX_EVENT_SUBSCRIPTION_MINUTES = 10_080;
const MAX_CLIENT_STATE = 128;
const MAX_SUBSCRIPTIONS_PER_MAILBOX = 1_000;
const CHANGE_TYPES: ChangeType[] = ["created", "updated", "deleted"];
const CONTEXT = "https://graph.microsoft.com/v1.0/$metadata#subscriptions";

const CreateZ = z.object({
  changeType: z.string().min(1),
  notificationUrl: z.string().min(1),
  resource: z.string().min(1),
  expirationDateTime: z.string().min(1),
  clientState: z.string().nullish(),
  lifecycleNotificationUrl: z.string().nullish(),
});

export interface SubscriptionDeps {
  store: SubscriptionStore;
  notifier: Notifier;
}

export function subscriptionJson(s: SubscriptionRecord) {
  return {
    id: s.id,
    resource: s.resource,
    applicationId: s.applicationId,
    changeType: s.changeTypes.join(","),
    clientState: s.clientState,
    notificationUrl: s.notificationUrl,
    notificationQueryOptions: null,
    lifecycleNotificationUrl: s.lifecycleNotificationUrl,
    expirationDateTime: s.expirationDateTime,
    creatorId: s.creatorId,
    includeResourceData: false,
    latestSupportedTlsVersion: "v1_2",
    encryptionCertificate: null,
    encryptionCertificateId: null,
    notificationUrlAppId: null,
  };
}

function checkNotificationUrl(url: string, field: string): void {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new GraphError(400, "InvalidRequest", `The ${field} '${url}' is not a valid URL.`);
  }
  // Graph demands HTTPS; the sandbox also lets local http endpoints through so the product can run on a laptop.
  const local = ["localhost", "127.0.0.1", "[::1]"].includes(parsed.hostname);
  if (parsed.protocol !== "https:" && !(local && parsed.protocol === "http:")) throw new GraphError(400, "InvalidRequest", `The ${field} must be HTTPS.`);
}

/** POST/GET/PATCH/DELETE /subscriptions, with Graph's validation handshake and limits. */
export function createSubscriptionRoutes(ctx: SandboxContext, deps: SubscriptionDeps): express.Router {
  const router = express.Router();
  const { store, notifier } = deps;

  const checkExpiration = (value: string): string => {
    const t = Date.parse(value);
    if (Number.isNaN(t)) throw badRequest(`Invalid expirationDateTime '${value}'.`);
    const now = ctx.now().getTime();
    if (t <= now) throw new GraphError(400, "ExtensionError", "Subscription expiration must be in the future.");
    if (t > now + MAX_EVENT_SUBSCRIPTION_MINUTES * 60_000) {
      throw new GraphError(400, "ExtensionError", `Subscription expiration can only be ${MAX_EVENT_SUBSCRIPTION_MINUTES} minutes in the future.`);
    }
    return new Date(t).toISOString().replace(/\.\d{3}Z$/, "Z");
  };
  const visible = (res: express.Response, s: SubscriptionRecord) => {
    const l = locals(res);
    return l.appOnly ? s.creatorId === SANDBOX_APP_SERVICE_PRINCIPAL_ID : s.creatorId === l.callerId;
  };
  const findOr404 = (req: express.Request, res: express.Response) => {
    const s = store.find(String(req.params.subscriptionId));
    if (!s || !visible(res, s)) throw new GraphError(404, "ResourceNotFound", `The object '${req.params.subscriptionId}' doesn't exist.`);
    return s;
  };

  router.post("/subscriptions", async (req, res) => {
    ctx.validateBody("microsoft.graph.subscription", req.body);
    const parsed = CreateZ.safeParse(req.body);
    if (!parsed.success) throw badRequest(`Invalid subscription: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    const body = parsed.data;
    const l = locals(res);

    const changeTypes = body.changeType.split(",").map((c) => c.trim().toLowerCase());
    for (const c of changeTypes) if (!CHANGE_TYPES.includes(c as ChangeType)) throw badRequest(`Invalid changeType '${c}': use created, updated and/or deleted.`);

    const m = /^\/?(?:me|users\/([^/]+))\/(?:calendar\/)?events$/i.exec(body.resource.trim());
    if (!m) throw new GraphError(400, "InvalidRequest", `Resource '${body.resource}' is not supported by the sandbox: use /users/{id}/events or /me/events.`);
    let userId: string;
    if (m[1] === undefined) {
      if (l.appOnly || !l.callerId) throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
      userId = l.callerId;
    } else {
      const person = ctx.directory.find(decodeURIComponent(m[1]));
      if (!person) throw new GraphError(404, "ResourceNotFound", `Resource '${m[1]}' does not exist.`);
      userId = person.id;
    }
    // Delegated subscriptions reach the signed-in user's own mailbox; others need application permissions.
    if (!l.appOnly && userId !== l.callerId) throw new GraphError(403, "ExtensionError", "Access is denied: a delegated subscription can only watch the signed-in user's mailbox.");

    const expirationDateTime = checkExpiration(body.expirationDateTime);
    if (body.clientState && body.clientState.length > MAX_CLIENT_STATE) throw badRequest(`clientState is limited to ${MAX_CLIENT_STATE} characters.`);
    checkNotificationUrl(body.notificationUrl, "notificationUrl");
    if (body.lifecycleNotificationUrl) checkNotificationUrl(body.lifecycleNotificationUrl, "lifecycleNotificationUrl");
    if (store.list().filter((s) => s.userId === userId).length >= MAX_SUBSCRIPTIONS_PER_MAILBOX) {
      throw new GraphError(403, "ExtensionError", `The mailbox already has ${MAX_SUBSCRIPTIONS_PER_MAILBOX} subscriptions.`);
    }

    for (const url of [body.notificationUrl, body.lifecycleNotificationUrl]) {
      if (!url) continue;
      const result = await notifier.validateEndpoint(url);
      if (!result.ok) throw new GraphError(400, "ValidationError", result.reason ?? "Subscription validation request failed.");
    }

    const record: SubscriptionRecord = {
      id: randomUUID(),
      resource: body.resource,
      userId,
      changeTypes: changeTypes as ChangeType[],
      notificationUrl: body.notificationUrl,
      lifecycleNotificationUrl: body.lifecycleNotificationUrl ?? null,
      clientState: body.clientState ?? null,
      expirationDateTime,
      creatorId: l.appOnly ? SANDBOX_APP_SERVICE_PRINCIPAL_ID : l.callerId!,
      applicationId: SANDBOX_APP_CLIENT_ID,
    };
    store.add(record);
    res.status(201).json({ "@odata.context": `${CONTEXT}/$entity`, ...subscriptionJson(record) });
  });

  router.get("/subscriptions", (_req, res) => {
    res.json({ "@odata.context": CONTEXT, value: store.list().filter((s) => visible(res, s)).map(subscriptionJson) });
  });

  router.get("/subscriptions/:subscriptionId", (req, res) => {
    res.json({ "@odata.context": `${CONTEXT}/$entity`, ...subscriptionJson(findOr404(req, res)) });
  });

  router.patch("/subscriptions/:subscriptionId", (req, res) => {
    ctx.validateBody("microsoft.graph.subscription", req.body);
    const s = findOr404(req, res);
    const body = req.body as Record<string, unknown>;
    for (const key of Object.keys(body)) {
      if (!["expirationdatetime", "notificationurl"].includes(key.toLowerCase())) throw badRequest(`Property '${key}' cannot be updated on a subscription; only expirationDateTime and notificationUrl.`);
    }
    if (typeof body.expirationDateTime === "string") s.expirationDateTime = checkExpiration(body.expirationDateTime);
    if (typeof body.notificationUrl === "string") {
      checkNotificationUrl(body.notificationUrl, "notificationUrl");
      s.notificationUrl = body.notificationUrl;
    }
    res.json({ "@odata.context": `${CONTEXT}/$entity`, ...subscriptionJson(s) });
  });

  router.delete("/subscriptions/:subscriptionId", (req, res) => {
    store.remove(findOr404(req, res).id);
    res.status(204).end();
  });
  return router;
}

/** ctx.emitChange: one notification per matching, unexpired subscription. */
export function emitEventChange(
  deps: SubscriptionDeps & { tenantId: string; now: () => Date },
  change: { userId: string; id: string; changeType: ChangeType },
): void {
  const now = deps.now().getTime();
  for (const s of deps.store.list()) {
    if (s.userId !== change.userId || !s.changeTypes.includes(change.changeType) || Date.parse(s.expirationDateTime) <= now) continue;
    const resource = `Users/${change.userId}/Events/${change.id}`;
    void deps.notifier.send("change", s.notificationUrl, {
      value: [
        {
          subscriptionId: s.id,
          subscriptionExpirationDateTime: s.expirationDateTime,
          changeType: change.changeType,
          resource,
          resourceData: { "@odata.type": "#Microsoft.Graph.Event", "@odata.id": resource, "@odata.etag": etag(), id: change.id },
          clientState: s.clientState,
          tenantId: deps.tenantId,
        },
      ],
    });
  }
}

export type LifecycleEvent = "reauthorizationRequired" | "subscriptionRemoved" | "missed";

/** Sends a lifecycle notification (control endpoint); subscriptionRemoved also deletes the subscription. */
export async function sendLifecycle(deps: SubscriptionDeps & { tenantId: string }, id: string, lifecycleEvent: LifecycleEvent) {
  const s = deps.store.find(id);
  if (!s) return { error: "not_found" as const };
  if (!s.lifecycleNotificationUrl) return { error: "no_lifecycle_url" as const };
  const record = await deps.notifier.send("lifecycle", s.lifecycleNotificationUrl, {
    value: [
      {
        subscriptionId: s.id,
        subscriptionExpirationDateTime: s.expirationDateTime,
        tenantId: deps.tenantId,
        organizationId: deps.tenantId,
        clientState: s.clientState,
        lifecycleEvent,
        resource: s.resource,
      },
    ],
  });
  if (lifecycleEvent === "subscriptionRemoved") deps.store.remove(s.id);
  return { record };
}
