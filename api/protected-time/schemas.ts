import { z } from "../http/zod";

const MinutesSchema = z.int().min(0).max(120);

export const ProtectedTimeSettingsBodySchema = z
  .object({
    optOut: z.boolean().openapi({ description: "No prep or reflection blocks for this circle" }),
    prepMinutes: MinutesSchema.openapi({ description: "Prep before each session (0 = none)", example: 15 }),
    reflectionMinutes: MinutesSchema.openapi({ description: "Reflection after each session (0 = none)", example: 10 }),
  })
  .strict()
  .openapi("ProtectedTimeSettingsBody");
export type ProtectedTimeSettingsBody = z.infer<typeof ProtectedTimeSettingsBodySchema>;

export const ProtectedBlockViewSchema = z
  .object({
    occurrenceKey: z.string().openapi({ description: "The session's slot in the series (original start, UTC)" }),
    kind: z.enum(["prep", "reflection"]),
    start: z.string(),
    end: z.string(),
  })
  .openapi("ProtectedBlockView");

export const ProtectedTimeViewSchema = z
  .object({
    circleId: z.string(),
    optOut: z.boolean(),
    prepMinutes: z.int(),
    reflectionMinutes: z.int(),
    mode: z.enum(["delegated", "application"]).openapi({ description: "delegated: blocks are written when you open the app; application: at booking, for every member" }),
    blocks: z.array(ProtectedBlockViewSchema).openapi({ description: "Upcoming blocks on your calendar for this circle, as last synced" }),
  })
  .openapi("ProtectedTimeView");
export type ProtectedTimeView = z.infer<typeof ProtectedTimeViewSchema>;

export const CircleSyncResultSchema = z
  .object({
    circleId: z.string(),
    status: z.enum(["synced", "optedOut", "notBooked", "seriesNotFound", "failed"]),
    created: z.int(),
    updated: z.int(),
    deleted: z.int(),
    blocks: z.int().openapi({ description: "Upcoming blocks for the circle on your calendar now" }),
    error: z.object({ code: z.string(), message: z.string() }).optional(),
  })
  .openapi("CircleSyncResult");
export type CircleSyncResult = z.infer<typeof CircleSyncResultSchema>;

export const SyncResultSchema = z.object({ circles: z.array(CircleSyncResultSchema) }).openapi("ProtectedTimeSyncResult");
export type SyncResult = z.infer<typeof SyncResultSchema>;

export const SyncJobPayloadSchema = z.object({ tenantId: z.string().min(1), circleId: z.string().min(1) });
export type SyncJobPayload = z.infer<typeof SyncJobPayloadSchema>;
