import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";

/**
 * The activity types our app declares (appPackage/manifest.json `activities.activityTypes[].type`).
 * Graph refuses a sendActivityNotification whose activityType the sending app's manifest does not
 * declare (only the reserved `systemDefault` needs none), so the sandbox does too: a nudge kind
 * added in code but not in the manifest fails in tests, not in a tenant.
 */
const ManifestZ = z.object({ activities: z.object({ activityTypes: z.array(z.object({ type: z.string().min(1) })) }).optional() });

const MANIFEST_PATH = fileURLToPath(new URL("../../../appPackage/manifest.json", import.meta.url));

let cached: ReadonlySet<string> | undefined;

export function declaredActivityTypes(): ReadonlySet<string> {
  cached ??= new Set((ManifestZ.parse(JSON.parse(readFileSync(MANIFEST_PATH, "utf8"))).activities?.activityTypes ?? []).map((t) => t.type));
  return cached;
}
