import type * as TeamsJs from "@microsoft/teams-js";

/** The parts of TeamsJS we use. Loaded lazily so a top-level page never pays for (or runs) it. */
export type TeamsSdk = Pick<typeof TeamsJs, "app" | "authentication" | "meeting" | "pages">;

export const loadTeamsSdk = async (): Promise<TeamsSdk> => import("@microsoft/teams-js");
