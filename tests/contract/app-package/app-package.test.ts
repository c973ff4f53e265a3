/**
 * The app package Teams, Outlook and the Microsoft 365 app receive: built the way
 * `npm run package` builds it (sandbox ids), unzipped, and checked against the official v1.30
 * schema with a validator independent of the one the script uses.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import Ajv from "ajv";
import addFormats from "ajv-formats";
import JSZip from "jszip";
import { PNG } from "pngjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_SANDBOX_DEFAULTS, UnresolvedPlaceholdersError, buildPackage } from "../../../scripts/package-app";
import { NudgeKindSchema } from "../../../api/nudges/schemas";

const SCHEMA_PATH = fileURLToPath(new URL("../../../../shared/reference/teams/MicrosoftTeams.schema.v1.30.json", import.meta.url));

interface Icon {
  size: number;
  url: string;
}
interface Control {
  id: string;
  actionId?: string;
  icons: Icon[];
}
interface Manifest {
  $schema: string;
  manifestVersion: string;
  id: string;
  accentColor: string;
  validDomains: string[];
  staticTabs: Array<{ entityId: string; name: string; contentUrl: string; scopes: string[]; context: string[] }>;
  configurableTabs: Array<{ configurationUrl: string; scopes: string[]; context: string[]; meetingSurfaces: string[]; canUpdateConfiguration: boolean }>;
  webApplicationInfo: { id: string; resource: string };
  authorization: { permissions: { resourceSpecific: Array<{ name: string; type: string }> } };
  activities: { activityTypes: Array<{ type: string; description: string; templateText: string }> };
  extensions: Array<{
    requirements: { scopes: string[]; capabilities: Array<{ name: string; minVersion?: string }> };
    runtimes: Array<{ id: string; type: string; lifetime: string; code: { page: string }; actions: Array<{ id: string; type: string }> }>;
    ribbons: Array<{ contexts: string[]; tabs: Array<{ builtInTabId?: string; groups: Array<{ icons?: Icon[]; controls: Control[] }> }> }>;
  }>;
}

/**
 * The schema is draft-04; Ajv 8 speaks draft-07+. It uses no keyword whose meaning changed
 * between the drafts (checked below: no boolean exclusiveMinimum/Maximum, no `id` keyword), so
 * dropping `$schema` and compiling it as draft-07 validates the same way.
 */
function compileSchema(): ReturnType<Ajv["compile"]> {
  const text = readFileSync(SCHEMA_PATH, "utf8");
  const schema = JSON.parse(text) as Record<string, unknown>;
  expect(schema.$schema).toBe("http://json-schema.org/draft-04/schema#");
  expect(text).not.toMatch(/"exclusive(Minimum|Maximum)"\s*:\s*(true|false)/);
  delete schema.$schema;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

describe("app package (local, sandbox ids)", () => {
  let outDir: string;
  let entries: string[];
  let manifestText: string;
  let manifest: Manifest;
  let colorPng: PNG;
  let outlinePng: PNG;

  beforeAll(async () => {
    outDir = mkdtempSync(join(tmpdir(), "app-package-"));
    const built = await buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, outDir });
    const zip = await JSZip.loadAsync(readFileSync(built.zipPath));
    entries = Object.keys(zip.files).sort();
    manifestText = await zip.file("manifest.json")!.async("string");
    manifest = JSON.parse(manifestText) as Manifest;
    colorPng = PNG.sync.read(await zip.file("color.png")!.async("nodebuffer"));
    outlinePng = PNG.sync.read(await zip.file("outline.png")!.async("nodebuffer"));
  }, 30_000);

  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  it("puts manifest.json and both icons at the root of the zip, and writes the resolved manifest beside it", () => {
    expect(entries).toEqual(["color.png", "manifest.json", "outline.png"]);
    expect(existsSync(join(outDir, "manifest.local.json"))).toBe(true);
    expect(existsSync(join(outDir, "appPackage.local.zip"))).toBe(true);
  });

  it("is valid against the official v1.30 manifest schema", () => {
    const validate = compileSchema();
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(manifest.$schema).toBe("https://developer.microsoft.com/json-schemas/teams/v1.30/MicrosoftTeams.schema.json");
    expect(manifest.manifestVersion).toBe("1.30");
  });

  it("leaves no ${{…}} placeholder behind and carries the sandbox identifiers", () => {
    expect(manifestText).not.toContain("${{");
    expect(manifest.id).toBe("5a1d0c1e-c0ac-4c1e-8c1c-c0ac41c1e5aa");
    expect(manifest.webApplicationInfo.id).toBe("c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11");
  });

  it("offers the Circles personal tab that Teams, Outlook and the Microsoft 365 app all show", () => {
    const tab = manifest.staticTabs.find((t) => t.name === "Circles");
    expect(tab).toBeDefined();
    expect(tab!.scopes).toEqual(["personal"]);
    expect(tab!.context).toContain("personalTab");
    expect(tab!.contentUrl).toBe("https://localhost:3000/tab");
  });

  it("declares exactly one meeting tab, for the side panel, the stage, the chat and the details page", () => {
    expect(manifest.configurableTabs).toHaveLength(1);
    const tab = manifest.configurableTabs[0]!;
    expect(tab.configurationUrl).toBe("https://localhost:3000/config");
    expect(tab.scopes).toEqual(["groupChat"]);
    expect([...tab.context].sort()).toEqual(["meetingChatTab", "meetingDetailsTab", "meetingSidePanel", "meetingStage"]);
    expect([...tab.meetingSurfaces].sort()).toEqual(["sidePanel", "stage"]);
    expect(tab.canUpdateConfiguration).toBe(true);
  });

  it("asks SSO tokens for api://<tab domain>/<client id>", () => {
    expect(manifest.webApplicationInfo.resource).toBe("api://localhost:3000/c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11");
  });

  it("requests the resource-specific permissions the meeting, the stage, the nudges and the add-in need", () => {
    const rsc = manifest.authorization.permissions.resourceSpecific;
    expect(rsc.length).toBeLessThanOrEqual(16);
    expect(rsc).toEqual(
      expect.arrayContaining([
        { name: "OnlineMeeting.ReadBasic.Chat", type: "Application" },
        { name: "OnlineMeetingParticipant.Read.Chat", type: "Application" },
        { name: "ChatMessage.Send.Chat", type: "Application" },
        { name: "TeamsTab.Create.Chat", type: "Application" },
        { name: "TeamsActivity.Send.User", type: "Application" },
        // shareAppContentToStage fails without it.
        { name: "MeetingStage.Write.Chat", type: "Delegated" },
        { name: "MailboxItem.ReadWrite.User", type: "Delegated" },
      ]),
    );
  });

  it("declares every nudge as an activity type whose text has placeholders to fill", () => {
    const types = manifest.activities.activityTypes;
    expect(types.map((t) => t.type).sort()).toEqual(["momentumFading", "prepReminder", "protectedTimeConflict", "reflectionPrompt", "sessionDeclined"]);
    for (const t of types) {
      expect(t.description.length).toBeGreaterThan(0);
      expect(t.templateText).toMatch(/\{[A-Za-z]+\}/);
    }
    // The decline nudge reads as a decline, and names only what declines.ts fills in.
    const declined = types.find((t) => t.type === "sessionDeclined")!;
    expect(declined.templateText).toBe("{circleName} meets without you: tell them?");
    // Graph refuses an activityType the manifest does not declare: every kind the API sends is here.
    expect(types.map((t) => t.type)).toEqual(expect.arrayContaining([...NudgeKindSchema.options]));
  });

  it("adds one Outlook button on the appointment organizer ribbon that opens the /taskpane page", () => {
    expect(manifest.extensions).toHaveLength(1);
    const extension = manifest.extensions[0]!;
    expect(extension.requirements.scopes).toEqual(["mail"]);
    expect(extension.requirements.capabilities).toContainEqual({ name: "Mailbox", minVersion: "1.3" });

    const ribbon = extension.ribbons.find((r) => r.contexts.includes("meetingDetailsOrganizer"));
    expect(ribbon).toBeDefined();
    const controls = ribbon!.tabs.flatMap((t) => t.groups.flatMap((g) => g.controls));
    expect(controls).toHaveLength(1);
    const button = controls[0]!;
    const runtime = extension.runtimes.find((r) => r.actions.some((a) => a.id === button.actionId));
    expect(runtime).toBeDefined();
    expect(runtime!.type).toBe("general");
    expect(runtime!.lifetime).toBe("short");
    expect(runtime!.code.page).toBe("https://localhost:3000/taskpane");
    expect(runtime!.actions.find((a) => a.id === button.actionId)!.type).toBe("openPage");
    expect(button.icons.map((i) => i.size).sort((a, b) => a - b)).toEqual([16, 32, 80]);
    for (const icon of button.icons) expect(icon.url).toBe(`https://localhost:3000/assets/icon-${icon.size}.png`);
  });

  it("loads every page and ribbon icon from a domain listed in validDomains", () => {
    const ext = manifest.extensions[0]!;
    const urls = [
      ...manifest.staticTabs.map((t) => t.contentUrl),
      ...manifest.configurableTabs.map((t) => t.configurationUrl),
      ...ext.runtimes.map((r) => r.code.page),
      ...ext.ribbons.flatMap((r) => r.tabs.flatMap((t) => t.groups.flatMap((g) => [...(g.icons ?? []), ...g.controls.flatMap((c) => c.icons)]))).map((i) => i.url),
    ];
    expect(urls.length).toBeGreaterThan(5);
    for (const url of urls) {
      expect(url.startsWith("https://")).toBe(true);
      expect(manifest.validDomains).toContain(new URL(url).host);
    }
  });

  it("ships a 192×192 colour icon and a 32×32 outline that is white on transparent", () => {
    expect([colorPng.width, colorPng.height]).toEqual([192, 192]);
    expect([outlinePng.width, outlinePng.height]).toEqual([32, 32]);
    let opaque = 0;
    let transparent = 0;
    for (let i = 0; i < outlinePng.data.length; i += 4) {
      const [r, g, b, a] = [outlinePng.data[i], outlinePng.data[i + 1], outlinePng.data[i + 2], outlinePng.data[i + 3]];
      if (a === 0) transparent++;
      else expect([r, g, b]).toEqual([255, 255, 255]);
      if (a === 255) opaque++;
    }
    expect(opaque).toBeGreaterThan(32);
    expect(transparent).toBeGreaterThan(32 * 16);
  });
});

describe("app package with missing settings", () => {
  it("fails before writing anything, naming every unresolved placeholder", async () => {
    const outDir = mkdtempSync(join(tmpdir(), "app-package-missing-"));
    try {
      const { TEAMS_APP_ID: _id, TAB_ENDPOINT: _endpoint, ...partial } = LOCAL_SANDBOX_DEFAULTS;
      const attempt = buildPackage({ env: "dev", variables: partial, outDir });
      await expect(attempt).rejects.toBeInstanceOf(UnresolvedPlaceholdersError);
      await expect(attempt).rejects.toThrow(/TEAMS_APP_ID/);
      await expect(attempt).rejects.toThrow(/TAB_ENDPOINT/);
      expect(existsSync(join(outDir, "appPackage.dev.zip"))).toBe(false);
    } finally {
      rmSync(outDir, { recursive: true, force: true });
    }
  });
});
