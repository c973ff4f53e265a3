import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHost, seriousViolations, startStack, surfaceFrame, waitForCall, type HostSurface, type HostView, type Stack } from "./harness";

/**
 * axe (WCAG 2.1 A/AA) finds no serious or critical violation on any surface, in the light and
 * dark themes, nor on the sandbox host page around it (axe checks the page and its frames).
 */

let stack: Stack;
let page: Page;

beforeAll(async () => {
  stack = await startStack();
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
});

const SURFACES: { surface: HostSurface; view: HostView }[] = [
  { surface: "tab", view: "tab" },
  { surface: "sidepanel", view: "meeting" },
  { surface: "stage", view: "meeting" },
  { surface: "config", view: "config" },
  { surface: "taskpane", view: "outlook" },
];

/** Opens the surface and waits until it has finished loading (no spinner or skeleton left). */
async function openSurface(surface: HostSurface, view: HostView, theme: string): Promise<void> {
  await openHost(page, stack.sandboxUrl, { view, theme });
  if (surface === "stage") await page.getByRole("button", { name: "Share Coaching Circles to stage" }).click();
  if (surface !== "taskpane") await waitForCall(page, surface, "appInitialization.success");
  const frame = surfaceFrame(page, surface);
  await expect.poll(() => frame.locator("body").innerText(), { timeout: 30_000 }).not.toBe("");
  await expect.poll(() => frame.locator('[aria-busy="true"], .fui-Spinner, .fui-Skeleton').count(), { timeout: 30_000 }).toBe(0);
}

describe("accessibility of every surface in the sandbox Teams host", () => {
  for (const theme of ["default", "dark"]) {
    for (const { surface, view } of SURFACES) {
      it(`${surface} (${theme} theme) has no serious or critical axe violation`, async () => {
        await openSurface(surface, view, theme);
        expect(await seriousViolations(page)).toEqual([]);
      });
    }
  }
});
