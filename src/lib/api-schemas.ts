import { z } from "zod";

// Response shapes of the API endpoints the front end reads. Parsed at the boundary so a
// contract drift shows up as one clear error instead of `undefined` deep in a component.

export const healthSchema = z.object({
  status: z.literal("ok"),
  mode: z.enum(["sandbox", "microsoft365"]),
  storage: z.string(),
  graphBaseUrl: z.string().optional(),
  sandboxUrl: z.string().optional(),
  version: z.string().optional(),
});
export type Health = z.infer<typeof healthSchema>;

export const meSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  mail: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
  department: z.string().nullable().optional(),
  /** IANA zone, e.g. "Europe/Berlin". */
  timeZone: z.string(),
});
export type Me = z.infer<typeof meSchema>;

export const circleSummarySchema = z.object({
  id: z.string(),
  name: z.string(),
  purpose: z.string().nullable().optional(),
  cadence: z.string(),
  sessionMinutes: z.number(),
  memberCount: z.number(),
  timeZone: z.string(),
});
export type CircleSummary = z.infer<typeof circleSummarySchema>;

export const circlesSchema = z.object({ circles: z.array(circleSummarySchema) });

export const errorEnvelopeSchema = z.object({
  error: z.object({ code: z.string(), message: z.string() }),
});
