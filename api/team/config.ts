import { z } from "zod";
import { ConfigError } from "../config";
import { teamThreshold } from "./aggregate";

const ThresholdSchema = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number().int().min(1).max(1000).optional());

/**
 * TEAM_MIN_PARTICIPANTS: how many of a manager's reports must take part before team figures show
 * (tenant policy, product.md §8). Default 5; values below 3 are raised to 3.
 * @throws ConfigError when it is set but not a whole number.
 */
export function teamThresholdFromEnv(env: Record<string, string | undefined>): number {
  const parsed = ThresholdSchema.safeParse(env.TEAM_MIN_PARTICIPANTS);
  if (!parsed.success) throw new ConfigError([`TEAM_MIN_PARTICIPANTS: must be a whole number (default 5, never below 3), got "${env.TEAM_MIN_PARTICIPANTS}"`]);
  return teamThreshold(parsed.data);
}
