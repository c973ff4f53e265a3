import { fileURLToPath } from "node:url";

const ENTRY = fileURLToPath(new URL("./client/main.ts", import.meta.url));

let cached: Promise<string> | undefined;

/**
 * The host page's script, bundled from TypeScript on first request and kept in memory: the
 * sandbox has no build step of its own. A failed build is not cached, so a fix is picked up on
 * the next request.
 */
export function bundleHostScript(): Promise<string> {
  if (!cached) {
    const building = bundle();
    cached = building;
    building.catch(() => {
      if (cached === building) cached = undefined;
    });
  }
  return cached;
}

async function bundle(): Promise<string> {
  // esbuild comes with vite/tsx (development dependencies); loaded lazily so that merely
  // importing the sandbox never requires it.
  const { build } = await import("esbuild");
  const result = await build({
    entryPoints: [ENTRY],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    target: "es2022",
    minify: true,
    logLevel: "silent",
  });
  const output = result.outputFiles[0];
  if (!output) throw new Error("esbuild produced no output for the sandbox host script.");
  return output.text;
}
