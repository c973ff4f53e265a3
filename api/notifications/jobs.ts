import type { JobHandler } from "../jobs";
import { CalendarChangedPayloadSchema, RenewalPayloadSchema, type CalendarChangedPayload, type RenewalPayload } from "./schemas";
import { CALENDAR_CHANGED_JOB_TYPE, CALENDAR_CHANGED_STEPS, SUBSCRIPTION_RENEWAL_JOB_TYPE, SUBSCRIPTION_RENEWAL_STEPS, type NotificationsService } from "./service";

/** Resync + override detection after a change notification. Idempotent: sync is plan + diff, an override is recorded (and nudged) once. */
export function createCalendarChangedHandler(service: NotificationsService): JobHandler<CalendarChangedPayload> {
  return {
    type: CALENDAR_CHANGED_JOB_TYPE,
    payloadSchema: CalendarChangedPayloadSchema,
    steps: CALENDAR_CHANGED_STEPS,
    async run(ctx) {
      await ctx.begin("resync");
      const result = await service.calendarChanged(ctx.payload);
      await ctx.done("resync", result ?? { skipped: "no sign-in" });
    },
  };
}

/** Renews subscriptions before Graph lets them expire (a sweep requeues itself). */
export function createSubscriptionRenewalHandler(service: NotificationsService): JobHandler<RenewalPayload> {
  return {
    type: SUBSCRIPTION_RENEWAL_JOB_TYPE,
    payloadSchema: RenewalPayloadSchema,
    steps: SUBSCRIPTION_RENEWAL_STEPS,
    async run(ctx) {
      await ctx.begin("renew");
      await service.renewSubscriptions(ctx.payload.subscriptionId);
      await ctx.done("renew");
    },
  };
}
