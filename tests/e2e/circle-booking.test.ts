import type { FrameLocator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHost, seriousViolations, startStack, surfaceFrame, type Stack } from "./harness";

/**
 * Issue #3 as a new user tries it in sandbox mode: in the personal tab inside the sandbox Teams
 * host, Priya creates a circle with Megan and Alex, picks the fairest time, books it, watches the
 * booking finish and sees the upcoming sessions on the circle page.
 */

let stack: Stack;
let page: Page;
let tab: FrameLocator;

beforeAll(async () => {
  stack = await startStack();
  page = stack.page;
});

afterAll(async () => {
  await stack?.close();
});

const visible = (locator: { isVisible(): Promise<boolean> }) => () => locator.isVisible();

describe("creating and booking a circle in the personal tab", () => {
  it("opens an accessible create-circle dialog", async () => {
    await openHost(page, stack.sandboxUrl, { user: "priya.raman@contoso.example" });
    tab = surfaceFrame(page, "tab");
    const create = tab.getByRole("button", { name: "Create a circle" });
    await expect.poll(visible(create), { timeout: 30_000 }).toBe(true);
    await create.click();
    const dialog = tab.getByRole("dialog", { name: "Create a circle" });
    await expect.poll(visible(dialog)).toBe(true);
    // Loaded: the formats arrived and the first one is chosen.
    await expect.poll(visible(dialog.getByRole("list", { name: /Agenda of/ })), { timeout: 30_000 }).toBe(true);
    expect(await seriousViolations(page)).toEqual([]);
  });

  it("creates a circle of three demo users", async () => {
    const dialog = tab.getByRole("dialog", { name: "Create a circle" });
    await dialog.getByRole("textbox", { name: /Name/ }).fill("Engineering leads");
    await dialog.getByRole("textbox", { name: /Purpose/ }).fill("Practise hard conversations");
    for (const [typed, name] of [
      ["Megan", "Megan Bowen"],
      ["Alex", "Alex Wilber"],
    ] as const) {
      const input = dialog.getByRole("combobox", { name: /^Members/ });
      await input.focus();
      await input.pressSequentially(typed);
      const option = tab.getByRole("option", { name: new RegExp(name) });
      await expect.poll(visible(option), { timeout: 15_000 }).toBe(true);
      await option.click();
    }
    await dialog.getByRole("button", { name: "Create circle" }).click();
    await expect.poll(() => dialog.count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(visible(tab.getByRole("heading", { name: "Engineering leads" })), { timeout: 30_000 }).toBe(true);
  });

  it("suggests fair times with every member's local time, and books the first", async () => {
    const first = tab.getByRole("radio").first();
    await expect.poll(visible(first), { timeout: 60_000 }).toBe(true);
    const suggestions = tab.getByRole("list", { name: "Suggested times" });
    await expect(suggestions.getByText(/^Priya Raman: \d\d:\d\d \(Asia\/(Kolkata|Calcutta)\)/).count()).resolves.toBeGreaterThan(0);
    await first.check();
    await tab.getByRole("button", { name: "Book this time" }).click();

    const status = tab.getByRole("status").filter({ hasText: /Booked\. Every member has the series/ });
    await expect.poll(visible(status), { timeout: 90_000 }).toBe(true);
    const bar = tab.getByRole("progressbar");
    expect(await bar.getAttribute("aria-valuenow")).toBe(await bar.getAttribute("aria-valuemax"));
  });

  it("lists the upcoming sessions on the circle page", async () => {
    await tab.getByRole("button", { name: "See upcoming sessions" }).click();
    const heading = tab.getByRole("heading", { name: "Next sessions" });
    await expect.poll(visible(heading), { timeout: 30_000 }).toBe(true);
    const sessions = tab.locator("section", { has: heading }).getByRole("listitem");
    await expect.poll(() => sessions.count(), { timeout: 30_000 }).toBeGreaterThan(0);
    // Every session is offered for change (skip / move), named by its time in the viewer's zone.
    await expect(tab.getByRole("button", { name: /^Change the session on / }).count()).resolves.toBeGreaterThan(0);
  });
});
