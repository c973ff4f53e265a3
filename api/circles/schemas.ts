import { z } from "../http/zod";

export const CircleSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    purpose: z.string(),
    cadence: z.string(),
    sessionMinutes: z.number().int(),
    memberCount: z.number().int().openapi({ description: "Current members (people who left are not counted)" }),
    timeZone: z.string().openapi({ description: "IANA zone the circle's series is anchored in" }),
  })
  .openapi("CircleSummary");
export type CircleSummary = z.infer<typeof CircleSummarySchema>;

export const CircleListSchema = z.object({ circles: z.array(CircleSummarySchema) }).openapi("CircleList");
