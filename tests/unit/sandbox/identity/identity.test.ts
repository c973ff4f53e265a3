import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_APP_CLIENT_ID, SANDBOX_TENANT_ID } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

type Started = Awaited<ReturnType<typeof startSandbox>>;
let s: Started;

beforeAll(async () => {
  s = await startSandbox({ port: 0, appUrl: "http://localhost:3000" });
});
afterAll(async () => {
  await s.close();
});

const issuer = () => `${s.url}/identity/${SANDBOX_TENANT_ID}/v2.0`;
const token = async (body: object) => request(s.url).post("/identity/token").send(body);

describe("sandbox identity", () => {
  it("issues an API token with the v2 claims our API validates", async () => {
    const res = await token({ upn: "megan.bowen@contoso.example" });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ token_type: "Bearer", expires_in: 3600 });
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({
      aud: SANDBOX_APP_CLIENT_ID,
      scp: "access_as_user",
      ver: "2.0",
      tid: SANDBOX_TENANT_ID,
      oid: "00000000-0000-4000-8000-000000000001",
      preferred_username: "megan.bowen@contoso.example",
      name: "Megan Bowen",
      iss: issuer(),
    });
    expect(claims.exp! - claims.iat!).toBe(3600);
    expect(claims.nbf).toBe(claims.iat);
    expect(decodeProtectedHeader(res.body.access_token)).toMatchObject({ alg: "RS256", kid: expect.any(String) });
  });

  it("signs tokens that verify against the published JWKS and the issuer in the OpenID metadata", async () => {
    const meta = await request(s.url).get(`/identity/${SANDBOX_TENANT_ID}/v2.0/.well-known/openid-configuration`);
    expect(meta.status).toBe(200);
    expect(meta.body.issuer).toBe(issuer());
    expect(meta.body.jwks_uri).toBe(`${s.url}/identity/discovery/v2.0/keys`);
    const jwks = createRemoteJWKSet(new URL(meta.body.jwks_uri));
    const res = await token({ upn: "alex.wilber@contoso.example" });
    const { payload } = await jwtVerify(res.body.access_token, jwks, { issuer: meta.body.issuer, audience: SANDBOX_APP_CLIENT_ID, algorithms: ["RS256"] });
    expect(payload.preferred_username).toBe("alex.wilber@contoso.example");
  });

  it("gives a Graph token with delegated Graph scopes when the audience is Graph", async () => {
    const res = await token({ upn: "alex.wilber@contoso.example", audience: "https://graph.microsoft.com" });
    const claims = decodeJwt(res.body.access_token);
    expect(claims.aud).toBe("https://graph.microsoft.com");
    expect(String(claims.scp).split(" ")).toEqual(expect.arrayContaining(["Calendars.ReadWrite", "ChatMessage.Send", "Tasks.ReadWrite"]));
    expect(claims.scp).not.toContain("access_as_user");
  });

  it("exchanges an API token on behalf of the user for a Graph token for the same user", async () => {
    const api = await token({ upn: "priya.raman@contoso.example" });
    const obo = await request(s.url).post("/identity/obo").send({ assertion: api.body.access_token });
    expect(obo.status).toBe(200);
    const claims = decodeJwt(obo.body.access_token);
    expect(claims).toMatchObject({ aud: "https://graph.microsoft.com", oid: "00000000-0000-4000-8000-000000000003", tid: SANDBOX_TENANT_ID });
  });

  it("refuses on-behalf-of for a Graph token, a forged token or garbage", async () => {
    const graph = await token({ upn: "priya.raman@contoso.example", audience: "https://graph.microsoft.com" });
    const asGraph = await request(s.url).post("/identity/obo").send({ assertion: graph.body.access_token });
    expect(asGraph.status).toBe(400);
    expect(asGraph.body.error.code).toBe("invalid_grant");

    const other = await startSandbox({ port: 0, appUrl: "http://localhost:3000" });
    try {
      const foreign = await request(other.url).post("/identity/token").send({ upn: "priya.raman@contoso.example" });
      const forged = await request(s.url).post("/identity/obo").send({ assertion: foreign.body.access_token });
      expect(forged.status).toBe(400);
    } finally {
      await other.close();
    }
    const junk = await request(s.url).post("/identity/obo").send({ assertion: "not-a-jwt" });
    expect(junk.status).toBe(400);
  }, 20_000);

  it("issues app-only Graph tokens with roles and no user", async () => {
    const res = await request(s.url).post("/identity/app-token").send({});
    expect(res.status).toBe(200);
    const claims = decodeJwt(res.body.access_token);
    expect(claims).toMatchObject({ aud: "https://graph.microsoft.com", idtyp: "app", tid: SANDBOX_TENANT_ID });
    expect(claims.roles).toEqual(expect.arrayContaining(["Calendars.ReadWrite", "TeamsActivity.Send"]));
    expect(claims.scp).toBeUndefined();
    expect(claims.preferred_username).toBeUndefined();
  });

  it("answers bad input with a 400 in the { error: { code, message } } shape", async () => {
    const unknown = await token({ upn: "nobody@contoso.example" });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toContain("nobody@contoso.example");
    const missing = await token({});
    expect(missing.status).toBe(400);
    expect(missing.body.error).toMatchObject({ code: "invalid_request", message: expect.stringContaining("upn") });
    const extra = await token({ upn: "megan.bowen@contoso.example", password: "x" });
    expect(extra.status).toBe(400);
  });

  it("lists the seeded users for the user switcher", async () => {
    const res = await request(s.url).get("/identity/users");
    expect(res.body.value).toHaveLength(100);
    expect(res.body.value[2]).toEqual({
      id: "00000000-0000-4000-8000-000000000003",
      displayName: "Priya Raman",
      userPrincipalName: "priya.raman@contoso.example",
      timeZone: "Asia/Kolkata",
      department: "Engineering",
      jobTitle: "Senior Engineer",
    });
  });

  it("lets a browser page call the token endpoint (CORS preflight and headers)", async () => {
    const pre = await request(s.url).options("/identity/token").set("Origin", "http://localhost:3000").set("Access-Control-Request-Method", "POST");
    expect(pre.status).toBe(204);
    expect(pre.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
    expect(pre.headers["access-control-allow-headers"]).toMatch(/content-type/i);
    const res = await token({ upn: "megan.bowen@contoso.example" }).then(() => request(s.url).get("/identity/users").set("Origin", "http://localhost:3000"));
    expect(res.headers["access-control-allow-origin"]).toBe("http://localhost:3000");
  });
});
