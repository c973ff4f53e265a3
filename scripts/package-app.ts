/**
 * Builds the Teams / Microsoft 365 app package: `npm run package [-- --env local|dev]`.
 *
 * Does offline what the toolkit's `teamsApp/validateManifest` + `teamsApp/zipAppPackage` do, so
 * the package can be built and checked without signing in anywhere:
 *   1. every `${{NAME}}` in appPackage/manifest.json is resolved from process.env, then
 *      env/.env.<env>, then env/.env.<env>.user (first non-empty value wins); for `local` the
 *      sandbox identifiers fill whatever is still missing;
 *   2. the result is validated against the manifest schema bundled in @microsoft/app-manifest
 *      (no network; draft-04 like the schema, compiled once per process because compiling the
 *      130 KB schema takes about a second), plus what the schema cannot express;
 *   3. appPackage/build/manifest.<env>.json and appPackage/build/appPackage.<env>.zip are written
 *      (manifest.json and the icons at the zip root, as Teams requires).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, normalize, isAbsolute, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { ValidateFunction } from "ajv";
import Ajv04 from "ajv-draft-04";
import addFormats from "ajv-formats";
import JSZip from "jszip";
import { z } from "zod";

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** `${{NAME}}`, the toolkit's placeholder syntax (spaces inside the braces are tolerated, as there). */
const PLACEHOLDER = /\$\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}/g;

/**
 * What `--env local` uses when nothing else is set: the sandbox's fixed identifiers, so the
 * package builds on a fresh clone. TAB_ENDPOINT must be https: the schema requires it for the
 * Outlook task pane (`extensionRuntimeCode.page` is a secureHttpUrl).
 */
export const LOCAL_SANDBOX_DEFAULTS: Readonly<Record<string, string>> = {
  TEAMSFX_ENV: "local",
  APP_NAME_SUFFIX: "-local",
  TEAMS_APP_ID: "5a1d0c1e-c0ac-4c1e-8c1c-c0ac41c1e5aa",
  AAD_APP_CLIENT_ID: "c0c0a7c1-5e55-4c1e-8c1c-c1c1e5c0ac11",
  TAB_DOMAIN: "localhost:3000",
  TAB_ENDPOINT: "https://localhost:3000",
};

export class UnresolvedPlaceholdersError extends Error {
  constructor(
    readonly names: readonly string[],
    source: string,
    hint = "",
  ) {
    super(`${source} has unresolved placeholders: ${names.join(", ")}.${hint ? ` ${hint}` : ""}`);
    this.name = "UnresolvedPlaceholdersError";
  }
}

export class ManifestValidationError extends Error {
  constructor(readonly errors: readonly string[]) {
    super(`The app manifest is not valid:\n${errors.map((e) => `  - ${e}`).join("\n")}`);
    this.name = "ManifestValidationError";
  }
}

/** Placeholder names in order of first appearance, each once. */
export function findPlaceholders(template: string): string[] {
  return [...new Set(Array.from(template.matchAll(PLACEHOLDER), (m) => m[1]!))];
}

/**
 * Replaces every `${{NAME}}` with its value. Empty values count as missing, because the toolkit's
 * env files declare variables with empty values until provisioning fills them.
 * @throws UnresolvedPlaceholdersError naming every placeholder without a value.
 */
export function resolvePlaceholders(
  template: string,
  variables: Readonly<Record<string, string | undefined>>,
  opts: { source?: string; hint?: string; encode?: (value: string) => string } = {},
): string {
  const missing = findPlaceholders(template).filter((name) => !variables[name]);
  if (missing.length > 0) {
    throw new UnresolvedPlaceholdersError(missing, opts.source ?? "The template", opts.hint);
  }
  const encode = opts.encode ?? ((v: string) => v);
  return template.replace(PLACEHOLDER, (_match, name: string) => encode(variables[name]!));
}

/** Placeholders sit inside JSON strings; escaping keeps a value with `"` or `\` from breaking the JSON. */
export function encodeJsonString(value: string): string {
  return JSON.stringify(value).slice(1, -1);
}

/** The toolkit's .env format: `KEY=value`, `#` comments, optional single or double quotes. */
export function parseEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) continue;
    const key = line.slice(0, eq).trim();
    let value = line.slice(eq + 1).trim();
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2]!;
    else value = value.replace(/\s+#.*$/, "");
    vars[key] = value;
  }
  return vars;
}

function readEnvFile(path: string): Record<string, string> {
  return existsSync(path) ? parseEnvFile(readFileSync(path, "utf8")) : {};
}

/**
 * Variables for one toolkit environment. Lookup order per name: process.env, env/.env.<env>,
 * env/.env.<env>.user, then (local only) LOCAL_SANDBOX_DEFAULTS. The first non-empty value wins.
 */
export function loadVariables(opts: {
  env: string;
  envDir: string;
  processEnv?: Readonly<Record<string, string | undefined>>;
}): Record<string, string> {
  const layers: Array<Readonly<Record<string, string | undefined>>> = [
    opts.processEnv ?? {},
    readEnvFile(join(opts.envDir, `.env.${opts.env}`)),
    readEnvFile(join(opts.envDir, `.env.${opts.env}.user`)),
    opts.env === "local" ? LOCAL_SANDBOX_DEFAULTS : {},
  ];
  const merged: Record<string, string> = {};
  for (const layer of [...layers].reverse()) {
    for (const [key, value] of Object.entries(layer)) {
      if (value) merged[key] = value;
    }
  }
  // TEAMSFX_ENV names the environment being built, whatever a file says.
  merged.TEAMSFX_ENV = opts.env;
  return merged;
}

/** The JSON Schema for a manifest version, from the copy bundled in @microsoft/app-manifest. */
export function bundledSchemaPath(manifestVersion: string): string {
  const entry = createRequire(import.meta.url).resolve("@microsoft/app-manifest");
  return join(dirname(entry), "json-schemas", "teams", `v${manifestVersion}`, "MicrosoftTeams.schema.json");
}

const compiledSchemas = new Map<string, ValidateFunction>();

/**
 * The same validator settings as AppManifestUtils.validateAgainstSchema (ajv-draft-04,
 * allErrors, uri/email/regex formats), but compiled once per schema file.
 */
function schemaValidator(schemaPath: string): ValidateFunction {
  let validate = compiledSchemas.get(schemaPath);
  if (!validate) {
    const ajv = new Ajv04({ allErrors: true, strictTypes: false });
    addFormats(ajv, ["uri", "email", "regex"]);
    validate = ajv.compile(JSON.parse(readFileSync(schemaPath, "utf8")) as object);
    compiledSchemas.set(schemaPath, validate);
  }
  return validate;
}

/** The parts of the manifest the cross-reference checks read; everything else passes through. */
const manifestShape = z.looseObject({
  manifestVersion: z.string(),
  icons: z.looseObject({ color: z.string(), outline: z.string() }),
  extensions: z
    .array(
      z.looseObject({
        runtimes: z.array(z.looseObject({ actions: z.array(z.looseObject({ id: z.string() })).optional() })).optional(),
        ribbons: z
          .array(
            z.looseObject({
              tabs: z.array(
                z.looseObject({
                  groups: z.array(z.looseObject({ controls: z.array(z.looseObject({ actionId: z.string().optional(), id: z.string() })).optional() })).optional(),
                }),
              ),
            }),
          )
          .optional(),
      }),
    )
    .optional(),
});
type ManifestShape = z.infer<typeof manifestShape>;

/** What the schema cannot say: a ribbon button must point at an action some runtime declares. */
export function checkCrossReferences(manifest: ManifestShape): string[] {
  const errors: string[] = [];
  for (const [i, extension] of (manifest.extensions ?? []).entries()) {
    const actionIds = new Set((extension.runtimes ?? []).flatMap((r) => (r.actions ?? []).map((a) => a.id)));
    for (const ribbon of extension.ribbons ?? []) {
      for (const tab of ribbon.tabs) {
        for (const group of tab.groups ?? []) {
          for (const control of group.controls ?? []) {
            if (control.actionId && !actionIds.has(control.actionId)) {
              errors.push(`/extensions/${i} ribbon control "${control.id}" uses actionId "${control.actionId}", which no runtime declares`);
            }
          }
        }
      }
    }
  }
  return errors;
}

/** Width and height from a PNG's IHDR chunk, or undefined when the bytes are not a PNG. */
export function readPngSize(data: Buffer): { width: number; height: number } | undefined {
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  if (data.length < 24 || !data.subarray(0, 8).equals(signature) || data.toString("ascii", 12, 16) !== "IHDR") return undefined;
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/** Icons are package-relative paths; refuse anything that would escape the package folder. */
function packageFile(appPackageDir: string, relPath: string): string {
  const normalised = normalize(relPath);
  if (isAbsolute(normalised) || normalised.startsWith("..")) {
    throw new ManifestValidationError([`icon path "${relPath}" must be relative to appPackage/`]);
  }
  return join(appPackageDir, normalised);
}

/**
 * Validates a resolved manifest: the v<manifestVersion> schema (offline), cross-references, and
 * the icon files (Teams rejects a package whose icons have the wrong size).
 */
export function validateManifest(manifest: unknown, appPackageDir: string): string[] {
  const parsed = manifestShape.safeParse(manifest);
  if (!parsed.success) return parsed.error.issues.map((issue) => `/${issue.path.join("/")} ${issue.message}`);
  const schemaPath = bundledSchemaPath(parsed.data.manifestVersion);
  if (!existsSync(schemaPath)) return [`no bundled schema for manifestVersion ${parsed.data.manifestVersion} (looked for ${schemaPath})`];
  const validate = schemaValidator(schemaPath);
  const errors = validate(manifest) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || "/"} ${e.message ?? "is invalid"} ${JSON.stringify(e.params)}`);
  errors.push(...checkCrossReferences(parsed.data));
  const expected: Array<[string, number]> = [
    [parsed.data.icons.color, 192],
    [parsed.data.icons.outline, 32],
  ];
  for (const [relPath, size] of expected) {
    const file = packageFile(appPackageDir, relPath);
    if (!existsSync(file)) {
      errors.push(`icon ${relPath} is missing from appPackage/`);
      continue;
    }
    const dims = readPngSize(readFileSync(file));
    if (!dims) errors.push(`icon ${relPath} is not a PNG`);
    else if (dims.width !== size || dims.height !== size) errors.push(`icon ${relPath} is ${dims.width}×${dims.height}, expected ${size}×${size}`);
  }
  return errors;
}

export interface BuildPackageOptions {
  /** Toolkit environment name: names the output files and the env files read by loadVariables. */
  env: string;
  variables: Readonly<Record<string, string | undefined>>;
  /** Folder holding manifest.json and the icons. Default: <repo>/appPackage. */
  appPackageDir?: string;
  /** Default: <appPackageDir>/build. */
  outDir?: string;
}

export interface BuiltPackage {
  manifest: Record<string, unknown>;
  manifestPath: string;
  zipPath: string;
  /** Entries of the zip, all at its root. */
  entries: string[];
}

// A fixed timestamp keeps the zip byte-for-byte reproducible for the same inputs.
const ZIP_DATE = new Date(Date.UTC(2020, 0, 1));

/**
 * Resolves, validates and zips the app package.
 * @throws UnresolvedPlaceholdersError when a `${{NAME}}` has no value.
 * @throws ManifestValidationError listing every schema, cross-reference or icon problem.
 */
export async function buildPackage(opts: BuildPackageOptions): Promise<BuiltPackage> {
  const appPackageDir = opts.appPackageDir ?? join(REPO_ROOT, "appPackage");
  const outDir = opts.outDir ?? join(appPackageDir, "build");
  const template = readFileSync(join(appPackageDir, "manifest.json"), "utf8");
  const resolved = resolvePlaceholders(template, opts.variables, {
    source: "appPackage/manifest.json",
    hint: `Set them in the environment, in env/.env.${opts.env} or in env/.env.${opts.env}.user (\`teamsapp provision --env ${opts.env}\` fills most of them).`,
    encode: encodeJsonString,
  });
  const manifest = JSON.parse(resolved) as Record<string, unknown>;
  const errors = validateManifest(manifest, appPackageDir);
  if (errors.length > 0) throw new ManifestValidationError(errors);

  const icons = manifestShape.parse(manifest).icons;
  const zip = new JSZip();
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  zip.file("manifest.json", manifestJson, { date: ZIP_DATE });
  for (const relPath of new Set([icons.color, icons.outline])) {
    const file = packageFile(appPackageDir, relPath);
    // Zip entry names use forward slashes whatever the OS; "color.png" stays at the root.
    zip.file(relative(appPackageDir, file).split("\\").join("/"), readFileSync(file), { date: ZIP_DATE });
  }
  const zipData = await zip.generateAsync({ type: "nodebuffer", compression: "DEFLATE", platform: "UNIX" });

  mkdirSync(outDir, { recursive: true });
  const manifestPath = join(outDir, `manifest.${opts.env}.json`);
  const zipPath = join(outDir, `appPackage.${opts.env}.zip`);
  writeFileSync(manifestPath, manifestJson);
  writeFileSync(zipPath, zipData);
  return { manifest, manifestPath, zipPath, entries: Object.keys(zip.files) };
}

export function parseArgs(argv: readonly string[]): { env: string } {
  let env = "local";
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === "--env") env = argv[++i] ?? "";
    else if (arg.startsWith("--env=")) env = arg.slice("--env=".length);
  }
  if (!/^[A-Za-z0-9_-]+$/.test(env)) throw new Error(`--env needs an environment name like local or dev (got "${env}")`);
  return { env };
}

async function main(): Promise<void> {
  const { env } = parseArgs(process.argv.slice(2));
  const variables = loadVariables({ env, envDir: join(REPO_ROOT, "env"), processEnv: process.env });
  const built = await buildPackage({ env, variables });
  console.log(`manifest: ${relative(process.cwd(), built.manifestPath)}`);
  console.log(`package:  ${relative(process.cwd(), built.zipPath)} (${built.entries.join(", ")})`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  });
}
