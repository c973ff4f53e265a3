import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import {
  LOCAL_SANDBOX_DEFAULTS,
  ManifestValidationError,
  UnresolvedPlaceholdersError,
  buildPackage,
  checkCrossReferences,
  encodeJsonString,
  findPlaceholders,
  loadVariables,
  parseArgs,
  parseEnvFile,
  readPngSize,
  resolvePlaceholders,
} from "../../../scripts/package-app";

const APP_PACKAGE = fileURLToPath(new URL("../../../appPackage", import.meta.url));

const temps: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "package-app-"));
  temps.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A copy of appPackage/ whose manifest template the test may break. */
function appPackageCopy(edit?: (manifest: Record<string, unknown>) => void): string {
  const dir = tempDir();
  cpSync(APP_PACKAGE, dir, { recursive: true, filter: (src) => !src.includes(`${join("appPackage", "build")}`) });
  if (edit) {
    const manifest = JSON.parse(readFileSync(join(dir, "manifest.json"), "utf8")) as Record<string, unknown>;
    edit(manifest);
    writeFileSync(join(dir, "manifest.json"), JSON.stringify(manifest, null, 2));
  }
  return dir;
}

describe("resolvePlaceholders", () => {
  it("replaces every occurrence, tolerating spaces inside the braces as the toolkit does", () => {
    const out = resolvePlaceholders("api://${{TAB_DOMAIN}}/${{ AAD_APP_CLIENT_ID }} and ${{TAB_DOMAIN}}", {
      TAB_DOMAIN: "circles.example",
      AAD_APP_CLIENT_ID: "abc",
    });
    expect(out).toBe("api://circles.example/abc and circles.example");
  });

  it("names every unresolved placeholder once, in order of appearance", () => {
    const attempt = (): string => resolvePlaceholders("${{B}} ${{A}} ${{B}} ${{C}}", { C: "set" }, { source: "manifest.json" });
    expect(attempt).toThrow(UnresolvedPlaceholdersError);
    expect(attempt).toThrow("manifest.json has unresolved placeholders: B, A.");
    try {
      attempt();
    } catch (error) {
      expect((error as UnresolvedPlaceholdersError).names).toEqual(["B", "A"]);
    }
  });

  it("treats an empty value as unset, because the toolkit's env files declare variables empty", () => {
    expect(() => resolvePlaceholders("${{TEAMS_APP_ID}}", { TEAMS_APP_ID: "" })).toThrow(/TEAMS_APP_ID/);
  });

  it("keeps the JSON valid when a value contains quotes or backslashes", () => {
    const out = resolvePlaceholders('{"name":"${{N}}"}', { N: 'say "hi" \\o/' }, { encode: encodeJsonString });
    expect(JSON.parse(out)).toEqual({ name: 'say "hi" \\o/' });
  });

  it("finds the placeholders a template uses", () => {
    expect(findPlaceholders("${{X}}${{Y}}${{X}} $X {{Z}}")).toEqual(["X", "Y"]);
  });
});

describe("parseEnvFile", () => {
  it("reads KEY=value lines, skipping comments and blank lines, unquoting values", () => {
    const vars = parseEnvFile(["# comment", "", "A=1", 'B="two words"', "C='x=y'", "D=", "E=plain # trailing", "  F = spaced  "].join("\n"));
    expect(vars).toEqual({ A: "1", B: "two words", C: "x=y", D: "", E: "plain", F: "spaced" });
  });
});

describe("loadVariables", () => {
  function envDir(files: Record<string, string>): string {
    const dir = tempDir();
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    return dir;
  }

  it("prefers process.env, then .env.<env>, then .env.<env>.user, skipping empty values", () => {
    const dir = envDir({
      ".env.dev": "A=from-env-file\nB=from-env-file\nC=\n",
      ".env.dev.user": "A=from-user\nB=from-user\nC=from-user\nSECRET_X=s\n",
    });
    const vars = loadVariables({ env: "dev", envDir: dir, processEnv: { A: "from-process", B: "" } });
    expect(vars).toMatchObject({ A: "from-process", B: "from-env-file", C: "from-user", SECRET_X: "s", TEAMSFX_ENV: "dev" });
  });

  it("falls back to the sandbox identifiers for local only", () => {
    const dir = envDir({ ".env.local": "TEAMS_APP_ID=\nTAB_DOMAIN=tunnel.example\n", ".env.dev": "" });
    const local = loadVariables({ env: "local", envDir: dir, processEnv: {} });
    expect(local.TEAMS_APP_ID).toBe(LOCAL_SANDBOX_DEFAULTS.TEAMS_APP_ID);
    expect(local.AAD_APP_CLIENT_ID).toBe("c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11");
    expect(local.TAB_DOMAIN).toBe("tunnel.example");
    expect(local.TAB_ENDPOINT).toBe("https://localhost:3000");
    const dev = loadVariables({ env: "dev", envDir: dir, processEnv: {} });
    expect(dev.TEAMS_APP_ID).toBeUndefined();
  });
});

describe("parseArgs", () => {
  it("builds local by default and accepts --env name or --env=name", () => {
    expect(parseArgs([])).toEqual({ env: "local" });
    expect(parseArgs(["--env", "dev"])).toEqual({ env: "dev" });
    expect(parseArgs(["--env=staging"])).toEqual({ env: "staging" });
  });

  it("refuses an environment name that would escape env/", () => {
    expect(() => parseArgs(["--env", "../etc"])).toThrow(/--env/);
    expect(() => parseArgs(["--env"])).toThrow(/--env/);
  });
});

describe("checkCrossReferences", () => {
  it("flags a ribbon button whose actionId no runtime declares", () => {
    const errors = checkCrossReferences({
      manifestVersion: "1.30",
      icons: { color: "color.png", outline: "outline.png" },
      extensions: [
        {
          runtimes: [{ actions: [{ id: "openCoachingPane" }] }],
          ribbons: [{ tabs: [{ groups: [{ controls: [{ id: "ok", actionId: "openCoachingPane" }, { id: "broken", actionId: "typo" }] }] }] }],
        },
      ],
    });
    expect(errors).toEqual(['/extensions/0 ribbon control "broken" uses actionId "typo", which no runtime declares']);
  });
});

describe("readPngSize", () => {
  it("reads the dimensions of the committed icons and rejects non-PNG bytes", () => {
    expect(readPngSize(readFileSync(join(APP_PACKAGE, "color.png")))).toEqual({ width: 192, height: 192 });
    expect(readPngSize(readFileSync(join(APP_PACKAGE, "outline.png")))).toEqual({ width: 32, height: 32 });
    expect(readPngSize(Buffer.from("GIF89a not a png at all, really"))).toBeUndefined();
  });
});

// The first build compiles the 130 KB manifest schema, which is slow on a busy CI machine.
describe("buildPackage", { timeout: 20_000 }, () => {
  it("rejects a manifest the schema refuses, listing where", async () => {
    const dir = appPackageCopy((m) => {
      m.accentColor = "teal";
      (m.configurableTabs as Array<{ context: string[] }>)[0]!.context.push("teamLevelApp");
    });
    const attempt = buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, appPackageDir: dir, outDir: tempDir() });
    await expect(attempt).rejects.toBeInstanceOf(ManifestValidationError);
    await expect(attempt).rejects.toThrow(/\/accentColor/);
    await expect(attempt).rejects.toThrow(/\/configurableTabs\/0\/context/);
  });

  it("rejects a ribbon button that opens nothing", async () => {
    const dir = appPackageCopy((m) => {
      const ext = (m.extensions as Array<{ runtimes: Array<{ actions: Array<{ id: string }> }> }>)[0]!;
      ext.runtimes[0]!.actions[0]!.id = "renamedAction";
    });
    const attempt = buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, appPackageDir: dir, outDir: tempDir() });
    await expect(attempt).rejects.toThrow(/actionId "openCoachingPane", which no runtime declares/);
  });

  it("rejects an icon of the wrong size", async () => {
    const dir = appPackageCopy();
    cpSync(join(dir, "outline.png"), join(dir, "color.png"));
    const attempt = buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, appPackageDir: dir, outDir: tempDir() });
    await expect(attempt).rejects.toThrow("icon color.png is 32×32, expected 192×192");
  });

  it("produces byte-identical zips from identical inputs", async () => {
    const first = await buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, outDir: tempDir() });
    const second = await buildPackage({ env: "local", variables: LOCAL_SANDBOX_DEFAULTS, outDir: tempDir() });
    expect(readFileSync(first.zipPath).equals(readFileSync(second.zipPath))).toBe(true);
  });
});
