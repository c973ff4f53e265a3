import path from "node:path";
import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig, SANDBOX_APP_CLIENT_ID, SANDBOX_TENANT_ID } from "../../../../api/config";

const CLIENT_ID = "11111111-2222-4333-8444-555555555555";
const TENANT_ID = "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee";

function problemsOf(env: Record<string, string | undefined>): readonly string[] {
  try {
    loadConfig(env, { cwd: "/srv/app" });
  } catch (err) {
    if (err instanceof ConfigError) return err.problems;
    throw err;
  }
  throw new Error("loadConfig accepted the environment");
}

describe("loadConfig", () => {
  describe("sandbox mode (no AAD_APP_CLIENT_ID)", () => {
    it("needs no settings at all and points Graph and sign-in at the sandbox", () => {
      const config = loadConfig({}, { cwd: "/srv/app" });
      expect(config).toMatchObject({
        mode: "sandbox",
        port: 3000,
        publicBaseUrl: "http://localhost:3000",
        sandboxUrl: "http://localhost:3001",
        graphBaseUrl: "http://localhost:3001/v1.0",
        storage: { kind: "sqlite", file: path.join("/srv/app", ".data", "coaching-circles.sqlite") },
      });
      expect(config.auth).toMatchObject({
        clientId: SANDBOX_APP_CLIENT_ID,
        allowedTenantIds: [SANDBOX_TENANT_ID],
        issuerTemplates: ["http://localhost:3001/identity/{tid}/v2.0"],
        jwksUrl: "http://localhost:3001/identity/discovery/v2.0/keys",
      });
      expect(config.msal).toBeUndefined();
    });

    it("treats empty variables as unset, as .env files and CI export them", () => {
      expect(loadConfig({ AAD_APP_CLIENT_ID: "", PORT: "", DATABASE_URL: " " }).mode).toBe("sandbox");
    });

    it("lets GRAPH_BASE_URL point the API at any Graph-compatible endpoint", () => {
      expect(loadConfig({ GRAPH_BASE_URL: "http://graph.test:8080/v1.0/" }).graphBaseUrl).toBe("http://graph.test:8080/v1.0");
    });

    it("uses PostgreSQL when DATABASE_URL is set", () => {
      expect(loadConfig({ DATABASE_URL: "postgres://postgres@127.0.0.1:5432/test" }).storage).toEqual({ kind: "postgres", url: "postgres://postgres@127.0.0.1:5432/test" });
    });

    it("reads the team threshold (never below 3) and the protected-time application mode", () => {
      expect(loadConfig({})).toMatchObject({ teamMinParticipants: 5, protectedTimeAppMode: false });
      expect(loadConfig({ TEAM_MIN_PARTICIPANTS: "2", PROTECTED_TIME_APP_MODE: "TRUE" })).toMatchObject({ teamMinParticipants: 3, protectedTimeAppMode: true });
      expect(problemsOf({ PROTECTED_TIME_APP_MODE: "sometimes" })[0]).toMatch(/^PROTECTED_TIME_APP_MODE: must be true or false/);
    });

    it("names every bad variable at once", () => {
      const problems = problemsOf({ PORT: "seventy", DATABASE_URL: "mysql://x", GRAPH_BASE_URL: "not a url", LOG_LEVEL: "loud" });
      expect(problems.map((p) => p.split(":")[0])).toEqual(expect.arrayContaining(["PORT", "DATABASE_URL", "GRAPH_BASE_URL", "LOG_LEVEL"]));
      expect(problems).toHaveLength(4);
    });
  });

  describe("Microsoft 365 mode (AAD_APP_CLIENT_ID set)", () => {
    const complete = { AAD_APP_CLIENT_ID: CLIENT_ID, AAD_APP_TENANT_ID: TENANT_ID, AAD_APP_CLIENT_SECRET: "s3cret", PUBLIC_BASE_URL: "https://circles.contoso.com" };

    it("fails fast naming every missing variable", () => {
      const problems = problemsOf({ AAD_APP_CLIENT_ID: CLIENT_ID });
      expect(problems.join("\n")).toMatch(/AAD_APP_TENANT_ID or ALLOWED_TENANT_IDS/);
      expect(problems.join("\n")).toMatch(/AAD_APP_CLIENT_SECRET or AAD_APP_CERTIFICATE_PATH/);
      expect(problems.join("\n")).toMatch(/PUBLIC_BASE_URL/);
      expect(problems).toHaveLength(3);
    });

    it("rejects a client id that is not a GUID and tenant ids that are not GUIDs", () => {
      expect(problemsOf({ ...complete, AAD_APP_CLIENT_ID: "my-app" })[0]).toMatch(/^AAD_APP_CLIENT_ID: must be a GUID/);
      expect(problemsOf({ ...complete, ALLOWED_TENANT_IDS: `${TENANT_ID}, contoso` }).join()).toMatch(/"contoso" is not a tenant id/);
    });

    it("says when the certificate file does not exist", () => {
      const { AAD_APP_CLIENT_SECRET: _secret, ...noSecret } = complete;
      expect(problemsOf({ ...noSecret, AAD_APP_CERTIFICATE_PATH: "certs/missing.pem" }).join()).toMatch(/no file at \/srv\/app\/certs\/missing\.pem/);
    });

    it("trusts Entra's v1 and v2 issuers for the allowed tenants, real Graph and msal credentials", () => {
      const config = loadConfig({ ...complete, ALLOWED_TENANT_IDS: "CCCCCCCC-BBBB-4CCC-8DDD-EEEEEEEEEEEE" });
      expect(config.mode).toBe("microsoft365");
      expect(config.sandboxUrl).toBeUndefined();
      expect(config.graphBaseUrl).toBe("https://graph.microsoft.com/v1.0");
      expect(config.auth.allowedTenantIds).toEqual([TENANT_ID, "cccccccc-bbbb-4ccc-8ddd-eeeeeeeeeeee"]);
      expect(config.auth.issuerTemplates).toEqual(["https://login.microsoftonline.com/{tid}/v2.0", "https://sts.windows.net/{tid}/"]);
      expect(config.auth.clientId).toBe(CLIENT_ID);
      expect(config.msal).toMatchObject({ clientId: CLIENT_ID, clientSecret: "s3cret" });
    });
  });
});
