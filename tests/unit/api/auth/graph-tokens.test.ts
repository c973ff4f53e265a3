import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from "@azure/msal-node";
import { describe, expect, it } from "vitest";
import type { CallerIdentity } from "../../../../api/auth/identity";
import { createMsalTokenProvider, createSandboxTokenProvider } from "../../../../api/auth/graph-tokens";
import { AppError } from "../../../../api/shared/errors";

const TENANT_A = "72f988bf-86f1-41af-91ab-2d7cd011db47";
const TENANT_B = "0b5b3c1a-2d4e-4f60-8a7b-9c0d1e2f3a4b";
const CLIENT_ID = "5a1c0d3e-7b2f-4e8a-9c6d-1f2e3d4c5b6a";

function caller(userId: string, tenantId = TENANT_A): CallerIdentity {
  return { tenantId, userId, userPrincipalName: `${userId}@contoso.com`, displayName: userId, assertion: `sso-token-of-${userId}` };
}

interface TokenCall {
  url: string;
  form: URLSearchParams;
}

/**
 * msal-node's injectable HTTP client: answers the token endpoint like Entra ID does, so no
 * request leaves the machine. `answer` decides per request.
 */
function fakeEntra(answer: (call: TokenCall) => { status: number; body: Record<string, unknown> } = defaultAnswer) {
  const calls: TokenCall[] = [];
  const networkClient: INetworkModule = {
    async sendGetRequestAsync<T>(url: string): Promise<NetworkResponse<T>> {
      throw new Error(`unexpected GET ${url}`);
    },
    async sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
      const call = { url, form: new URLSearchParams(options?.body ?? "") };
      calls.push(call);
      const { status, body } = answer(call);
      return { status, headers: { "content-type": "application/json" }, body: body as T };
    },
  };
  return { networkClient, calls };
}

function defaultAnswer(call: TokenCall) {
  const flow = call.form.get("requested_token_use") === "on_behalf_of" ? `obo:${call.form.get("assertion")}` : `app:${call.form.get("grant_type")}`;
  return { status: 200, body: { token_type: "Bearer", access_token: `graph-token(${flow})`, expires_in: 3600, ext_expires_in: 3600 } };
}

const consentMissing = {
  status: 400,
  body: {
    error: "invalid_grant",
    error_description: "AADSTS65001: The user or administrator has not consented to use the application with ID '5a1c…'.",
    error_codes: [65001],
    suberror: "consent_required",
  },
};

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(() => undefined, (e: unknown) => e);
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("Graph tokens in Microsoft 365 mode (msal-node)", () => {
  const msal = { clientId: CLIENT_ID, authorityHost: "https://login.microsoftonline.com", clientSecret: "secret" };

  it("exchanges the caller's SSO token on behalf of the user at the caller's tenant", async () => {
    const entra = fakeEntra();
    const tokens = createMsalTokenProvider({ msal, networkClient: entra.networkClient });
    await expect(tokens.userToken(caller("alice"))).resolves.toBe("graph-token(obo:sso-token-of-alice)");
    const [call] = entra.calls;
    expect(call?.url).toContain(`https://login.microsoftonline.com/${TENANT_A}/oauth2/v2.0/token`);
    expect(call?.form.get("grant_type")).toBe("urn:ietf:params:oauth:grant-type:jwt-bearer");
    expect(call?.form.get("scope")).toContain("https://graph.microsoft.com/.default");
    expect(call?.form.get("client_secret")).toBe("secret");
  });

  it("reuses a user's token instead of asking Entra again, but asks per user and per tenant", async () => {
    const entra = fakeEntra();
    const tokens = createMsalTokenProvider({ msal, networkClient: entra.networkClient });
    await tokens.userToken(caller("alice"));
    await tokens.userToken({ ...caller("alice"), assertion: "a-newer-sso-token" });
    expect(entra.calls).toHaveLength(1);
    await tokens.userToken(caller("bob"));
    await tokens.userToken(caller("carol", TENANT_B));
    expect(entra.calls).toHaveLength(3);
    expect(entra.calls[2]?.url).toContain(`/${TENANT_B}/oauth2/v2.0/token`);
  });

  it("gets app-only tokens with client credentials, never handing out a user's token", async () => {
    const entra = fakeEntra();
    const tokens = createMsalTokenProvider({ msal, networkClient: entra.networkClient });
    await tokens.userToken(caller("alice"));
    await expect(tokens.appToken(TENANT_A)).resolves.toBe("graph-token(app:client_credentials)");
  });

  for (const [name, answer] of [
    ["invalid_grant with AADSTS65001 (consent missing)", consentMissing],
    ["interaction_required", { status: 400, body: { error: "interaction_required", error_description: "AADSTS50079: multi-factor authentication required.", error_codes: [50079] } }],
  ] as const) {
    it(`answers ${name} with consent_required (403) so the client can prompt`, async () => {
      const tokens = createMsalTokenProvider({ msal, networkClient: fakeEntra(() => answer).networkClient });
      const err = await rejection(tokens.userToken(caller("alice")));
      expect(err.code).toBe("consent_required");
      expect(err.status).toBe(403);
    });
  }

  it.skipIf(!hasOpenssl())("signs a client assertion with the certificate from AAD_APP_CERTIFICATE_PATH", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cc-cert-"));
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=coaching-circles-test", "-days", "1", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem")], { stdio: "ignore" });
    const pemPath = path.join(dir, "app.pem");
    writeFileSync(pemPath, readFileSync(path.join(dir, "key.pem"), "utf8") + readFileSync(path.join(dir, "cert.pem"), "utf8"));
    const entra = fakeEntra();
    const tokens = createMsalTokenProvider({ msal: { clientId: CLIENT_ID, authorityHost: "https://login.microsoftonline.com", certificatePath: pemPath }, networkClient: entra.networkClient });
    await tokens.appToken(TENANT_A);
    const form = entra.calls[0]?.form;
    expect(form?.get("client_secret")).toBeNull();
    expect(form?.get("client_assertion_type")).toBe("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
    const header = JSON.parse(Buffer.from(form?.get("client_assertion")?.split(".")[0] ?? "", "base64url").toString()) as Record<string, unknown>;
    expect(header).toMatchObject({ alg: "PS256" });
    expect(header["x5t#S256"]).toBeTypeOf("string");
  });

  it("reports other token failures as graph_unavailable, not as the user's fault", async () => {
    const answer = { status: 401, body: { error: "invalid_client", error_description: "AADSTS7000215: Invalid client secret provided.", error_codes: [7000215] } };
    const tokens = createMsalTokenProvider({ msal, networkClient: fakeEntra(() => answer).networkClient });
    const err = await rejection(tokens.appToken(TENANT_A));
    expect(err.code).toBe("graph_unavailable");
    expect(err.status).toBe(503);
  });
});

describe("Graph tokens in sandbox mode", () => {
  function fakeSandbox(answer: (path: string, body: unknown) => { status: number; body: unknown } = () => ({ status: 200, body: { access_token: "sandbox-graph-token", token_type: "Bearer", expires_in: 3600 } })) {
    const calls: { path: string; body: unknown }[] = [];
    const fetchImpl: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const body: unknown = JSON.parse(String(init?.body ?? "null"));
      calls.push({ path: url.pathname, body });
      const reply = answer(url.pathname, body);
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { "content-type": "application/json" } });
    };
    return { fetchImpl, calls };
  }

  it("exchanges the caller's token at /identity/obo and caches it until 5 minutes before expiry", async () => {
    let now = new Date("2025-03-03T09:00:00Z");
    const sandbox = fakeSandbox();
    const tokens = createSandboxTokenProvider({ sandboxUrl: "http://sandbox.test", fetchImpl: sandbox.fetchImpl, now: () => now });
    await expect(tokens.userToken(caller("alice"))).resolves.toBe("sandbox-graph-token");
    expect(sandbox.calls).toEqual([{ path: "/identity/obo", body: { assertion: "sso-token-of-alice" } }]);

    now = new Date("2025-03-03T09:54:00Z");
    await tokens.userToken(caller("alice"));
    expect(sandbox.calls).toHaveLength(1);

    now = new Date("2025-03-03T09:56:00Z");
    await tokens.userToken(caller("alice"));
    expect(sandbox.calls).toHaveLength(2);
  });

  it("shares one exchange between concurrent requests of the same user", async () => {
    const sandbox = fakeSandbox();
    const tokens = createSandboxTokenProvider({ sandboxUrl: "http://sandbox.test", fetchImpl: sandbox.fetchImpl });
    await Promise.all([tokens.userToken(caller("alice")), tokens.userToken(caller("alice")), tokens.userToken(caller("alice"))]);
    expect(sandbox.calls).toHaveLength(1);
  });

  it("gets app-only tokens from /identity/app-token", async () => {
    const sandbox = fakeSandbox();
    const tokens = createSandboxTokenProvider({ sandboxUrl: "http://sandbox.test", fetchImpl: sandbox.fetchImpl });
    await tokens.appToken(TENANT_A);
    expect(sandbox.calls).toEqual([{ path: "/identity/app-token", body: {} }]);
  });

  it("turns a consent error from the sandbox into consent_required", async () => {
    const sandbox = fakeSandbox(() => consentMissing);
    const tokens = createSandboxTokenProvider({ sandboxUrl: "http://sandbox.test", fetchImpl: sandbox.fetchImpl });
    expect((await rejection(tokens.userToken(caller("alice")))).code).toBe("consent_required");
  });

  it("says the sandbox is unreachable when nothing answers", async () => {
    const fetchImpl: typeof fetch = async () => {
      throw new TypeError("fetch failed");
    };
    const tokens = createSandboxTokenProvider({ sandboxUrl: "http://sandbox.test", fetchImpl });
    const err = await rejection(tokens.userToken(caller("alice")));
    expect(err.code).toBe("graph_unavailable");
    expect(err.message).toMatch(/unreachable/);
  });
});

function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}
