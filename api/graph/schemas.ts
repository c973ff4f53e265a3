import { z } from "zod";
import { invalidResponse } from "./errors";
import { findIanaZone } from "./time-zones";

/**
 * The Graph fields we read, as zod schemas (style.md #3), and the shapes we hand out. Graph's
 * own types (@microsoft/microsoft-graph-types) stay inside api/graph/; callers get these.
 */

export const DAYS_OF_WEEK = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
export const DayOfWeekSchema = z.enum(DAYS_OF_WEEK);
export type DayOfWeek = z.infer<typeof DayOfWeekSchema>;

/** `$select` for {@link GraphProfileSchema}: `department` is not in /me's default property set. */
export const PROFILE_SELECT = "id,displayName,userPrincipalName,mail,jobTitle,department";

/** A user as Graph returns it for `$select=${PROFILE_SELECT}`; optional text fields are null when unset. */
export const GraphProfileSchema = z.object({
  id: z.string().min(1),
  displayName: z.string(),
  userPrincipalName: z.string().min(1),
  mail: z.string().nullish().transform((v) => v ?? null),
  jobTitle: z.string().nullish().transform((v) => v ?? null),
  department: z.string().nullish().transform((v) => v ?? null),
});
export type GraphProfile = z.output<typeof GraphProfileSchema>;

/** "08:00:00.0000000" (Graph's `timeOfDay`) → "08:00". */
const TimeOfDaySchema = z
  .string()
  .regex(/^([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d+)?)?$/, "expected a time of day like 08:00:00.0000000")
  .transform((v) => v.slice(0, 5));

/** workingHours as Graph sends it (mailboxSettings and getSchedule): zone is a Windows or IANA name. */
export const GraphWorkingHoursSchema = z.object({
  daysOfWeek: z.array(DayOfWeekSchema),
  startTime: TimeOfDaySchema,
  endTime: TimeOfDaySchema,
  timeZone: z.object({ name: z.string().min(1) }),
});
export type GraphWorkingHours = z.output<typeof GraphWorkingHoursSchema>;

export const GraphMailboxSettingsSchema = z.object({
  timeZone: z.string().min(1),
  workingHours: GraphWorkingHoursSchema.nullish(),
});

export interface WorkingHours {
  daysOfWeek: DayOfWeek[];
  /** Wall-clock "HH:mm" in `timeZone`. */
  startTime: string;
  endTime: string;
  /** IANA zone. */
  timeZone: string;
}

export interface MailboxSettings {
  /** IANA zone of the mailbox. */
  timeZone: string;
  /** Null when the mailbox has none configured. */
  workingHours: WorkingHours | null;
}

/**
 * Working hours with an IANA zone, or undefined when Graph's zone is unknown (Outlook sends
 * "Customized Time Zone" for user-defined DST rules).
 */
export function toWorkingHours(raw: GraphWorkingHours): WorkingHours | undefined {
  const timeZone = findIanaZone(raw.timeZone.name);
  if (timeZone === undefined) return undefined;
  return { daysOfWeek: raw.daysOfWeek, startTime: raw.startTime, endTime: raw.endTime, timeZone };
}

/**
 * Throws GraphRequestError "graph_invalid_response" when the mailbox zone is unknown: every
 * scheduling decision depends on it. An unknown working-hours zone falls back to the mailbox
 * zone, which is the zone Outlook shows working hours in unless the user customised it.
 */
export function toMailboxSettings(raw: z.output<typeof GraphMailboxSettingsSchema>, mailbox: string): MailboxSettings {
  const timeZone = findIanaZone(raw.timeZone);
  if (timeZone === undefined) {
    throw invalidResponse(`Graph returned an unknown time zone "${raw.timeZone}" in mailboxSettings for ${mailbox}.`);
  }
  const hours = raw.workingHours;
  const workingHours = hours ? (toWorkingHours(hours) ?? { daysOfWeek: hours.daysOfWeek, startTime: hours.startTime, endTime: hours.endTime, timeZone }) : null;
  return { timeZone, workingHours };
}

/** Graph's error body: `{ error: { code, message, innerError: { "request-id" } } }`, read leniently. */
export const GraphErrorBodySchema = z.object({
  error: z.object({
    code: z.string().optional(),
    message: z.string().optional(),
    innerError: z.object({ "request-id": z.string().optional() }).optional(),
  }),
});

/** One page of a Graph collection. */
export function pageSchema<T>(item: z.ZodType<T>) {
  return z.object({ value: z.array(item), "@odata.nextLink": z.string().optional() });
}
