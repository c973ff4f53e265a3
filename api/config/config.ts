import { existsSync } from "node:fs";
import path from "node:path";
import { z } from "zod";
import { DEFAULT_SANDBOX_URL, SANDBOX_APP_CLIENT_ID, SANDBOX_TEAMS_APP_EXTERNAL_ID, SANDBOX_TENANT_ID } from "./sandbox-identity";

export type AppMode = "sandbox" | "microsoft365";
export type StorageConfig = { kind: "sqlite"; file: string } | { kind: "postgres"; url: string };

/** How bearer tokens for our API are validated (api/auth/verify-token.ts). */
export interface TokenValidationConfig {
  /** Our app's client id: the v2 `aud`; v1 tokens carry `api://<domain>/<clientId>`. */
  clientId: string;
  /** Tenants whose users may call the API. */
  allowedTenantIds: readonly string[];
  /** Accepted issuers, `{tid}` standing for the token's own `tid` claim. */
  issuerTemplates: readonly string[];
  jwksUrl: string;
  requiredScope: "access_as_user";
}

/** Confidential-client credentials for msal-node (Microsoft 365 mode only). */
export interface MsalConfig {
  clientId: string;
  /** Login host; tests point it elsewhere. */
  authorityHost: string;
  clientSecret?: string;
  certificatePath?: string;
}

export interface AppConfig {
  mode: AppMode;
  port: number;
  publicBaseUrl: string;
  graphBaseUrl: string;
  /** Set in sandbox mode only: the Microsoft 365 stand-in's base URL. */
  sandboxUrl?: string;
  storage: StorageConfig;
  dataDir: string;
  teamsAppId?: string;
  /** Team view threshold: at least this many participating reports (never below 3). */
  teamMinParticipants: number;
  /** Protected-time blocks written with application permissions for every member at booking. */
  protectedTimeAppMode: boolean;
  logLevel: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  auth: TokenValidationConfig;
  /** Present in Microsoft 365 mode only. */
  msal?: MsalConfig;
}

/** Thrown by loadConfig with every problem in one message, so a deploy fails once, not five times. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

// Empty strings count as unset: .env files and CI often export `NAME=`.
const optionalText = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.string().trim().optional());
const optionalUrl = z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.url({ protocol: /^https?$/ }).optional());
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const EnvSchema = z.object({
  PORT: z.preprocess((v) => (v === "" ? undefined : v), z.coerce.number().int().min(0).max(65535).default(3000)),
  AAD_APP_CLIENT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), "must be a GUID"),
  AAD_APP_TENANT_ID: optionalText.refine((v) => v === undefined || GUID.test(v), "must be a GUID"),
  AAD_APP_CLIENT_SECRET: optionalText,
  AAD_APP_CERTIFICATE_PATH: optionalText,
  ALLOWED_TENANT_IDS: optionalText,
  GRAPH_BASE_URL: optionalUrl,
  SANDBOX_URL: optionalUrl,
  DATABASE_URL: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : v),
    z.string().regex(/^postgres(ql)?:\/\//, "must be a postgres:// URL").optional(),
  ),
  DATA_DIR: optionalText,
  PUBLIC_BASE_URL: optionalUrl,
  TEAMS_APP_ID: optionalText,
  LOG_LEVEL: z.preprocess((v) => (v === "" ? undefined : v), z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info")),
  // How many of a manager's reports must take part before team figures show (product.md §8).
  TEAM_MIN_PARTICIPANTS: z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), z.coerce.number({ error: "must be a whole number" }).int("must be a whole number").min(1).max(1000).default(5)),
  // Admin-enabled application mode: prep/reflection blocks for every member at booking.
  PROTECTED_TIME_APP_MODE: z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim().toLowerCase() : v),
    z.enum(["true", "false", "1", "0", "yes", "no"], { error: "must be true or false" }).default("false"),
  ),
});

type Env = z.infer<typeof EnvSchema>;

/**
 * Validates variable by variable (not the object at once) so that one bad value does not hide
 * the others: the caller reports every problem together.
 */
function parseEachVariable(env: Record<string, string | undefined>): { values: Env; problems: string[] } {
  const problems: string[] = [];
  const values: Record<string, unknown> = {};
  for (const [name, schema] of Object.entries(EnvSchema.shape)) {
    const result = (schema as z.ZodType).safeParse(env[name]);
    if (result.success) values[name] = result.data;
    else problems.push(`${name}: ${result.error.issues.map((i) => i.message).join(", ")}`);
  }
  // Fields that failed are absent; callers throw before reading values when problems is non-empty.
  return { values: values as Env, problems };
}

const stripSlash = (url: string) => url.replace(/\/+$/, "");

/**
 * Parses the environment. No AAD_APP_CLIENT_ID → sandbox mode (everything Microsoft 365 provides
 * comes from the sandbox); otherwise Microsoft 365 mode, which needs a tenant (AAD_APP_TENANT_ID
 * or ALLOWED_TENANT_IDS), a credential (secret or certificate) and PUBLIC_BASE_URL.
 * @throws ConfigError naming every missing or invalid variable.
 */
export function loadConfig(env: Record<string, string | undefined>, opts: { cwd?: string } = {}): AppConfig {
  const cwd = opts.cwd ?? process.cwd();
  const { values: e, problems } = parseEachVariable(env);

  const dataDir = path.resolve(cwd, e.DATA_DIR ?? ".data");
  const storage: StorageConfig = e.DATABASE_URL ? { kind: "postgres", url: e.DATABASE_URL } : { kind: "sqlite", file: path.join(dataDir, "coaching-circles.sqlite") };
  const logLevel = e.LOG_LEVEL;
  const teamsAppId = e.TEAMS_APP_ID;
  // Below 3, an aggregate could point at one person: the floor is a product rule, not a setting.
  const teamMinParticipants = Math.max(3, e.TEAM_MIN_PARTICIPANTS ?? 5);
  const protectedTimeAppMode = ["true", "1", "yes"].includes(e.PROTECTED_TIME_APP_MODE ?? "false");

  if (!e.AAD_APP_CLIENT_ID) {
    if (problems.length > 0) throw new ConfigError(problems);
    const sandboxUrl = stripSlash(e.SANDBOX_URL ?? DEFAULT_SANDBOX_URL);
    return {
      mode: "sandbox",
      port: e.PORT,
      publicBaseUrl: stripSlash(e.PUBLIC_BASE_URL ?? `http://localhost:${e.PORT}`),
      graphBaseUrl: stripSlash(e.GRAPH_BASE_URL ?? `${sandboxUrl}/v1.0`),
      sandboxUrl,
      storage,
      dataDir,
      // The sandbox's catalog holds our app under this manifest id unless TEAMS_APP_ID says otherwise.
      teamsAppId: teamsAppId ?? SANDBOX_TEAMS_APP_EXTERNAL_ID,
      teamMinParticipants,
      protectedTimeAppMode,
      logLevel,
      // The sandbox is just another trusted issuer: same validation code, different URLs.
      auth: {
        clientId: SANDBOX_APP_CLIENT_ID,
        allowedTenantIds: [SANDBOX_TENANT_ID],
        issuerTemplates: [`${sandboxUrl}/identity/{tid}/v2.0`],
        jwksUrl: `${sandboxUrl}/identity/discovery/v2.0/keys`,
        requiredScope: "access_as_user",
      },
    };
  }

  const allowed = new Set<string>();
  if (e.AAD_APP_TENANT_ID) allowed.add(e.AAD_APP_TENANT_ID.toLowerCase());
  for (const id of (e.ALLOWED_TENANT_IDS ?? "").split(/[\s,;]+/).filter(Boolean)) {
    if (GUID.test(id)) allowed.add(id.toLowerCase());
    else problems.push(`ALLOWED_TENANT_IDS: "${id}" is not a tenant id (GUID)`);
  }
  if (!e.AAD_APP_TENANT_ID && !e.ALLOWED_TENANT_IDS) {
    problems.push("AAD_APP_TENANT_ID or ALLOWED_TENANT_IDS: required in Microsoft 365 mode (which tenants may sign in)");
  }
  if (!e.AAD_APP_CLIENT_SECRET && !e.AAD_APP_CERTIFICATE_PATH) {
    problems.push("AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH: required in Microsoft 365 mode (credential for on-behalf-of)");
  }
  const certificatePath = e.AAD_APP_CERTIFICATE_PATH ? path.resolve(cwd, e.AAD_APP_CERTIFICATE_PATH) : undefined;
  if (certificatePath && !existsSync(certificatePath)) {
    problems.push(`AAD_APP_CERTIFICATE_PATH: no file at ${certificatePath}`);
  }
  if (!e.PUBLIC_BASE_URL) {
    problems.push("PUBLIC_BASE_URL: required in Microsoft 365 mode (the HTTPS address Teams and Outlook load)");
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const authorityHost = "https://login.microsoftonline.com";
  return {
    mode: "microsoft365",
    port: e.PORT,
    publicBaseUrl: stripSlash(e.PUBLIC_BASE_URL ?? ""),
    graphBaseUrl: stripSlash(e.GRAPH_BASE_URL ?? "https://graph.microsoft.com/v1.0"),
    storage,
    dataDir,
    teamsAppId,
    teamMinParticipants,
    protectedTimeAppMode,
    logLevel,
    auth: {
      clientId: e.AAD_APP_CLIENT_ID,
      allowedTenantIds: [...allowed],
      // platform-facts.md "SSO and tokens": v2 and v1 issuers, both bound to the token's tid.
      issuerTemplates: [`${authorityHost}/{tid}/v2.0`, "https://sts.windows.net/{tid}/"],
      jwksUrl: `${authorityHost}/common/discovery/v2.0/keys`,
      requiredScope: "access_as_user",
    },
    msal: {
      clientId: e.AAD_APP_CLIENT_ID,
      authorityHost,
      clientSecret: e.AAD_APP_CLIENT_SECRET,
      certificatePath,
    },
  };
}
