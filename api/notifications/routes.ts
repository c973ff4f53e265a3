import { z } from "zod";
import { defineRoute, type ApiRoutes } from "../http";
import { NotificationBatchSchema, WebhookQuerySchema } from "./schemas";
import { WEBHOOK_PATH, type NotificationsService } from "./service";

/**
 * Graph's webhook (change and lifecycle notifications). No bearer token: Graph authenticates by
 * echoing the validation token at subscription time and by the per-subscription clientState on
 * every notification. Always 202 for a batch, even when items are ignored: any other answer makes
 * Graph retry, and a forged request must learn nothing.
 */
export function registerNotificationRoutes(api: ApiRoutes, service: NotificationsService): void {
  defineRoute(api, {
    method: "post",
    path: WEBHOOK_PATH,
    operationId: "receiveGraphNotifications",
    summary: "Microsoft Graph change and lifecycle notifications (and the subscription validation handshake)",
    tags: ["notifications"],
    auth: false,
    request: { query: WebhookQuerySchema, body: NotificationBatchSchema },
    responses: {
      200: { schema: z.string(), contentType: "text/plain", description: "The validation token, echoed (subscription handshake)." },
      202: null,
    },
    handler: async ({ query, body }) => {
      // Express has already URL-decoded the token; Graph wants it back exactly, as text/plain, within 10 s.
      if (query.validationToken !== undefined) return { status: 200, body: query.validationToken };
      await service.accept(body.value);
      return { status: 202 };
    },
  });
}
