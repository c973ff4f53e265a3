import { z } from "zod";

/**
 * One Monday-to-Sunday week of protected coaching hours, as the program health and team APIs
 * report it (api/programs/health-schemas.ts, api/team/schemas.ts).
 */
export const weeklyHoursSchema = z.object({ weekStart: z.string(), sessionHours: z.number(), prepHours: z.number(), reflectionHours: z.number(), totalHours: z.number() });
export type WeeklyHours = z.infer<typeof weeklyHoursSchema>;
