import { z } from "zod";
import { requestJson, type ApiClientOptions } from "../../lib/api-client";

// GET and DELETE /api/me/data (operationIds exportMyData, deleteMyData; api/privacy/schemas.ts),
// parsed at the boundary so a contract drift is one clear error.

export const DELETE_CONFIRMATION = "delete my data";

/** The export is handed to the user as the file the API made; only its envelope is checked here. */
const myDataExportSchema = z.looseObject({
  format: z.literal("coaching-circles/my-data"),
  version: z.number(),
  exportedAt: z.string(),
});
export type MyDataExport = z.infer<typeof myDataExportSchema>;

const count = z.number().int().min(0);

export const deleteResultSchema = z.object({
  status: z.enum(["deleted", "nothingToDelete"]),
  deletedAt: z.string(),
  removed: z.object({
    profile: count,
    circleMemberships: count,
    notes: count,
    commitments: count,
    insights: count,
    sharedInsightCopies: count,
    questions: count,
    protectedTimeSettings: count,
    protectedTimeBlocks: count,
    protectedTimeOverrides: count,
    nudgeSettings: count,
    nudgeDeliveries: count,
    calendarSubscriptions: count,
    programEnrolments: count,
    formats: count,
    sessionDeclines: count,
    seriesCopies: count,
  }),
  anonymised: z.object({ commitments: count, pulses: count, attendance: count, sessions: count, circlesHandedOver: count, formats: count, meetingLinks: count, jobs: count }),
  microsoft365: z.object({ protectedBlocksRemoved: count, subscriptionsDeleted: count, seriesAttendeesUpdated: count, problems: z.array(z.string()) }),
  kept: z.array(z.string()),
});
export type DeleteResult = z.infer<typeof deleteResultSchema>;

export function fetchMyData(options: ApiClientOptions): Promise<MyDataExport> {
  return requestJson(options, "/api/me/data", myDataExportSchema, true);
}

export function deleteMyData(options: ApiClientOptions, confirm: string): Promise<DeleteResult> {
  return requestJson(options, "/api/me/data", deleteResultSchema, true, { method: "DELETE", body: { confirm } });
}

/** The file name the API suggests (Content-Disposition), rebuilt from the export's own date. */
export function exportFileName(data: MyDataExport): string {
  return `coaching-circles-my-data-${data.exportedAt.slice(0, 10)}.json`;
}
