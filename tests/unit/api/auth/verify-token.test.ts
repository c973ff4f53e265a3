import { describe, expect, it } from "vitest";
import { loadConfig, SANDBOX_TENANT_ID } from "../../../../api/config";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { AppError } from "../../../../api/shared/errors";
import { ALICE, createTestIssuer, TEST_SANDBOX_URL, tamper, unsignedToken } from "../../../fixtures/tokens";

const sandboxConfig = loadConfig({ SANDBOX_URL: TEST_SANDBOX_URL });

async function rejection(promise: Promise<unknown>): Promise<AppError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(AppError);
  return err as AppError;
}

describe("verifying tokens in sandbox mode", async () => {
  const issuer = await createTestIssuer();
  const verifier = createTokenVerifier({ config: sandboxConfig.auth, keys: issuer.keys });

  it("turns a valid sandbox token into the caller's tenant + object id", async () => {
    const token = await issuer.tokenFor(ALICE);
    await expect(verifier.verify(token)).resolves.toEqual({
      tenantId: SANDBOX_TENANT_ID,
      userId: ALICE.userId,
      userPrincipalName: ALICE.upn,
      displayName: ALICE.name,
      assertion: token,
    });
  });

  const badTokens: [string, () => Promise<string>, RegExp][] = [
    ["a malformed token", async () => "not-a-jwt", /malformed/],
    ["an unsigned alg:none token", async () => unsignedToken({ aud: issuer.audience, tid: issuer.tenantId, oid: ALICE.userId, scp: "access_as_user", iss: issuer.issuerFor(issuer.tenantId), exp: Math.floor(Date.now() / 1000) + 600 }), /algorithm|malformed/],
    ["a token signed with an algorithm other than RS256", () => issuer.sign({ aud: issuer.audience, tid: issuer.tenantId, oid: ALICE.userId, scp: "access_as_user", iss: issuer.issuerFor(issuer.tenantId), exp: Math.floor(Date.now() / 1000) + 600 }, { alg: "RS384" }), /algorithm/],
    ["a token signed by an unknown key", () => issuer.sign({ aud: issuer.audience, tid: issuer.tenantId, oid: ALICE.userId, scp: "access_as_user", iss: issuer.issuerFor(issuer.tenantId), exp: Math.floor(Date.now() / 1000) + 600 }, { unknownKey: true }), /key/],
    ["a token signed by an unknown key under a known kid", () => issuer.sign({ aud: issuer.audience, tid: issuer.tenantId, oid: ALICE.userId, scp: "access_as_user", iss: issuer.issuerFor(issuer.tenantId), exp: Math.floor(Date.now() / 1000) + 600 }, { unknownKey: true, kid: "test-key-1" }), /signature/],
    ["a tampered token", async () => tamper(await issuer.tokenFor(ALICE)), /signature/],
    ["an expired token", () => issuer.tokenFor(ALICE, { iat: Math.floor(Date.now() / 1000) - 7200, nbf: Math.floor(Date.now() / 1000) - 7200, exp: Math.floor(Date.now() / 1000) - 3600 }), /expired/],
    ["a token not valid yet", () => issuer.tokenFor(ALICE, { nbf: Math.floor(Date.now() / 1000) + 3600 }), /not valid/],
    ["a token for Microsoft Graph instead of this API", () => issuer.tokenFor(ALICE, { aud: "https://graph.microsoft.com", scp: "User.Read Calendars.ReadWrite" }), /another resource/],
    ["a token from a tenant that is not allowed", () => issuer.tokenFor({ ...ALICE, tenantId: "11111111-2222-4333-8444-555555555555" }), /not allowed/],
    ["a token whose issuer belongs to another tenant", () => issuer.tokenFor(ALICE, { iss: issuer.issuerFor("11111111-2222-4333-8444-555555555555") }), /issuer/],
    ["a token without the access_as_user scope", () => issuer.tokenFor(ALICE, { scp: "User.Read" }), /access_as_user/],
    ["an app-only token (no user, no scp)", () => issuer.tokenFor(ALICE, { oid: undefined, scp: undefined, roles: ["Calendars.ReadWrite"], idtyp: "app" }), /oid|scp/],
    ["a token without an expiry", () => issuer.tokenFor(ALICE, { exp: undefined }), /exp/],
  ];

  for (const [name, make, message] of badTokens) {
    it(`rejects ${name} with 401`, async () => {
      const err = await rejection(verifier.verify(await make()));
      expect(err.code).toBe("unauthorized");
      expect(err.status).toBe(401);
      expect(err.message).toMatch(message);
    });
  }

  it("answers 503, not 401, when the identity provider's keys cannot be fetched", async () => {
    const offline = createTokenVerifier({ config: { ...sandboxConfig.auth, jwksUrl: "http://127.0.0.1:9/keys" } });
    const err = await rejection(offline.verify(await issuer.tokenFor(ALICE)));
    expect(err.status).toBe(503);
  });
});

describe("remembering verified tokens", async () => {
  const issuer = await createTestIssuer();

  it("checks a token's signature once, then answers from memory until it expires — and never after", async () => {
    let keyLookups = 0;
    let now = new Date();
    const keys: typeof issuer.keys = (header, input) => {
      keyLookups += 1;
      return issuer.keys(header, input);
    };
    const verifier = createTokenVerifier({ config: sandboxConfig.auth, keys, now: () => now });
    const exp = Math.floor(now.getTime() / 1000) + 600;
    const token = await issuer.tokenFor(ALICE, { exp });

    await verifier.verify(token);
    await expect(verifier.verify(token)).resolves.toMatchObject({ userId: ALICE.userId });
    expect(keyLookups).toBe(1);

    // A changed token is a different key: it is verified (and refused), not served from memory.
    expect((await rejection(verifier.verify(tamper(token)))).status).toBe(401);

    now = new Date(exp * 1000 + 61_000);
    expect((await rejection(verifier.verify(token))).message).toMatch(/expired/);
  });
});

describe("verifying Entra ID tokens in Microsoft 365 mode", async () => {
  const clientId = "5a1c0d3e-7b2f-4e8a-9c6d-1f2e3d4c5b6a";
  const tenantId = "72f988bf-86f1-41af-91ab-2d7cd011db47";
  const config = loadConfig({ AAD_APP_CLIENT_ID: clientId, AAD_APP_TENANT_ID: tenantId, AAD_APP_CLIENT_SECRET: "s", PUBLIC_BASE_URL: "https://circles.contoso.com" });
  const issuer = await createTestIssuer({ tenantId, audience: clientId, issuerFor: (tid) => `https://login.microsoftonline.com/${tid}/v2.0` });
  const verifier = createTokenVerifier({ config: config.auth, keys: issuer.keys });
  const entraUser = { ...ALICE, tenantId };

  it("accepts a v2 token (aud = client id, login.microsoftonline.com issuer)", async () => {
    await expect(verifier.verify(await issuer.tokenFor(entraUser))).resolves.toMatchObject({ tenantId, userId: ALICE.userId });
  });

  it("accepts a v1 token (aud = api://domain/client id, sts.windows.net issuer)", async () => {
    const token = await issuer.tokenFor(entraUser, { aud: `api://circles.contoso.com/${clientId}`, iss: `https://sts.windows.net/${tenantId}/`, ver: "1.0", preferred_username: undefined, upn: ALICE.upn });
    await expect(verifier.verify(token)).resolves.toMatchObject({ tenantId, userId: ALICE.userId, userPrincipalName: ALICE.upn });
  });

  it("rejects a token whose audience is another app's api:// URI", async () => {
    const token = await issuer.tokenFor(entraUser, { aud: "api://circles.contoso.com/99999999-9999-4999-8999-999999999999" });
    expect((await rejection(verifier.verify(token))).status).toBe(401);
  });

  it("rejects a sandbox-issued token", async () => {
    const token = await issuer.tokenFor(entraUser, { iss: `${TEST_SANDBOX_URL}/identity/${tenantId}/v2.0` });
    expect((await rejection(verifier.verify(token))).message).toMatch(/issuer/);
  });

  it("accepts every tenant of the allow-list and no other", async () => {
    const second = "0b5b3c1a-2d4e-4f60-8a7b-9c0d1e2f3a4b";
    const multi = loadConfig({ AAD_APP_CLIENT_ID: clientId, ALLOWED_TENANT_IDS: `${tenantId},${second}`, AAD_APP_CLIENT_SECRET: "s", PUBLIC_BASE_URL: "https://circles.contoso.com" });
    const multiVerifier = createTokenVerifier({ config: multi.auth, keys: issuer.keys });
    await expect(multiVerifier.verify(await issuer.tokenFor({ ...ALICE, tenantId: second }))).resolves.toMatchObject({ tenantId: second });
    const stranger = await issuer.tokenFor({ ...ALICE, tenantId: "11111111-2222-4333-8444-555555555555" });
    expect((await rejection(multiVerifier.verify(stranger))).message).toMatch(/not allowed/);
  });
});

describe("fetching the signing keys", () => {
  it("reads the JWKS from the sandbox's discovery URL when no key set is injected", async () => {
    const { createServer } = await import("node:http");
    const issuer = await createTestIssuer();
    const requested: string[] = [];
    const server = createServer((req, res) => {
      requested.push(req.url ?? "");
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify(issuer.jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    try {
      const address = server.address();
      const sandboxUrl = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
      const config = loadConfig({ SANDBOX_URL: sandboxUrl });
      const localIssuer = await createTestIssuer({ issuerFor: (tid) => `${sandboxUrl}/identity/${tid}/v2.0` });
      // Same keys as the server publishes: sign with `issuer`, but with the real server's issuer URL.
      const token = await issuer.sign({ aud: localIssuer.audience, iss: `${sandboxUrl}/identity/${SANDBOX_TENANT_ID}/v2.0`, tid: SANDBOX_TENANT_ID, oid: ALICE.userId, scp: "access_as_user", exp: Math.floor(Date.now() / 1000) + 600 });
      await expect(createTokenVerifier({ config: config.auth }).verify(token)).resolves.toMatchObject({ userId: ALICE.userId });
      expect(requested).toEqual(["/identity/discovery/v2.0/keys"]);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
