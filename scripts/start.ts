import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { startApi } from "../api/server.js";

/**
 * The composition root: the only product-side place that knows the sandbox exists.
 * Sandbox mode (no AAD_APP_CLIENT_ID): start the Microsoft 365 stand-in, then the API pointed
 * at it. Microsoft 365 mode: the API alone.
 */

const portSchema = z.coerce.number().int().min(0).max(65_535);
const startEnvSchema = z.object({
  PORT: portSchema.default(3000),
  SANDBOX_PORT: portSchema.default(3001),
  AAD_APP_CLIENT_ID: z.string().trim().optional(),
});

interface Running {
  name: string;
  close(): Promise<void>;
}

async function main(): Promise<void> {
  const parsed = startEnvSchema.safeParse(process.env);
  if (!parsed.success) {
    console.error(`Cannot start: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
    process.exit(1);
  }
  const { PORT, SANDBOX_PORT, AAD_APP_CLIENT_ID } = parsed.data;
  const sandboxMode = !AAD_APP_CLIENT_ID;
  const running: Running[] = [];
  installShutdown(running);

  warnIfFrontEndMissing();

  if (sandboxMode) {
    // Loaded only in sandbox mode, so Microsoft 365 mode never even reads the stand-in's code.
    const { startSandbox } = await import("../sandbox/server.js");
    const sandbox = await startSandbox({ port: SANDBOX_PORT, appUrl: `http://localhost:${PORT}` });
    running.push({ name: "sandbox", close: () => sandbox.close() });
    const api = await startApi({ env: { ...process.env, SANDBOX_URL: sandbox.url }, port: PORT });
    running.unshift({ name: "API", close: () => api.close() });
    printSandboxBanner(api.url, sandbox.url);
  } else {
    const api = await startApi({ env: process.env, port: PORT });
    running.unshift({ name: "API", close: () => api.close() });
    printMicrosoft365Banner(api.url);
  }
}

function printSandboxBanner(appUrl: string, sandboxUrl: string): void {
  const root = sandboxUrl.replace(/\/+$/, "");
  console.log(
    [
      "",
      "  Coaching Circles — sandbox mode (no Microsoft 365 tenant needed)",
      "",
      `  ▶ Start here, the Teams host page:  ${root}/`,
      "    (demo users, light/dark/contrast themes, personal tab, meeting, Outlook, configure tab)",
      "",
      `  App (API + front end)               ${appUrl}`,
      `  Graph v1.0 stand-in                 ${root}/v1.0`,
      `  Identity stand-in                   ${root}/identity`,
      "",
      "  Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
}

function printMicrosoft365Banner(appUrl: string): void {
  console.log(
    [
      "",
      "  Coaching Circles — Microsoft 365 mode",
      "",
      `  App (API + front end)   ${appUrl}`,
      `  Health                  ${appUrl.replace(/\/+$/, "")}/api/health`,
      "  Open the app from Teams or Outlook (sideload appPackage/ with the Teams Toolkit).",
      "",
      "  Press Ctrl+C to stop.",
      "",
    ].join("\n"),
  );
}

function warnIfFrontEndMissing(): void {
  const dist = fileURLToPath(new URL("../dist/", import.meta.url));
  if (!existsSync(dist)) console.warn("  The front end is not built yet (no dist/): run `npm run build`, or use `npm start`, which builds first.");
}

/** Closes servers in order (API first, so no request reaches a closed sandbox); a second signal forces exit. */
function installShutdown(running: Running[]): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) {
      console.log(`\n  ${signal} again: exiting now.`);
      process.exit(1);
    }
    stopping = true;
    console.log(`\n  ${signal}: stopping…`);
    const force = setTimeout(() => {
      console.error("  Shutdown took longer than 10 s; exiting.");
      process.exit(1);
    }, 10_000);
    force.unref();
    void (async () => {
      let failed = false;
      for (const server of running) {
        try {
          await server.close();
        } catch (cause) {
          failed = true;
          console.error(`  Could not close the ${server.name} cleanly:`, cause);
        }
      }
      console.log("  Stopped.");
      process.exit(failed ? 1 : 0);
    })();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((cause: unknown) => {
  console.error("Coaching Circles failed to start:", cause);
  process.exit(1);
});
