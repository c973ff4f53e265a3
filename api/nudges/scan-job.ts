import type { JobHandler } from "../jobs";
import { NudgeScanPayloadSchema, type NudgeScanPayload } from "./schemas";
import { NUDGE_SCAN_JOB_TYPE, NUDGE_SCAN_STEPS, type NudgeScheduler } from "./scheduler";

/** The recurring nudge scan: sends what is due, then queues the next scan itself (scheduler.ts). */
export function createNudgeScanHandler(scheduler: NudgeScheduler): JobHandler<NudgeScanPayload> {
  return {
    type: NUDGE_SCAN_JOB_TYPE,
    payloadSchema: NudgeScanPayloadSchema,
    steps: NUDGE_SCAN_STEPS,
    async run(ctx) {
      await ctx.begin("scan");
      await ctx.done("scan", await scheduler.scan());
    },
  };
}
