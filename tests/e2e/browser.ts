import { existsSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import AxeBuilder from "@axe-core/playwright";
import type { Result } from "axe-core";
import { chromium, type Browser, type FrameLocator, type Page } from "playwright-core";

/** Debian's Chromium: CI installs it (see .ci/run); playwright-core brings no browser of its own. */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM_PATH}. Install it with: apt-get install -y chromium`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A port nobody listens on right now (suites run in parallel, so never a fixed one). */
export async function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

export type HostView = "tab" | "meeting" | "outlook" | "config";
export type HostSurface = "tab" | "sidepanel" | "stage" | "config" | "taskpane";

/** Opens the sandbox Teams host page and waits until it has loaded its demo users. */
export async function openHost(page: Page, hostUrl: string, query: { view?: HostView; theme?: string; user?: string; meeting?: string } = {}): Promise<void> {
  const url = new URL(hostUrl);
  for (const [key, value] of Object.entries(query)) if (value) url.searchParams.set(key, value);
  await page.goto(url.toString());
  await page.waitForFunction(() => window.sandboxHost?.ready === true);
}

export function surfaceFrame(page: Page, surface: HostSurface): FrameLocator {
  return page.frameLocator(`iframe[data-surface="${surface}"]`);
}

/** Waits until the host has received `func` from `surface` (e.g. the app finished initialising). */
export async function waitForCall(page: Page, surface: HostSurface, func: string, timeout = 20_000): Promise<void> {
  await page.waitForFunction(([s, f]) => window.sandboxHost.received.some((r) => r.surface === s && r.func === f), [surface, func] as const, { timeout });
}

/**
 * Serious and critical WCAG 2.1 A/AA violations on the page, iframes included (axe descends
 * into frames; a node's target then starts with the iframe's selector).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    // Only violations are read; skipping passes and incomplete results makes each run much faster.
    .options({ resultTypes: ["violations"] })
    .analyze();
  return results.violations
    .filter((v: Result) => v.impact === "serious" || v.impact === "critical")
    .flatMap((v: Result) =>
      v.nodes
        // Fluent's focus manager (tabster) brackets focus zones with aria-hidden sentinels that pass
        // focus straight on; axe cannot know that and flags them. Only those nodes are skipped.
        .filter((n) => !(v.id === "aria-hidden-focus" && n.html.includes("data-tabster-dummy")))
        .map((n) => `${v.id} (${v.impact}): ${JSON.stringify(n.target)} — ${n.failureSummary ?? v.help}`),
    );
}
