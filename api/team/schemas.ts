import { z } from "../http/zod";
import { MAX_TEAM_WEEKS, MIN_TEAM_WEEKS, TEAM_WEEKS, TeamViewSchema } from "./aggregate";

// HTTP shapes of the manager's team view (issue #5 part 4). The response IS the aggregate's own
// strict schema, so the route can never answer with a field the aggregate did not vet.

export const TeamHealthQuerySchema = z.object({
  weeks: z.coerce
    .number()
    .int()
    .min(MIN_TEAM_WEEKS)
    .max(MAX_TEAM_WEEKS)
    .default(TEAM_WEEKS)
    .openapi({ description: `Complete weeks to chart, ending with last week (default ${TEAM_WEEKS})`, example: TEAM_WEEKS }),
});

export const TeamHealthSchema = TeamViewSchema.openapi("TeamHealth", {
  description:
    "Aggregates over the caller's direct reports who take part in coaching circles: no names, ids or content. " +
    "`status: hidden` (with the reason and the policy threshold, and no figures) when fewer than `threshold` reports take part, " +
    "or when the caller has no direct reports.",
});
