import { readFileSync } from "node:fs";

/** The app version from package.json, read once (works under tsx, vitest and a bundled build beside it). */
export function readAppVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version?: unknown };
    return typeof pkg.version === "string" ? pkg.version : "0.0.0";
  } catch {
    // Health must answer even from an unusual layout; "unknown" is visible, not hidden.
    return "unknown";
  }
}
