import { z } from "../http/zod";
import { GroupingSchema } from "./schemas";

/** Request/response schemas of the program routes (issue #5 part 5). */

const UpnSchema = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, "expected a user principal name like megan.bowen@contoso.example")
  .openapi({ example: "megan.bowen@contoso.example" });

/** Sizes as a program owner chooses them: pairs, or circles of 3–8 (no preferred size here). */
export const ProgramSizeSchema = z
  .union([
    z.literal("pairs"),
    z
      .object({ min: z.number().int().min(3).max(8), max: z.number().int().min(3).max(8) })
      .refine((s) => s.min <= s.max, "min must not exceed max"),
  ])
  .openapi({ description: '"pairs", or { min, max } for circles of 3–8 people' });
export type ProgramSize = z.infer<typeof ProgramSizeSchema>;

export const CreateProgramBodySchema = z
  .object({
    purpose: z.string().trim().min(1).max(500),
    durationWeeks: z.number().int().min(1).max(104),
    formatIds: z.array(z.string().trim().min(1).max(64)).min(1).max(7),
    size: ProgramSizeSchema,
  })
  .openapi("CreateProgram");
export type CreateProgramBody = z.infer<typeof CreateProgramBodySchema>;

/** Either a list of UPNs or a CSV whose header row has a `upn` column. */
export const EnrolBodySchema = z
  .union([z.object({ upns: z.array(UpnSchema).min(1).max(500) }).strict(), z.object({ csv: z.string().min(1).max(200_000) }).strict()])
  .openapi("EnrolPeople");
export type EnrolBody = z.infer<typeof EnrolBodySchema>;

export const FormProgramBodySchema = z
  .object({
    seed: z.union([z.string().max(256), z.number().int()]).optional().openapi({ description: "Change it to get another proposal; default: the program id" }),
    grouping: GroupingSchema.optional(),
    startsOn: z.iso.date().optional().openapi({ description: "The program's first day (YYYY-MM-DD); default: today" }),
  })
  .openapi("FormProgramCircles");
export type FormProgramBody = z.infer<typeof FormProgramBodySchema>;

export const AdjustProgramBodySchema = z
  .object({
    personId: z.string().min(1).max(256).openapi({ description: "Entra object id of the enrolled person to move" }),
    toCircle: z.number().int().min(0).max(10_000).openapi({ description: "Index of the draft circle to move them into" }),
  })
  .openapi("AdjustProgramCircles");
export type AdjustProgramBody = z.infer<typeof AdjustProgramBodySchema>;

export const BookProgramBodySchema = z
  .object({
    startOn: z.iso.date().openapi({ description: "First day sessions may start (YYYY-MM-DD, in the future)" }),
  })
  .openapi("BookProgram");
export type BookProgramBody = z.infer<typeof BookProgramBodySchema>;

export const ProgramParamsSchema = z.object({ programId: z.string().min(1).max(64) });

const PersonRefSchema = z.object({ id: z.string(), upn: z.string(), displayName: z.string() });

const ExplanationSchema = z.object({
  summary: z.string(),
  sharedHours: z.object({ minutesPerWeek: z.number(), longestMinutes: z.number(), startUtc: z.string(), endUtc: z.string(), daysUtc: z.array(z.string()) }),
  departments: z.number(),
  levels: z.number(),
  newcomers: z.number(),
  seasoned: z.number(),
  cluster: z.object({ attribute: z.string(), value: z.string().nullable() }).optional(),
  notes: z.array(z.string()),
});

/** Stored draft (JSON text in programs.draft) and its API view share this shape. */
export const DraftSchema = z.object({
  circles: z.array(z.object({ memberIds: z.array(z.string()), explanation: ExplanationSchema })),
  unplaced: z.array(z.object({ id: z.string(), reason: z.object({ code: z.string(), message: z.string() }) })),
  /** Manager of each pooled person (id → manager id), for re-checking adjustments. */
  managers: z.record(z.string(), z.string()),
});
export type Draft = z.infer<typeof DraftSchema>;

export const CohortBookingSchema = z
  .object({
    jobId: z.string(),
    status: z.enum(["running", "succeeded", "failed"]),
    progress: z.object({ done: z.number().int(), total: z.number().int() }).openapi({ description: "Booked circles over all circles" }),
    circles: z.array(z.object({ circleId: z.string(), jobId: z.string().nullable(), status: z.enum(["queued", "running", "succeeded", "failed"]) })),
    created: z.number().int().optional().openapi({ description: "Circles created so far (each is then booked)" }),
    error: z.object({ code: z.string(), message: z.string() }).optional().openapi({ description: "Why the booking stopped and what to do (status failed)" }),
    note: z.object({ code: z.string(), message: z.string() }).optional().openapi({ description: "What a running booking waits for, e.g. the owner's sign-in after a restart" }),
  })
  .openapi("CohortBooking");
export type CohortBooking = z.infer<typeof CohortBookingSchema>;

export const ProgramViewSchema = z
  .object({
    id: z.string(),
    ownerId: z.string(),
    purpose: z.string(),
    durationWeeks: z.number().int(),
    formatIds: z.array(z.string()),
    size: ProgramSizeSchema,
    enrolled: z.array(PersonRefSchema),
    draft: z
      .object({
        circles: z.array(z.object({ members: z.array(PersonRefSchema), explanation: ExplanationSchema })),
        unplaced: z.array(z.object({ person: PersonRefSchema, reason: z.object({ code: z.string(), message: z.string() }) })),
      })
      .nullable(),
    booking: CohortBookingSchema.nullable(),
    createdAt: z.string(),
  })
  .openapi("Program");
export type ProgramView = z.infer<typeof ProgramViewSchema>;

export const EnrolResultSchema = z
  .object({
    enrolled: z.array(PersonRefSchema).openapi({ description: "People newly enrolled by this request" }),
    rejected: z.array(z.object({ upn: z.string(), reason: z.string() })),
    program: ProgramViewSchema,
  })
  .openapi("EnrolResult");
export type EnrolResult = z.infer<typeof EnrolResultSchema>;

export const BookProgramResultSchema = z.object({ jobId: z.string() }).openapi("BookProgramResult");
