import { z } from "zod";
import type { UserGraph } from "../graph";

/** A direct report as we use it: the Entra object id and UPN, only to find them in our tables. */
export interface DirectReport {
  id: string;
  upn: string | null;
}

// directReports is a collection of directoryObjects: users, but also org contacts (no mailbox,
// never in a circle). Only the fields we rely on are validated.
const DirectoryObjectSchema = z.object({
  "@odata.type": z.string().optional(),
  id: z.string().min(1),
  userPrincipalName: z.string().min(1).nullish(),
});

/**
 * The caller's direct reports from the directory (`GET /me/directReports`, delegated, every page).
 * Someone who manages nobody gets an empty list, not an error.
 * @throws GraphRequestError when Graph fails; AppError consent_required when consent is missing.
 */
export async function listDirectReports(graph: UserGraph): Promise<DirectReport[]> {
  const items = await graph.getAllPages("/me/directReports?$select=id,userPrincipalName", DirectoryObjectSchema);
  const seen = new Set<string>();
  const reports: DirectReport[] = [];
  for (const item of items) {
    const type = item["@odata.type"];
    if (type !== undefined && type !== "#microsoft.graph.user") continue;
    if (seen.has(item.id)) continue;
    seen.add(item.id);
    reports.push({ id: item.id, upn: item.userPrincipalName ?? null });
  }
  return reports;
}
