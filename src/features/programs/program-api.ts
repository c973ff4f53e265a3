import { z } from "zod";
import { weeklyHoursSchema } from "../../components/weekly-hours";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";
import { ApiError, clientErrorCodes, fallbackMessage } from "../../lib/api-error";
import { errorEnvelopeSchema } from "../../lib/api-schemas";

// The program owner's API (api/programs/routes.ts and health-routes.ts), parsed at the boundary
// so a contract drift is one clear error. Lenient objects: the API may add optional fields.

export const programSummarySchema = z.object({
  id: z.string(),
  purpose: z.string(),
  durationWeeks: z.number(),
  enrolled: z.number(),
  draftCircles: z.number(),
  stage: z.enum(["enrolling", "formed", "booking"]),
  createdAt: z.string(),
});
export type ProgramSummary = z.infer<typeof programSummarySchema>;
const programListSchema = z.object({ programs: z.array(programSummarySchema) });

export const programSizeSchema = z.union([z.literal("pairs"), z.object({ min: z.number(), max: z.number() })]);
export type ProgramSize = z.infer<typeof programSizeSchema>;

export const personRefSchema = z.object({ id: z.string(), upn: z.string(), displayName: z.string() });
export type PersonRef = z.infer<typeof personRefSchema>;

const explanationSchema = z.object({
  summary: z.string(),
  sharedHours: z.object({ minutesPerWeek: z.number(), longestMinutes: z.number(), startUtc: z.string(), endUtc: z.string(), daysUtc: z.array(z.string()) }),
  departments: z.number(),
  levels: z.number(),
  newcomers: z.number(),
  seasoned: z.number(),
  notes: z.array(z.string()),
});

export const cohortBookingSchema = z.object({
  jobId: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  progress: z.object({ done: z.number(), total: z.number() }),
  circles: z.array(z.object({ circleId: z.string(), jobId: z.string().nullable(), status: z.enum(["queued", "running", "succeeded", "failed"]) })),
});
export type CohortBooking = z.infer<typeof cohortBookingSchema>;

export const programSchema = z.object({
  id: z.string(),
  purpose: z.string(),
  durationWeeks: z.number(),
  formatIds: z.array(z.string()),
  size: programSizeSchema,
  enrolled: z.array(personRefSchema),
  draft: z
    .object({
      circles: z.array(z.object({ members: z.array(personRefSchema), explanation: explanationSchema })),
      unplaced: z.array(z.object({ person: personRefSchema, reason: z.object({ code: z.string(), message: z.string() }) })),
    })
    .nullable(),
  booking: cohortBookingSchema.nullable(),
  createdAt: z.string(),
});
export type Program = z.infer<typeof programSchema>;
export type DraftCircle = NonNullable<Program["draft"]>["circles"][number];

const enrolResultSchema = z.object({
  enrolled: z.array(personRefSchema),
  rejected: z.array(z.object({ upn: z.string(), reason: z.string() })),
  program: programSchema,
});
export type EnrolResult = z.infer<typeof enrolResultSchema>;

const reasonSchema = z.object({ code: z.string(), message: z.string() });

export const programHealthSchema = z.discriminatedUnion("status", [
  z.object({ status: z.literal("hidden"), threshold: z.number(), reason: reasonSchema }),
  z.object({
    status: z.literal("shown"),
    threshold: z.number(),
    participants: z.number(),
    circles: z.object({ booked: z.number(), atRisk: z.number() }),
    sessions: z.object({ held: z.number(), planned: z.number() }),
    protectedHours: z.object({ weeks: z.array(weeklyHoursSchema), averagePerParticipantPerWeek: z.number(), blocksProtected: z.number(), blocksOverridden: z.number() }),
    commitmentCompletion: z.discriminatedUnion("status", [
      z.object({ status: z.literal("shown"), rate: z.number().nullable(), reviewed: z.number() }),
      z.object({ status: z.literal("hidden"), reason: reasonSchema }),
    ]),
    pulse: z.discriminatedUnion("status", [
      z.object({ status: z.literal("shown"), average: z.number().nullable(), ratings: z.number() }),
      z.object({ status: z.literal("hidden"), reason: reasonSchema }),
    ]),
    insightsShared: z.number(),
  }),
]);
export type ProgramHealth = z.infer<typeof programHealthSchema>;

export interface CreateProgramInput {
  purpose: string;
  durationWeeks: number;
  formatIds: string[];
  size: ProgramSize;
}

const seg = encodeURIComponent;

/** Every call throws ApiError with a sentence a user can act on. */
export function programApi(options: ApiClientOptions) {
  const base = (programId: string) => `/api/programs/${seg(programId)}`;
  return {
    listPrograms: async () => (await requestJson(options, "/api/programs", programListSchema, true)).programs,
    createProgram: (input: CreateProgramInput) => requestJson(options, "/api/programs", programSchema, true, { method: "POST", body: input }),
    getProgram: (programId: string) => requestJson(options, base(programId), programSchema, true),
    enrol: (programId: string, input: { upns: string[] } | { csv: string }) => requestJson(options, `${base(programId)}/enrolments`, enrolResultSchema, true, { method: "POST", body: input }),
    formCircles: (programId: string, input: { seed?: string } = {}) => requestJson(options, `${base(programId)}/circles/form`, programSchema, true, { method: "POST", body: input }),
    moveMember: (programId: string, input: { personId: string; toCircle: number }) =>
      requestJson(options, `${base(programId)}/circles/adjust`, programSchema, true, { method: "POST", body: input }),
    book: (programId: string, input: { startOn: string }) => requestJson(options, `${base(programId)}/booking`, z.object({ jobId: z.string() }), true, { method: "POST", body: input }),
    getBooking: (programId: string) => requestJson(options, `${base(programId)}/booking`, cohortBookingSchema, true),
    getHealth: (programId: string) => requestJson(options, `${base(programId)}/health`, programHealthSchema, true),
    /** The health CSV as a file to save; its name comes from the API's Content-Disposition. */
    exportHealth: (programId: string) => fetchCsv(options, `${base(programId)}/health/export`),
  };
}
export type ProgramApi = ReturnType<typeof programApi>;

async function fetchCsv(options: ApiClientOptions, path: string): Promise<{ blob: Blob; filename: string }> {
  const headers = { Accept: "text/csv", Authorization: `Bearer ${await options.getToken()}` };
  let response: Response;
  try {
    response = await (options.fetchImpl ?? globalThis.fetch)(`${options.baseUrl ?? ""}${path}`, { headers });
  } catch (cause) {
    throw new ApiError(clientErrorCodes.network, 0, "We couldn't reach Coaching Circles. Check your connection, then try again.", { cause });
  }
  if (!response.ok) {
    const envelope = errorEnvelopeSchema.safeParse(await response.json().catch(() => undefined));
    if (envelope.success) throw new ApiError(envelope.data.error.code, response.status, envelope.data.error.message);
    throw new ApiError(`http_${response.status}`, response.status, fallbackMessage(response.status));
  }
  const disposition = response.headers.get("Content-Disposition") ?? "";
  const filename = /filename="([^"]+)"/.exec(disposition)?.[1] ?? "program-health.csv";
  return { blob: await response.blob(), filename };
}
