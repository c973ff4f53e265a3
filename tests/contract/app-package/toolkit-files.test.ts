/**
 * The Microsoft 365 Agents Toolkit (Teams Toolkit) project files: teamsapp.yml and
 * teamsapp.local.yml, the Entra app manifest, the Azure Bicep and the env files. The toolkit
 * itself needs a sign-in to run, so these tests check what it would trip over: step order,
 * paths, and that every ${{VARIABLE}} a lifecycle reads is declared or produced earlier.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { findPlaceholders, parseEnvFile } from "../../../scripts/package-app";

const repo = (path: string): string => fileURLToPath(new URL(`../../../${path}`, import.meta.url));
const read = (path: string): string => readFileSync(repo(path), "utf8");

interface Step {
  uses: string;
  with?: Record<string, unknown>;
  writeToEnvironmentFile?: Record<string, string>;
}
interface Lifecycle {
  version: string;
  environmentFolderPath?: string;
  provision: Step[];
  deploy?: Step[];
  publish?: Step[];
}

function loadYml(path: string): { text: string; doc: Lifecycle } {
  const text = read(path);
  return { text, doc: parse(text) as Lifecycle };
}

/** Asserts `expected` appears in `actual` in this order (other steps may sit between). */
function expectInOrder(actual: string[], expected: string[]): void {
  let from = 0;
  for (const step of expected) {
    const at = actual.indexOf(step, from);
    expect(at, `${step} after position ${from} in [${actual.join(", ")}]`).toBeGreaterThanOrEqual(0);
    from = at + 1;
  }
}

const bicep = read("infra/azure.bicep");
const bicepOutputs = Array.from(bicep.matchAll(/^output\s+(\w+)\s/gm), (m) => m[1]!);
const bicepParams = Array.from(bicep.matchAll(/^param\s+(\w+)\s/gm), (m) => m[1]!);

describe("teamsapp.yml (Azure)", () => {
  const { text, doc } = loadYml("teamsapp.yml");

  it("declares schema v1.8 for the YAML language server and the toolkit", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=https://aka.ms/teams-toolkit/v1.8/yaml.schema.json");
    expect(doc.version).toBe("v1.8");
    expect(doc.environmentFolderPath).toBe("./env");
  });

  it("provisions identity, the Teams app and Azure before configuring and uploading the package", () => {
    expectInOrder(
      doc.provision.map((s) => s.uses),
      ["aadApp/create", "teamsApp/create", "arm/deploy", "aadApp/update", "teamsApp/validateManifest", "teamsApp/zipAppPackage", "teamsApp/update"],
    );
  });

  it("points every step at files that exist", () => {
    const arm = doc.provision.find((s) => s.uses === "arm/deploy")!;
    const templates = arm.with!.templates as Array<{ path: string; parameters: string }>;
    for (const t of templates) {
      expect(existsSync(repo(t.path))).toBe(true);
      expect(existsSync(repo(t.parameters))).toBe(true);
    }
    expect(existsSync(repo(doc.provision.find((s) => s.uses === "aadApp/update")!.with!.manifestPath as string))).toBe(true);
    for (const step of [...doc.provision, ...(doc.publish ?? [])].filter((s) => s.with?.manifestPath)) {
      expect(existsSync(repo(step.with!.manifestPath as string))).toBe(true);
    }
  });

  it("uploads exactly the zip it built, and keeps build output in the gitignored appPackage/build", () => {
    const zips = [...doc.provision, ...(doc.publish ?? [])].filter((s) => s.uses === "teamsApp/zipAppPackage").map((s) => s.with!.outputZipPath);
    expect(new Set(zips)).toEqual(new Set(["./appPackage/build/appPackage.${{TEAMSFX_ENV}}.zip"]));
    const uploads = [...doc.provision, ...(doc.publish ?? [])].filter((s) => s.with?.appPackagePath).map((s) => s.with!.appPackagePath);
    expect(uploads.length).toBeGreaterThanOrEqual(4);
    for (const path of uploads) expect(path).toBe(zips[0]);
    expect(read(".gitignore")).toMatch(/^appPackage\/build\/$/m);
  });

  it("deploys by building with npm and zip-deploying to the App Service the Bicep created", () => {
    const deploy = doc.deploy ?? [];
    expectInOrder(
      deploy.map((s) => s.uses),
      ["cli/runNpmCommand", "cli/runNpmCommand", "azureAppService/zipDeploy"],
    );
    expect(deploy.filter((s) => s.uses === "cli/runNpmCommand").map((s) => String(s.with!.args))).toEqual(
      expect.arrayContaining([expect.stringMatching(/^install/), "run build"]),
    );
    const zipDeploy = deploy.find((s) => s.uses === "azureAppService/zipDeploy")!;
    expect(zipDeploy.with!.resourceId).toBe("${{TAB_AZURE_APP_SERVICE_RESOURCE_ID}}");
    expect(bicepOutputs).toContain("TAB_AZURE_APP_SERVICE_RESOURCE_ID");
    expect(existsSync(repo(zipDeploy.with!.ignoreFile as string))).toBe(true);
  });

  it("publishes the validated package to the tenant catalog last", () => {
    const publish = (doc.publish ?? []).map((s) => s.uses);
    expectInOrder(publish, ["teamsApp/validateManifest", "teamsApp/zipAppPackage", "teamsApp/update", "teamsApp/publishAppPackage"]);
    expect(publish.at(-1)).toBe("teamsApp/publishAppPackage");
  });

  it("reads only variables that env/.env.dev declares, an earlier step writes, or a SECRET_ the user supplies", () => {
    const declared = new Set(Object.keys(parseEnvFile(read("env/.env.dev"))));
    const produced = new Set<string>(["TEAMSFX_ENV", ...bicepOutputs]);
    for (const step of doc.provision) for (const name of Object.values(step.writeToEnvironmentFile ?? {})) produced.add(name);
    const files = [text, read("infra/azure.parameters.json"), read("aad.manifest.json"), read("appPackage/manifest.json")];
    const used = new Set(files.flatMap((f) => findPlaceholders(f)));
    const unknown = [...used].filter((name) => !declared.has(name) && !produced.has(name) && !name.startsWith("SECRET_"));
    expect(unknown).toEqual([]);
  });
});

describe("teamsapp.local.yml (local debugging in a real tenant)", () => {
  const { text, doc } = loadYml("teamsapp.local.yml");

  it("registers the Entra and Teams apps and uploads a validated package", () => {
    expect(text.split("\n")[0]).toBe("# yaml-language-server: $schema=https://aka.ms/teams-toolkit/v1.8/yaml.schema.json");
    expect(doc.version).toBe("v1.8");
    const steps = doc.provision.map((s) => s.uses);
    expectInOrder(steps, ["aadApp/create", "teamsApp/create", "aadApp/update", "teamsApp/validateManifest", "teamsApp/zipAppPackage", "teamsApp/update"]);
    expect(steps).not.toContain("arm/deploy");
  });

  it("writes the API's Microsoft 365 settings, named as the API reads them", () => {
    const writer = (doc.deploy ?? []).find((s) => s.uses === "file/createOrUpdateEnvironmentFile");
    expect(writer).toBeDefined();
    const envs = writer!.with!.envs as Record<string, unknown>;
    // The API's environment contract (api/config): anything else would be silently ignored.
    const apiVariables = [
      "PORT", "AAD_APP_CLIENT_ID", "AAD_APP_TENANT_ID", "AAD_APP_CLIENT_SECRET", "AAD_APP_CERTIFICATE_PATH", "ALLOWED_TENANT_IDS",
      "GRAPH_BASE_URL", "SANDBOX_URL", "DATABASE_URL", "DATA_DIR", "PUBLIC_BASE_URL", "TEAMS_APP_ID",
    ];
    for (const key of Object.keys(envs)) expect(apiVariables).toContain(key);
    expect(envs).toMatchObject({
      AAD_APP_CLIENT_ID: "${{AAD_APP_CLIENT_ID}}",
      AAD_APP_TENANT_ID: "${{AAD_APP_TENANT_ID}}",
      AAD_APP_CLIENT_SECRET: "${{SECRET_AAD_APP_CLIENT_SECRET}}",
      PUBLIC_BASE_URL: "${{TAB_ENDPOINT}}",
    });
  });
});

describe("aad.manifest.json (Entra app for tab SSO)", () => {
  const aad = JSON.parse(read("aad.manifest.json")) as {
    identifierUris: string[];
    api: {
      requestedAccessTokenVersion: number;
      oauth2PermissionScopes: Array<{ value: string; id: string; type: string; isEnabled: boolean }>;
      preAuthorizedApplications: Array<{ appId: string; delegatedPermissionIds: string[] }>;
    };
    requiredResourceAccess: Array<{ resourceAppId: string; resourceAccess: Array<{ id: string; type: string }> }>;
    optionalClaims: { accessToken: Array<{ name: string }> };
  };

  it("exposes access_as_user on api://<tab domain>/<client id> with v2 tokens", () => {
    expect(aad.identifierUris).toEqual(["api://${{TAB_DOMAIN}}/${{AAD_APP_CLIENT_ID}}"]);
    expect(aad.api.requestedAccessTokenVersion).toBe(2);
    expect(aad.api.oauth2PermissionScopes).toEqual([
      expect.objectContaining({ value: "access_as_user", id: "${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}", type: "User", isEnabled: true }),
    ]);
  });

  it("pre-authorises every Teams, Outlook and Microsoft 365 client so SSO needs no consent prompt", () => {
    const clients = [
      "1fec8e78-bce4-4aaf-ab1b-5451cc387264", "5e3ce6c0-2b1f-4285-8d4b-75ee78787346", "4765445b-32c6-49b0-83e6-1d93765276ca",
      "0ec893e0-5785-4de6-99da-4ed124e5296c", "d3590ed6-52b3-4102-aeff-aad2292ab01c", "bc59ab01-8403-45c6-8796-ac3ef710b3e3",
      "27922004-5251-4030-b22d-91ecd9a37ea4", "00000002-0000-0ff1-ce00-000000000000", "4345a7b9-9a63-4910-a426-35363201d503",
    ];
    expect(aad.api.preAuthorizedApplications.map((a) => a.appId).sort()).toEqual([...clients].sort());
    for (const app of aad.api.preAuthorizedApplications) expect(app.delegatedPermissionIds).toEqual(["${{AAD_APP_ACCESS_AS_USER_PERMISSION_ID}}"]);
  });

  it("requests the delegated Graph permissions the architecture lists, and idtyp in access tokens", () => {
    const graph = aad.requiredResourceAccess.find((r) => r.resourceAppId === "Microsoft Graph")!;
    const scopes = graph.resourceAccess.filter((a) => a.type === "Scope").map((a) => a.id);
    expect(scopes).toEqual(
      expect.arrayContaining([
        "User.Read", "User.ReadBasic.All", "Calendars.ReadWrite", "MailboxSettings.Read", "OnlineMeetings.ReadWrite",
        "TeamsAppInstallation.ReadWriteForChat", "TeamsTab.Create", "ChatMessage.Send", "Tasks.ReadWrite",
      ]),
    );
    expect(graph.resourceAccess.filter((a) => a.type === "Role").map((a) => a.id)).toContain("TeamsActivity.Send");
    expect(aad.optionalClaims.accessToken.map((c) => c.name)).toContain("idtyp");
  });
});

describe("infra (App Service + PostgreSQL)", () => {
  const parameters = JSON.parse(read("infra/azure.parameters.json")) as { parameters: Record<string, { value: string }> };

  it("passes only parameters the Bicep declares, secrets only from SECRET_ variables", () => {
    for (const name of Object.keys(parameters.parameters)) expect(bicepParams).toContain(name);
    const secure = Array.from(bicep.matchAll(/@secure\(\)\s*(?:@\w+\([^)]*\)\s*)*param\s+(\w+)/g), (m) => m[1]!);
    expect(secure.sort()).toEqual(["aadAppClientSecret", "postgresAdminPassword"]);
    for (const name of secure) expect(parameters.parameters[name]!.value).toMatch(/^\$\{\{SECRET_\w+\}\}$/);
  });

  it("runs Node 20 on Linux and hands the API its Microsoft 365 and PostgreSQL settings", () => {
    expect(bicep).toContain("'NODE|20-lts'");
    expect(bicep).toMatch(/Microsoft\.DBforPostgreSQL\/flexibleServers@/);
    for (const setting of ["DATABASE_URL", "AAD_APP_CLIENT_ID", "AAD_APP_TENANT_ID", "AAD_APP_CLIENT_SECRET", "ALLOWED_TENANT_IDS", "PUBLIC_BASE_URL", "TEAMS_APP_ID"]) {
      expect(bicep).toContain(`name: '${setting}'`);
    }
    expect(bicepOutputs).toEqual(expect.arrayContaining(["TAB_DOMAIN", "TAB_ENDPOINT", "TAB_AZURE_APP_SERVICE_RESOURCE_ID"]));
  });
});

describe("env files", () => {
  for (const file of ["env/.env.dev", "env/.env.local"]) {
    it(`${file} commits names only: no secrets, no values the toolkit fills`, () => {
      const vars = parseEnvFile(read(file));
      const env = file.split(".").at(-1)!;
      expect(vars.TEAMSFX_ENV).toBe(env);
      expect(vars.APP_NAME_SUFFIX).toBe(`-${env}`);
      for (const name of ["TEAMS_APP_ID", "AAD_APP_CLIENT_ID", "AAD_APP_TENANT_ID", "TAB_DOMAIN", "TAB_ENDPOINT"]) expect(vars[name]).toBe("");
      const filled = Object.entries(vars).filter(([key, value]) => value !== "" && key !== "TEAMSFX_ENV" && key !== "APP_NAME_SUFFIX");
      expect(filled).toEqual([]);
      expect(Object.keys(vars).filter((key) => key.startsWith("SECRET_"))).toEqual([]);
    });
  }
});
