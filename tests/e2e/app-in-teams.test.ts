import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHost, startStack, surfaceFrame, waitForCall, type Stack } from "./harness";

/**
 * Our app inside the sandbox's Teams host page, as a user sees it: sandbox + API + built front
 * end, one Chromium for the file.
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

/** The first opaque background from the root down: what the user actually sees behind the app. */
async function frameLook(surface: "tab" | "sidepanel"): Promise<{ theme: string | undefined; background: string }> {
  const frame = page.frame({ url: (url) => url.pathname.startsWith(`/${surface}`) });
  if (!frame) throw new Error(`No ${surface} frame on the page.`);
  return frame.evaluate(() => {
    const transparent = (c: string) => c === "transparent" || c === "rgba(0, 0, 0, 0)";
    // What the user sees behind the content: walk up from an element near the top-left corner.
    let element: Element | null = document.elementFromPoint(4, 4) ?? document.body;
    let background = getComputedStyle(element).backgroundColor;
    while (element && transparent(background)) {
      element = element.parentElement;
      if (element) background = getComputedStyle(element).backgroundColor;
    }
    return { theme: document.documentElement.dataset.theme, background };
  });
}

function luminance(rgb: string): number {
  const [r = 0, g = 0, b = 0] = (rgb.match(/\d+(\.\d+)?/g) ?? []).map(Number);
  return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
}

describe("Coaching Circles in the sandbox Teams host", () => {
  it("shows the signed-in demo user's name in the personal tab", async () => {
    const [first] = stack.users;
    await openHost(page, stack.sandboxUrl, { user: first!.userPrincipalName });
    await expect.poll(() => surfaceFrame(page, "tab").getByText(first!.displayName).first().isVisible(), { timeout: 30_000 }).toBe(true);
  });

  it("shows the other person's name after switching the demo user", async () => {
    const second = stack.users[1]!;
    await page.getByLabel("Signed in as").selectOption(second.userPrincipalName);
    await expect.poll(() => surfaceFrame(page, "tab").getByText(second.displayName).first().isVisible(), { timeout: 30_000 }).toBe(true);
    await expect(surfaceFrame(page, "tab").getByText(stack.users[0]!.displayName).count()).resolves.toBe(0);
  });

  it("re-themes the app when the host switches to dark and back", async () => {
    await waitForCall(page, "tab", "appInitialization.success");
    const light = await frameLook("tab");
    await page.getByLabel("Theme").selectOption("dark");
    await expect.poll(async () => (await frameLook("tab")).theme).toBe("dark");
    const dark = await frameLook("tab");
    expect(dark.background).not.toBe(light.background);
    expect(luminance(dark.background)).toBeLessThan(0.3);
    await page.getByLabel("Theme").selectOption("default");
    await expect.poll(async () => (await frameLook("tab")).background).toBe(light.background);
  });

  it("renders the side panel 320 px wide, without horizontal scrolling, explaining the meeting is not linked", async () => {
    await openHost(page, stack.sandboxUrl, { view: "meeting" });
    const panel = surfaceFrame(page, "sidepanel");
    await expect.poll(() => panel.getByText(/linked/i).first().isVisible(), { timeout: 30_000 }).toBe(true);
    expect((await page.locator('iframe[data-surface="sidepanel"]').boundingBox())?.width).toBe(320);
    const frame = page.frame({ url: (url) => url.pathname.startsWith("/sidepanel") });
    const overflow = await frame!.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });

  it("shows the stage when Coaching Circles is shared to the meeting stage", async () => {
    await page.getByRole("button", { name: "Share Coaching Circles to stage" }).click();
    const stage = surfaceFrame(page, "stage");
    await expect.poll(() => stage.getByRole("heading", { level: 1 }).isVisible(), { timeout: 30_000 }).toBe(true);
    await waitForCall(page, "stage", "getContext");
  });

  it("saves a valid meeting tab configuration pointing at the side panel", async () => {
    await openHost(page, stack.sandboxUrl, { view: "config" });
    const save = page.getByRole("button", { name: "Save", exact: true });
    await expect.poll(() => save.isEnabled(), { timeout: 30_000 }).toBe(true);
    await save.click();
    await expect.poll(() => page.getByRole("status").filter({ hasText: "Saved" }).isVisible()).toBe(true);
    const saved = await page.evaluate(() => window.sandboxHost.savedConfig);
    expect(saved?.contentUrl).toBe(`${stack.appUrl}/sidepanel`);
    expect(saved?.entityId).toBeTruthy();
  });

  it("loads the task pane standalone in a plain browser window", async () => {
    const standalone = await stack.context.newPage();
    const errors: string[] = [];
    standalone.on("pageerror", (error) => errors.push(error.message));
    await standalone.goto(`${stack.appUrl}/taskpane`);
    await expect.poll(() => standalone.getByRole("heading", { level: 1 }).first().isVisible(), { timeout: 30_000 }).toBe(true);
    expect(errors).toEqual([]);
    await standalone.close();
  });

  it("loads the Outlook task pane standalone in the host's Outlook view, without Office.js emulation", async () => {
    await openHost(page, stack.sandboxUrl, { view: "outlook" });
    const pane = surfaceFrame(page, "taskpane");
    await expect.poll(() => pane.getByRole("heading", { level: 1 }).first().isVisible(), { timeout: 30_000 }).toBe(true);
    expect((await page.locator('iframe[data-surface="taskpane"]').boundingBox())?.width).toBe(350);
  });
});
