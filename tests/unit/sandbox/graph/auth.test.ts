import { SignJWT, generateKeyPair } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import { BASE_URL, MEGAN, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
beforeAll(async () => {
  kit = await newSandbox();
});

function expectGraphError(body: { error?: { code?: string; message?: string; innerError?: { "request-id"?: string } } }, code: string) {
  expect(body.error?.code).toBe(code);
  expect(body.error?.message).toEqual(expect.any(String));
  expect(body.error?.innerError?.["request-id"]).toEqual(expect.any(String));
}

describe("Graph authentication", () => {
  it("answers 401 InvalidAuthenticationToken without a token", async () => {
    const res = await kit.http.get("/v1.0/me");
    expect(res.status).toBe(401);
    expectGraphError(res.body, "InvalidAuthenticationToken");
    expect(res.body.error.message).toBe("Access token is empty.");
  });

  it("rejects a token for our API (wrong audience) on Graph", async () => {
    const apiToken = await kit.sandbox.identity.apiToken(MEGAN);
    const res = await kit.http.get("/v1.0/me").set("Authorization", `Bearer ${apiToken}`);
    expect(res.status).toBe(401);
    expectGraphError(res.body, "InvalidAuthenticationToken");
    expect(res.body.error.message).toContain("audience");
  });

  it("rejects a token signed by another key and a malformed token", async () => {
    const { privateKey } = await generateKeyPair("RS256");
    const forged = await new SignJWT({ aud: "https://graph.microsoft.com", tid: SANDBOX_TENANT_ID, oid: "00000000-0000-4000-8000-000000000001", scp: "User.Read" })
      .setProtectedHeader({ alg: "RS256", kid: "x" })
      .setIssuer(`${BASE_URL}/identity/${SANDBOX_TENANT_ID}/v2.0`)
      .setIssuedAt()
      .setExpirationTime("1h")
      .sign(privateKey);
    expect((await kit.http.get("/v1.0/me").set("Authorization", `Bearer ${forged}`)).status).toBe(401);
    expect((await kit.http.get("/v1.0/me").set("Authorization", "Bearer abc.def")).status).toBe(401);
    expect((await kit.http.get("/v1.0/me").set("Authorization", "Basic abc")).status).toBe(401);
  });

  it("still refuses a token with a changed signature after the genuine one was accepted (verified tokens are remembered by exact value)", async () => {
    const token = await kit.sandbox.identity.graphToken(MEGAN);
    expect((await kit.http.get("/v1.0/me").set("Authorization", `Bearer ${token}`)).status).toBe(200);
    expect((await kit.http.get("/v1.0/me").set("Authorization", `Bearer ${token}`)).status).toBe(200);
    // A character well inside the signature (the last one may only carry padding bits).
    const at = token.length - 10;
    const tampered = `${token.slice(0, at)}${token[at] === "A" ? "B" : "A"}${token.slice(at + 1)}`;
    const res = await kit.http.get("/v1.0/me").set("Authorization", `Bearer ${tampered}`);
    expect(res.status).toBe(401);
    expectGraphError(res.body, "InvalidAuthenticationToken");
  });

  it("sends request-id headers and echoes client-request-id", async () => {
    const me = await kit.as(MEGAN);
    const res = await me.get("/v1.0/me").set("client-request-id", "abc-123");
    expect(res.headers["request-id"]).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers["client-request-id"]).toBe("abc-123");
  });

  it("refuses /me for app-only tokens, like Graph", async () => {
    const app = await kit.asApp();
    const res = await app.get("/v1.0/me");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toBe("/me request is only valid with delegated authentication flow.");
    expect((await app.get("/v1.0/users/alex.wilber@contoso.example")).status).toBe(200);
  });

  it("answers 404 for an unknown user and 400 for an unknown segment", async () => {
    const me = await kit.as(MEGAN);
    const unknown = await me.get("/v1.0/users/nobody@contoso.example/mailboxSettings");
    expect(unknown.status).toBe(404);
    expectGraphError(unknown.body, "Request_ResourceNotFound");
    const segment = await me.get("/v1.0/me/eventz");
    expect(segment.status).toBe(400);
    expect(segment.body.error.message).toContain("eventz");
  });

  it("answers malformed JSON with Graph's 400", async () => {
    const me = await kit.as(MEGAN);
    const res = await me.post("/v1.0/me/outlook/masterCategories").set("Content-Type", "application/json").send("{nope");
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("Unable to read JSON request payload");
  });
});
