import { z } from "zod";

/** The webhook's query: Graph's validation handshake sends `?validationToken=…` (URL-encoded). */
export const WebhookQuerySchema = z.object({ validationToken: z.string().max(1024).optional() });

/** A notification batch; each item is parsed on its own so one odd item does not drop the rest. */
export const NotificationBatchSchema = z.object({ value: z.array(z.unknown()).default([]) });

/** The fields we read from a change or lifecycle notification item (Graph `changeNotification`). */
export const NotificationItemSchema = z.object({
  subscriptionId: z.string().min(1),
  clientState: z.string().nullish(),
  changeType: z.enum(["created", "updated", "deleted"]).optional(),
  lifecycleEvent: z.enum(["reauthorizationRequired", "subscriptionRemoved", "missed"]).optional(),
  tenantId: z.string().optional(),
});
export type NotificationItem = z.infer<typeof NotificationItemSchema>;

/** What we read back from `POST/PATCH /subscriptions`. */
export const GraphSubscriptionSchema = z.object({ id: z.string().min(1), expirationDateTime: z.string().min(1) });

/** A member's calendar changed (or a notification was missed): resync and look for overrides. */
export const CalendarChangedPayloadSchema = z.object({ tenantId: z.string().min(1), userId: z.string().min(1) });
export type CalendarChangedPayload = z.infer<typeof CalendarChangedPayloadSchema>;

/** Renew one subscription (reauthorizationRequired) or, without an id, every one nearing expiry. */
export const RenewalPayloadSchema = z.object({ subscriptionId: z.string().min(1).optional() });
export type RenewalPayload = z.infer<typeof RenewalPayloadSchema>;

/** The calendar fields override detection reads. */
export const ViewEventSchema = z.object({
  id: z.string().min(1),
  subject: z.string().nullish(),
  start: z.object({ dateTime: z.string(), timeZone: z.string().nullish() }),
  end: z.object({ dateTime: z.string(), timeZone: z.string().nullish() }),
  showAs: z.string().nullish(),
  isCancelled: z.boolean().nullish(),
  categories: z.array(z.string()).nullish(),
  createdDateTime: z.string().nullish(),
  lastModifiedDateTime: z.string().nullish(),
});
