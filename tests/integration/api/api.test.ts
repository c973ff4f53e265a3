import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { randomUUID } from "node:crypto";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Express } from "express";
import request from "supertest";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SANDBOX_TENANT_ID } from "../../../api/config";
import { GraphRequestError } from "../../../api/graph";
import { AppError } from "../../../api/shared/errors";
import { toDbBool, type Db } from "../../../api/storage";
import { forEachEngine, openTestDatabase, type TestDatabase } from "../../fixtures/engines";
import { ALICE, BOB, tamper, unsignedToken, type TestUser } from "../../fixtures/tokens";
import { createTestApp, fakeGraphFactory, type TestApp } from "./test-app";

const CAROL: TestUser = { userId: "00000000-0000-4000-8000-000000000003", upn: "carol@contoso.example", name: "Carol Example" };
const DAVE: TestUser = { userId: "00000000-0000-4000-8000-000000000004", upn: "dave@contoso.example", name: "Dave Example" };
const NOW = new Date("2025-03-03T09:00:00.000Z");

const graph = fakeGraphFactory({
  [ALICE.userId]: {
    profile: { id: ALICE.userId, displayName: "Alice Example", userPrincipalName: ALICE.upn, mail: ALICE.upn, jobTitle: "Engineering Manager", department: "Engineering" },
    mailbox: { timeZone: "Europe/Berlin", workingHours: null },
  },
  [BOB.userId]: {
    profile: { id: BOB.userId, displayName: "Bob Renamed", userPrincipalName: BOB.upn, mail: null, jobTitle: null, department: null },
    mailbox: { timeZone: "Asia/Kolkata", workingHours: null },
  },
  [CAROL.userId]: new GraphRequestError({ status: 429, code: "TooManyRequests", message: "Please retry again later.", retryAfterMs: 7000 }),
  [DAVE.userId]: new AppError("consent_required", "Microsoft 365 needs your consent."),
});

async function seedCircle(db: Db, members: { user: TestUser; leftAt?: string }[], overrides: { name?: string; tenantId?: string } = {}): Promise<string> {
  const id = randomUUID();
  await db
    .insertInto("circles")
    .values({
      id,
      tenant_id: overrides.tenantId ?? SANDBOX_TENANT_ID,
      name: overrides.name ?? "New managers circle",
      purpose: "Practice hard conversations",
      charter: "{}",
      format_id: "troika",
      cadence: "biweekly",
      session_minutes: 60,
      session_count: 6,
      time_zone: "Europe/Berlin",
      rotate_roles: toDbBool(true),
      organizer_id: members[0]?.user.userId ?? ALICE.userId,
      created_at: NOW.toISOString(),
      updated_at: NOW.toISOString(),
    })
    .execute();
  for (const { user, leftAt } of members) {
    await db
      .insertInto("circle_members")
      .values({ circle_id: id, user_id: user.userId, upn: user.upn, display_name: user.name, role: "member", joined_at: NOW.toISOString(), left_at: leftAt ?? null })
      .execute();
  }
  return id;
}

describe("API core", () => {
  forEachEngine((ctx) => {
    let t: TestApp;
    const bearer = async (user: TestUser) => `Bearer ${await t.issuer.tokenFor(user)}`;

    beforeAll(async () => {
      t = await createTestApp(ctx.db, { graph, clock: () => NOW });
    });

    describe("GET /api/health", () => {
      it("reports mode, storage engine, Graph and sandbox URLs and the package version", async () => {
        const res = await request(t.app).get("/api/health").expect(200);
        expect(res.body).toEqual({
          status: "ok",
          mode: "sandbox",
          storage: ctx.engine,
          graphBaseUrl: "http://sandbox.test/v1.0",
          sandboxUrl: "http://sandbox.test",
          version: "0.1.0",
        });
        expect(res.headers["x-content-type-options"]).toBe("nosniff");
      });
    });

    describe("GET /api/openapi.json", () => {
      it("documents every route with an operationId and the bearer scheme on protected ones", async () => {
        const res = await request(t.app).get("/api/openapi.json").expect(200);
        const doc = res.body as { openapi: string; paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>; components: { securitySchemes: Record<string, unknown> } };
        expect(doc.openapi).toMatch(/^3\./);
        const operations = Object.entries(doc.paths).flatMap(([p, methods]) => Object.entries(methods).map(([m, op]) => ({ route: `${m.toUpperCase()} ${p}`, ...op })));
        expect(operations.map((o) => o.route)).toEqual(expect.arrayContaining(["GET /api/circles", "GET /api/health", "GET /api/me", "GET /api/openapi.json"]));
        // The operationIds issue #3 fixes as the contract with the front end and the Outlook add-in.
        const ids = operations.map((o) => o.operationId);
        expect(ids).toEqual(expect.arrayContaining(["createCircle", "getCircle", "searchSlots", "bookSeries", "getJob", "listFormats", "skipOccurrence", "moveOccurrence", "cancelSeries"]));
        expect(new Set(ids).size, "operationIds are unique").toBe(ids.length);
        for (const op of operations) expect(op.operationId, op.route).toMatch(/^[a-z][A-Za-z]+$/);
        // Everything needs a bearer token but health, the document itself, and the live-session
        // event stream (EventSource cannot send headers: it presents a single-use stream ticket).
        // Graph calls the change-notification webhook itself: it proves itself with clientState, not a token.
        const open = ["GET /api/health", "GET /api/openapi.json", "GET /api/sessions/{sessionId}/events", "POST /api/notifications/graph"];
        for (const op of operations.filter((o) => !open.includes(o.route))) expect(op.security, op.route).toEqual([{ bearerAuth: [] }]);
        expect(operations.find((o) => o.route === "GET /api/me")?.security).toEqual([{ bearerAuth: [] }]);
        expect(operations.find((o) => o.route === "GET /api/health")?.security).toEqual([]);
        expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
      });
    });

    describe("authentication", () => {
      const badTokens: [string, () => Promise<string | undefined>][] = [
        ["no Authorization header", async () => undefined],
        ["a non-bearer scheme", async () => "Basic YWxpY2U6c2VjcmV0"],
        ["a malformed token", async () => "Bearer abc.def"],
        ["an alg:none token", async () => `Bearer ${unsignedToken({ aud: t.issuer.audience, tid: SANDBOX_TENANT_ID, oid: ALICE.userId, scp: "access_as_user", iss: t.issuer.issuerFor(SANDBOX_TENANT_ID), exp: Math.floor(Date.now() / 1000) + 600 })}`],
        ["a token signed by an unknown key", async () => `Bearer ${await t.issuer.sign({ aud: t.issuer.audience, tid: SANDBOX_TENANT_ID, oid: ALICE.userId, scp: "access_as_user", iss: t.issuer.issuerFor(SANDBOX_TENANT_ID), exp: Math.floor(Date.now() / 1000) + 600 }, { unknownKey: true })}`],
        ["a tampered token", async () => `Bearer ${tamper(await t.issuer.tokenFor(ALICE))}`],
        ["an expired token", async () => `Bearer ${await t.issuer.tokenFor(ALICE, { iat: 1_700_000_000, nbf: 1_700_000_000, exp: 1_700_003_600 })}`],
        ["a Graph-audience token", async () => `Bearer ${await t.issuer.tokenFor(ALICE, { aud: "https://graph.microsoft.com", scp: "User.Read" })}`],
        ["a token of another tenant", async () => `Bearer ${await t.issuer.tokenFor({ ...ALICE, tenantId: "11111111-2222-4333-8444-555555555555" })}`],
        ["a token without access_as_user", async () => `Bearer ${await t.issuer.tokenFor(ALICE, { scp: "User.Read" })}`],
      ];
      for (const [name, header] of badTokens) {
        it(`answers 401 in the error envelope for ${name}, without calling Graph`, async () => {
          const before = graph.callers.length;
          const value = await header();
          const req = request(t.app).get("/api/me");
          if (value) req.set("Authorization", value);
          const res = await req.expect(401);
          expect(res.body).toEqual({ error: { code: "unauthorized", message: expect.any(String) } });
          expect(res.headers["www-authenticate"]).toMatch(/^Bearer/);
          expect(graph.callers.length).toBe(before);
        });
      }
    });

    describe("GET /api/me", () => {
      it("returns the profile with the mailbox's IANA time zone and remembers the user", async () => {
        const res = await request(t.app).get("/api/me").set("Authorization", await bearer(ALICE)).expect(200);
        expect(res.body).toEqual({
          id: ALICE.userId,
          displayName: "Alice Example",
          userPrincipalName: ALICE.upn,
          mail: ALICE.upn,
          jobTitle: "Engineering Manager",
          department: "Engineering",
          timeZone: "Europe/Berlin",
        });
        const row = await ctx.db.selectFrom("users").selectAll().where("id", "=", ALICE.userId).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ tenant_id: SANDBOX_TENANT_ID, upn: ALICE.upn, display_name: "Alice Example", time_zone: "Europe/Berlin", first_seen_at: NOW.toISOString() });
      });

      it("updates a known user's name and zone but keeps when they were first seen", async () => {
        await ctx.db.insertInto("users").values({ tenant_id: SANDBOX_TENANT_ID, id: BOB.userId, upn: BOB.upn, display_name: "Bob Old", time_zone: "UTC", first_seen_at: "2024-01-01T00:00:00.000Z" }).execute();
        await request(t.app).get("/api/me").set("Authorization", await bearer(BOB)).expect(200);
        const row = await ctx.db.selectFrom("users").selectAll().where("id", "=", BOB.userId).executeTakeFirstOrThrow();
        expect(row).toMatchObject({ display_name: "Bob Renamed", time_zone: "Asia/Kolkata", first_seen_at: "2024-01-01T00:00:00.000Z" });
      });

      it("passes Graph throttling on as 429 with Retry-After", async () => {
        const res = await request(t.app).get("/api/me").set("Authorization", await bearer(CAROL)).expect(429);
        expect(res.body.error.code).toBe("graph_throttled");
        expect(res.headers["retry-after"]).toBe("7");
      });

      it("answers consent_required (403) when the user has not consented", async () => {
        const res = await request(t.app).get("/api/me").set("Authorization", await bearer(DAVE)).expect(403);
        expect(res.body).toEqual({ error: { code: "consent_required", message: expect.any(String) } });
      });
    });

    describe("GET /api/circles", () => {
      it("is empty for someone in no circle", async () => {
        const res = await request(t.app).get("/api/circles").set("Authorization", await bearer(CAROL)).expect(200);
        expect(res.body).toEqual({ circles: [] });
      });

      it("lists a circle to its current members only, counting current members", async () => {
        const id = await seedCircle(ctx.db, [{ user: ALICE }, { user: BOB }, { user: DAVE, leftAt: NOW.toISOString() }], { name: "Members only" });
        await seedCircle(ctx.db, [{ user: ALICE }], { name: "Other tenant", tenantId: "11111111-2222-4333-8444-555555555555" });

        const forAlice = await request(t.app).get("/api/circles").set("Authorization", await bearer(ALICE)).expect(200);
        expect(forAlice.body.circles).toEqual([
          { id, name: "Members only", purpose: "Practice hard conversations", cadence: "biweekly", sessionMinutes: 60, memberCount: 2, timeZone: "Europe/Berlin" },
        ]);
        const forBob = await request(t.app).get("/api/circles").set("Authorization", await bearer(BOB)).expect(200);
        expect(forBob.body.circles.map((c: { id: string }) => c.id)).toEqual([id]);

        const forCarol = await request(t.app).get("/api/circles").set("Authorization", await bearer(CAROL)).expect(200);
        expect(forCarol.body).toEqual({ circles: [] });
        const forDaveWhoLeft = await request(t.app).get("/api/circles").set("Authorization", await bearer(DAVE)).expect(200);
        expect(forDaveWhoLeft.body).toEqual({ circles: [] });
      });
    });

    describe("errors", () => {
      it("answers malformed JSON with a 400 envelope", async () => {
        const res = await request(t.app).post("/api/circles").set("Content-Type", "application/json").send('{"name": ').expect(400);
        expect(res.body).toEqual({ error: { code: "bad_request", message: "The request body is not valid JSON." } });
      });

      it("answers unknown /api routes with a 404 envelope", async () => {
        const res = await request(t.app).get("/api/nothing-here?x=1").expect(404);
        expect(res.body).toEqual({ error: { code: "not_found", message: "No API route for GET /api/nothing-here." } });
      });
    });
  });
});

describe("front-end pages", async () => {
  const dist = mkdtempSync(path.join(tmpdir(), "cc-dist-"));
  for (const surface of ["tab", "sidepanel", "stage", "config", "taskpane"]) {
    mkdirSync(path.join(dist, surface), { recursive: true });
    writeFileSync(path.join(dist, surface, "index.html"), `<!doctype html><title>${surface}</title>`);
  }
  mkdirSync(path.join(dist, "assets"));
  writeFileSync(path.join(dist, "assets", "tab-abc123.js"), "console.log('tab')");
  afterAll(() => rmSync(dist, { recursive: true, force: true }));

  // Pages do not touch the database; one SQLite database serves these tests.
  let database: TestDatabase;
  let app: Express;
  beforeAll(async () => {
    database = await openTestDatabase("sqlite");
    ({ app } = await createTestApp(database.db, { distDir: dist }));
  });
  afterAll(() => database.dispose());

  it("serves / and /tab as the personal tab, framable by Teams, Outlook and the sandbox", async () => {
    for (const url of ["/", "/tab", "/tab/"]) {
      const res = await request(app).get(url).expect(200);
      expect(res.text).toContain("<title>tab</title>");
      const csp = String(res.headers["content-security-policy"]);
      expect(csp).toMatch(/^frame-ancestors 'self' /);
      for (const host of ["https://*.cloud.microsoft", "https://teams.microsoft.com", "https://*.teams.microsoft.com", "https://*.microsoft365.com", "https://*.office.com", "https://outlook.office.com", "https://outlook.office365.com", "https://outlook-sdf.office.com", "https://outlook-sdf.office365.com", "http://sandbox.test"]) {
        expect(csp.split(" ")).toContain(host);
      }
      expect(res.headers["x-content-type-options"]).toBe("nosniff");
      expect(res.headers["referrer-policy"]).toBeDefined();
    }
  });

  it("serves each surface with or without a trailing slash", async () => {
    for (const surface of ["sidepanel", "stage", "config", "taskpane"]) {
      expect((await request(app).get(`/${surface}`).expect(200)).text).toContain(`<title>${surface}</title>`);
      expect((await request(app).get(`/${surface}/`).expect(200)).text).toContain(`<title>${surface}</title>`);
    }
  });

  it("caches hashed assets for a year", async () => {
    const res = await request(app).get("/assets/tab-abc123.js").expect(200);
    expect(res.headers["cache-control"]).toMatch(/max-age=31536000/);
    expect(res.headers["cache-control"]).toMatch(/immutable/);
  });

  it("says to run npm run build when there is no build", async () => {
    const { app: unbuilt } = await createTestApp(database.db, { distDir: path.join(dist, "missing") });
    const res = await request(unbuilt).get("/tab").expect(503);
    expect(res.text).toContain("npm run build");
  });
});
