import { z } from "zod";
import { DAYS_OF_WEEK, WEEK_INDEXES } from "./expand-recurrence.js";

/**
 * The parts of Graph request bodies the calendar reads. Unknown properties are rejected before
 * this by `ctx.validateBody` (against the OpenAPI subset); these schemas give the values types.
 * Graph reads enum members case-insensitively ("Monday" works), so enums are lower-cased first.
 */

const lowerEnum = <T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess((v) => (typeof v === "string" ? v.charAt(0).toLowerCase() + v.slice(1) : v), z.enum(values));

export const dayOfWeekSchema = lowerEnum(DAYS_OF_WEEK);

export const dateTimeTimeZoneSchema = z.object({
  dateTime: z.string(),
  timeZone: z.string().nullish(),
});
export type DateTimeTimeZone = z.infer<typeof dateTimeTimeZoneSchema>;

export const emailAddressSchema = z.object({
  address: z.string().nullish(),
  name: z.string().nullish(),
});

export const attendeeInputSchema = z.object({
  emailAddress: emailAddressSchema,
  type: lowerEnum(["required", "optional", "resource"] as const).nullish(),
});
export type AttendeeInput = z.infer<typeof attendeeInputSchema>;

export const itemBodySchema = z.object({
  contentType: lowerEnum(["text", "html"] as const).nullish(),
  content: z.string().nullish(),
});
export type ItemBody = { contentType: "text" | "html"; content: string };

export const locationSchema = z.record(z.string(), z.unknown());

export const recurrencePatternSchema = z.object({
  type: lowerEnum(["daily", "weekly", "absoluteMonthly", "relativeMonthly", "absoluteYearly", "relativeYearly"] as const),
  interval: z.number().int().nullish(),
  daysOfWeek: z.array(dayOfWeekSchema).nullish(),
  firstDayOfWeek: dayOfWeekSchema.nullish(),
  dayOfMonth: z.number().int().nullish(),
  month: z.number().int().nullish(),
  index: lowerEnum(WEEK_INDEXES).nullish(),
});

export const recurrenceRangeSchema = z.object({
  type: lowerEnum(["endDate", "noEnd", "numbered"] as const),
  startDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, "startDate must be YYYY-MM-DD"),
  endDate: z.string().nullish(),
  numberOfOccurrences: z.number().int().nullish(),
  recurrenceTimeZone: z.string().nullish(),
});

export const patternedRecurrenceSchema = z.object({
  pattern: recurrencePatternSchema,
  range: recurrenceRangeSchema,
});

export const freeBusyStatusSchema = lowerEnum(["unknown", "free", "tentative", "busy", "oof", "workingElsewhere"] as const);
export type FreeBusyStatus = z.infer<typeof freeBusyStatusSchema>;

export const openTypeExtensionSchema = z
  .object({
    "@odata.type": z.string().optional(),
    extensionName: z.string().min(1),
  })
  .catchall(z.unknown());

/**
 * singleValueLegacyExtendedProperty: `id` is "{type} {guid} Name {name}", "{type} {guid} Id 0x…"
 * or "{type} 0x…" (Graph: extended properties overview). Values travel as strings.
 */
export const singleValueExtendedPropertySchema = z.object({
  id: z
    .string()
    .regex(/^\s*[A-Za-z]+\s+(?:\{[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\}\s+(?:Name\s+\S.*|Id\s+0x[0-9A-Fa-f]+)|0x[0-9A-Fa-f]+)\s*$/, "not a valid extended property id"),
  value: z.string(),
});

/** Fields of microsoft.graph.event the sandbox acts on (create and PATCH). */
export const eventInputSchema = z.object({
  subject: z.string().nullish(),
  body: itemBodySchema.nullish(),
  start: dateTimeTimeZoneSchema.nullish(),
  end: dateTimeTimeZoneSchema.nullish(),
  isAllDay: z.boolean().nullish(),
  recurrence: patternedRecurrenceSchema.nullish(),
  attendees: z.array(attendeeInputSchema).nullish(),
  location: locationSchema.nullish(),
  locations: z.array(locationSchema).nullish(),
  showAs: freeBusyStatusSchema.nullish(),
  categories: z.array(z.string()).nullish(),
  importance: lowerEnum(["low", "normal", "high"] as const).nullish(),
  sensitivity: lowerEnum(["normal", "personal", "private", "confidential"] as const).nullish(),
  isOnlineMeeting: z.boolean().nullish(),
  onlineMeetingProvider: lowerEnum(["unknown", "skypeForBusiness", "skypeForConsumer", "teamsForBusiness"] as const).nullish(),
  isReminderOn: z.boolean().nullish(),
  reminderMinutesBeforeStart: z.number().int().nullish(),
  responseRequested: z.boolean().nullish(),
  allowNewTimeProposals: z.boolean().nullish(),
  hideAttendees: z.boolean().nullish(),
  transactionId: z.string().nullish(),
  extensions: z.array(openTypeExtensionSchema).nullish(),
  singleValueExtendedProperties: z.array(singleValueExtendedPropertySchema).nullish(),
});
export type EventInput = z.infer<typeof eventInputSchema>;

export const responseBodySchema = z
  .object({
    comment: z.string().nullish(),
    sendResponse: z.boolean().nullish(),
  })
  .nullish();

export const cancelBodySchema = z.object({ comment: z.string().nullish() }).nullish();

/** getSchedule takes its parameters in any casing (the OpenAPI document spells them Pascal). */
export const getScheduleBodySchema = z.object({
  schedules: z.array(z.string()),
  startTime: dateTimeTimeZoneSchema,
  endTime: dateTimeTimeZoneSchema,
  availabilityViewInterval: z.number().int().nullish(),
});
export type GetScheduleBody = z.infer<typeof getScheduleBodySchema>;
