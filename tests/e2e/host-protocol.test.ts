import type { Server } from "node:http";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";
import express from "express";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHostRoutes } from "../../sandbox/host/routes";
import { findFreePort, launchChromium, openHost, seriousViolations, surfaceFrame, waitForCall } from "./browser";

/**
 * The sandbox's Teams host page against the real TeamsJS 2.58 library, framing a tiny probe app
 * (./fixtures/probe-app.ts) instead of our product, so the host's protocol is checked on its own.
 */

const USERS = [
  { id: "00000000-0000-4000-8000-000000000001", displayName: "Megan Bowen", userPrincipalName: "megan@contoso.example", jobTitle: "VP Engineering" },
  { id: "00000000-0000-4000-8000-000000000002", displayName: "Alex Wilber", userPrincipalName: "alex@contoso.example", jobTitle: "Engineering Manager" },
];

let browser: Browser;
let page: Page;
let hostUrl: string;
let appUrl: string;
const servers: Server[] = [];

async function listen(app: express.Express, port: number): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = app.listen(port, (error?: Error) => (error ? reject(error) : resolve()));
    servers.push(server);
  });
}

beforeAll(async () => {
  const [hostPort, appPort] = [await findFreePort(), await findFreePort()];
  hostUrl = `http://localhost:${hostPort}`;
  appUrl = `http://localhost:${appPort}`;

  const host = express();
  host.use(express.json());
  // Just enough of the sandbox identity service for the host page.
  host.get("/identity/users", (_req, res) => void res.json({ value: USERS }));
  host.post("/identity/token", (req, res) => void res.json({ access_token: `token-for-${String(req.body.upn)}`, token_type: "Bearer", expires_in: 3600 }));
  host.use("/", createHostRoutes({ appUrl, sandboxUrl: hostUrl }));
  await listen(host, hostPort);

  const probe = await build({
    entryPoints: [fileURLToPath(new URL("./fixtures/probe-app.ts", import.meta.url))],
    bundle: true,
    write: false,
    format: "esm",
    platform: "browser",
    logLevel: "silent",
  });
  const probeScript = probe.outputFiles[0]?.text ?? "";
  const probeApp = express();
  probeApp.get("/probe.js", (_req, res) => void res.type("text/javascript").send(probeScript));
  probeApp.get("/:surface", (req, res) =>
    void res.type("html").send(`<!doctype html><html lang="en"><head><title>Probe ${req.params.surface}</title><script type="module" src="/probe.js"></script></head><body><main><h1>Probe</h1></main></body></html>`),
  );
  await listen(probeApp, appPort);

  browser = await launchChromium();
  page = await (await browser.newContext()).newPage(); // AxeBuilder needs a page from newContext()
});

afterAll(async () => {
  await browser?.close();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

async function contextOf(surface: "tab" | "sidepanel" | "stage" | "config"): Promise<Record<string, string | undefined>> {
  const text = await surfaceFrame(page, surface).locator("#context").textContent({ timeout: 20_000 });
  return JSON.parse(text ?? "{}") as Record<string, string | undefined>;
}

describe("sandbox Teams host page with the real TeamsJS library", () => {
  it("initialises the personal tab with the signed-in demo user's context and SSO token", async () => {
    await openHost(page, hostUrl);
    const context = await contextOf("tab");
    expect(context).toMatchObject({ frameContext: "content", userPrincipalName: "megan@contoso.example", userId: USERS[0]!.id, host: "Teams", locale: "en-gb", theme: "default" });
    expect(context.tenantId).toBeTruthy();
    expect(context.meetingId).toBeUndefined();
    await expect.poll(() => surfaceFrame(page, "tab").locator("#token").textContent()).toBe("token-for-megan@contoso.example");
    await waitForCall(page, "tab", "appInitialization.success");
  });

  it("reloads the app as the other user when the demo user is switched", async () => {
    await page.getByLabel("Signed in as").selectOption("alex@contoso.example");
    await expect.poll(async () => (await contextOf("tab")).userPrincipalName, { timeout: 20_000 }).toBe("alex@contoso.example");
  });

  it("re-themes the framed app when the host theme changes", async () => {
    await page.getByLabel("Theme").selectOption("dark");
    const theme = () => surfaceFrame(page, "tab").locator("html").getAttribute("data-theme");
    await expect.poll(theme).toBe("dark");
    await page.getByLabel("Theme").selectOption("contrast");
    await expect.poll(theme).toBe("contrast");
  });

  it("runs the side panel in a 320 px meeting panel with the meeting and chat ids, and shares to stage", async () => {
    await openHost(page, hostUrl, { view: "meeting", meeting: "19:meeting_probe@thread.v2" });
    const context = await contextOf("sidepanel");
    expect(context).toMatchObject({ frameContext: "sidePanel", chatId: "19:meeting_probe@thread.v2" });
    expect(atob(context.meetingId ?? "")).toBe("0#19:meeting_probe@thread.v2#0");
    const box = await page.locator('iframe[data-surface="sidepanel"]').boundingBox();
    expect(box?.width).toBe(320);
    await expect.poll(() => surfaceFrame(page, "sidepanel").locator("#capabilities").textContent()).toBe(JSON.stringify({ doesAppHaveSharePermission: true }));

    await surfaceFrame(page, "sidepanel").getByRole("button", { name: "Share to stage" }).click();
    await expect.poll(() => surfaceFrame(page, "sidepanel").locator("#shared").textContent()).toBe("true");
    expect(await page.locator('iframe[data-surface="stage"]').getAttribute("src")).toBe(`${appUrl}/stage?from=probe`);
    expect((await contextOf("stage")).frameContext).toBe("meetingStage");
    await expect(page.getByRole("button", { name: "Stop sharing" }).isVisible()).resolves.toBe(true);
  });

  it("saves a tab configuration through the configuration dialog's Save button", async () => {
    await openHost(page, hostUrl, { view: "config" });
    expect((await contextOf("config")).frameContext).toBe("settings");
    const save = page.getByRole("button", { name: "Save" });
    await expect.poll(() => save.isEnabled()).toBe(true);
    await save.click();
    await expect.poll(() => page.locator('#saved-config dd[data-key="contentUrl"]').textContent()).toBe(`${appUrl}/sidepanel?circle=probe`);
    const saved = await page.evaluate(() => window.sandboxHost.savedConfig);
    expect(saved).toMatchObject({ entityId: "probe-circle", contentUrl: `${appUrl}/sidepanel?circle=probe` });
  });

  it("has no serious accessibility violation on the host page in light and dark themes", async () => {
    for (const theme of ["default", "dark"]) {
      await openHost(page, hostUrl, { view: "meeting", theme });
      await contextOf("sidepanel");
      expect(await seriousViolations(page)).toEqual([]);
    }
  });
});
