import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { startApi } from "../../api/server";
import { startSandbox } from "../../sandbox/server";
import { findFreePort, launchChromium } from "./browser";

export * from "./browser";

/**
 * One running product for a browser suite: the sandbox (Graph, identity, Teams host page) and
 * the API serving the built front end, on free ports, with a throw-away SQLite directory;
 * plus one Chromium for the file. Wired like scripts/start.ts wires sandbox mode.
 */
export interface Stack {
  /** The app (API + front end), e.g. http://localhost:41234 */
  appUrl: string;
  /** The sandbox root: the Teams host page. */
  sandboxUrl: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  users: DemoUser[];
  close(): Promise<void>;
}

export interface DemoUser {
  id: string;
  displayName: string;
  userPrincipalName: string;
}

const repoRoot = fileURLToPath(new URL("../../", import.meta.url));

/** npm test builds before vitest; a lone `vitest --project e2e` may not have, so build once. */
export function ensureFrontEndBuilt(): void {
  if (existsSync(join(repoRoot, "dist", "tab", "index.html"))) return;
  execFileSync("npx", ["vite", "build", "--logLevel", "warn"], { cwd: repoRoot, stdio: "inherit", timeout: 180_000 });
}

/** Environment the API must not inherit from a developer's shell: it would leave sandbox mode. */
const INHERITED_SETTINGS = /^(AAD_APP_|DATABASE_URL$|GRAPH_BASE_URL$|SANDBOX_URL$|PUBLIC_BASE_URL$|PORT$|DATA_DIR$|ALLOWED_TENANT_IDS$|TEAMS_APP_ID$)/;

export async function startStack(): Promise<Stack> {
  ensureFrontEndBuilt();
  const appPort = await findFreePort();
  const sandboxPort = await findFreePort();
  const appUrl = `http://localhost:${appPort}`;
  const dataDir = await mkdtemp(join(tmpdir(), "coaching-circles-e2e-"));
  const closers: (() => Promise<void>)[] = [() => rm(dataDir, { recursive: true, force: true })];
  const close = async () => {
    for (const closer of closers.splice(0).reverse()) await closer().catch(() => undefined);
  };
  try {
    const sandbox = await startSandbox({ port: sandboxPort, appUrl });
    closers.push(() => sandbox.close());
    const env: Record<string, string | undefined> = Object.fromEntries(Object.entries(process.env).filter(([key]) => !INHERITED_SETTINGS.test(key)));
    const api = await startApi({ env: { ...env, PORT: String(appPort), SANDBOX_URL: sandbox.url, DATA_DIR: dataDir, PUBLIC_BASE_URL: appUrl, LOG_LEVEL: process.env.LOG_LEVEL ?? "warn" }, port: appPort });
    closers.push(() => api.close());
    const browser = await launchChromium();
    closers.push(() => browser.close());
    // AxeBuilder requires pages made through browser.newContext().
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    const response = await fetch(`${sandbox.url.replace(/\/+$/, "")}/identity/users`);
    const users = ((await response.json()) as { value: DemoUser[] }).value;
    if (users.length < 2) throw new Error("The sandbox should seed at least two demo users.");
    return { appUrl: api.url.replace(/\/+$/, ""), sandboxUrl: sandbox.url.replace(/\/+$/, ""), browser, context, page, users, close };
  } catch (cause) {
    await close();
    throw cause;
  }
}
