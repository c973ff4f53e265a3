import { z } from "zod";
import { WEEKDAYS } from "./week-availability";

const ClockSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, "use HH:mm");

/** Working hours in the person's own IANA zone (mailboxSettings.workingHours, zone converted upstream). */
export const LocalWorkingHoursSchema = z.object({
  daysOfWeek: z.array(z.enum(WEEKDAYS)).max(7),
  startTime: ClockSchema,
  endTime: ClockSchema,
});

/** One enrolled person, as circle formation sees them. Nothing here is shown to other members. */
export const PoolMemberSchema = z.object({
  /** Directory id (or UPN): only used to tell people apart and to find managers. */
  id: z.string().min(1).max(256),
  /** IANA zone, e.g. "Europe/London". */
  timeZone: z.string().min(1).max(64),
  department: z.string().max(256).nullish(),
  /** Job level or grade; compared for equality only. */
  level: z.union([z.string().max(64), z.number()]).nullish(),
  /** Direct manager's id (Graph /users/{id}/manager). */
  managerId: z.string().max(256).nullish(),
  /** Manager's manager, when the manager is not in the pool (otherwise it is looked up there). */
  skipLevelManagerId: z.string().max(256).nullish(),
  /** Wins over tenureMonths when given. */
  isNewcomer: z.boolean().optional(),
  tenureMonths: z.number().min(0).optional(),
  /** Defaults to Monday–Friday 09:00–17:00 local. */
  workingHours: LocalWorkingHoursSchema.optional(),
  /** Free-form attributes a program can cluster by (skill, goal …). */
  attributes: z.record(z.string(), z.string().max(256)).optional(),
});
export type PoolMember = z.input<typeof PoolMemberSchema>;

/**
 * Circle size: "pairs" (circles of 2), or 3–8 members with a preferred size. `target` defaults to
 * the middle of the range rounded up (6 for 3–8).
 */
export const CircleSizeSchema = z.union([
  z.literal("pairs"),
  z
    .object({ min: z.int().min(3).max(8), max: z.int().min(3).max(8), target: z.int().min(3).max(8).optional() })
    .refine((s) => s.min <= s.max, "min must not exceed max")
    .refine((s) => s.target === undefined || (s.target >= s.min && s.target <= s.max), "target must lie between min and max"),
]);
export type CircleSize = z.infer<typeof CircleSizeSchema>;

export const GroupingSchema = z.discriminatedUnion("mode", [
  /** Mix departments and levels in every circle (the default). */
  z.object({ mode: z.literal("mix") }),
  /** Put people who share a value together: "department", "level", or a key of `attributes`. */
  z.object({ mode: z.literal("cluster"), attribute: z.string().min(1).max(64) }),
]);
export type Grouping = z.infer<typeof GroupingSchema>;

export const FormCirclesOptionsSchema = z.object({
  /** Same pool + same seed ⇒ same circles; change the seed to get another proposal. */
  seed: z.union([z.string().max(256), z.int()]),
  size: CircleSizeSchema,
  grouping: GroupingSchema.default({ mode: "mix" }),
  /** The program's first day: daylight saving is considered over the year from here. */
  startsOn: z.iso.date(),
  /** Working time everyone in a circle shares, contiguous, all year round. */
  minSharedMinutes: z.int().min(15).max(8 * 60).default(60),
  /** Also keep people apart from their manager's manager. */
  avoidSkipLevel: z.boolean().default(false),
  /** Under this tenure (months) a person counts as a newcomer when `isNewcomer` is not given. */
  newcomerTenureMonths: z.number().min(0).max(120).default(6),
});
export type FormCirclesOptions = z.input<typeof FormCirclesOptionsSchema>;
