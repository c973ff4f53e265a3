import express from "express";
import { z } from "zod";
import type { SandboxContext } from "../context.js";
import type { SigningKey } from "./keys.js";
import { GRAPH_AUDIENCE, TokenError, isApiAudience, type TokenIssuer } from "./tokens.js";

const TokenBody = z.object({ upn: z.string().min(1), audience: z.string().min(1).optional() }).strict();
const OboBody = z.object({ assertion: z.string().min(1), scopes: z.array(z.string()).optional() }).strict();
const AppTokenBody = z.object({ tenantId: z.string().optional() }).strict();

const EXPIRES_IN = 3600;

/** The identity error shape: `{ error: { code, message } }` (the API's envelope, simpler than Entra's). */
function identityError(res: express.Response, status: number, code: string, message: string): void {
  res.status(status).json({ error: { code, message } });
}

function zodMessage(err: z.ZodError): string {
  return err.issues.map((i) => `${i.path.join(".") || "body"}: ${i.message}`).join("; ");
}

/**
 * The Entra ID stand-in: JWKS, OpenID metadata, a user list for the host page's user switcher, a
 * token endpoint that signs in any seeded user, the on-behalf-of exchange and app-only tokens.
 * The front end calls it from the browser in plain-browser sandbox mode, hence CORS.
 */
export function createIdentityRoutes(ctx: SandboxContext, deps: { issuer: TokenIssuer; key: Promise<SigningKey>; baseUrl: string }): express.Router {
  const router = express.Router();
  const tid = ctx.tenantId;

  router.use((req, res, next) => {
    res.setHeader("Access-Control-Allow-Origin", req.headers.origin ?? "*");
    res.setHeader("Vary", "Origin");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "Content-Type, Authorization");
    res.setHeader("Access-Control-Max-Age", "600");
    if (req.method === "OPTIONS") {
      res.status(204).end();
      return;
    }
    next();
  });
  router.use(express.json());

  const jwks = async (_req: express.Request, res: express.Response) => {
    const key = await deps.key;
    res.json({ keys: [key.publicJwk] });
  };
  router.get("/discovery/v2.0/keys", jwks);
  router.get(`/${tid}/discovery/v2.0/keys`, jwks);

  router.get(`/${tid}/v2.0/.well-known/openid-configuration`, (_req, res) => {
    const base = `${deps.baseUrl}/identity`;
    res.json({
      issuer: deps.issuer.issuer,
      authorization_endpoint: `${base}/${tid}/oauth2/v2.0/authorize`,
      token_endpoint: `${base}/token`,
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_types_supported: ["code", "id_token", "code id_token", "id_token token"],
      subject_types_supported: ["pairwise"],
      id_token_signing_alg_values_supported: ["RS256"],
      scopes_supported: ["openid", "profile", "email", "offline_access"],
      claims_supported: ["sub", "iss", "aud", "exp", "iat", "nbf", "name", "preferred_username", "oid", "tid", "ver", "scp", "roles"],
      tenant_region_scope: "EU",
    });
  });

  router.get("/users", (_req, res) => {
    res.json({
      value: ctx.directory.list().map((p) => ({
        id: p.id,
        displayName: p.displayName,
        userPrincipalName: p.userPrincipalName,
        timeZone: p.timeZone,
        department: p.department,
        jobTitle: p.jobTitle,
      })),
    });
  });

  router.post("/token", async (req, res) => {
    const parsed = TokenBody.safeParse(req.body ?? {});
    if (!parsed.success) return identityError(res, 400, "invalid_request", zodMessage(parsed.error));
    const person = ctx.directory.find(parsed.data.upn);
    if (!person) return identityError(res, 400, "invalid_user", `No user '${parsed.data.upn}' in the sandbox tenant. GET /identity/users lists them.`);
    const audience = parsed.data.audience;
    if (audience !== undefined && audience !== GRAPH_AUDIENCE && !isApiAudience(audience)) {
      return identityError(res, 400, "invalid_resource", `Unknown audience '${audience}': use our API's client id (the default) or ${GRAPH_AUDIENCE}.`);
    }
    res.json({ access_token: await deps.issuer.issueUserToken(person, audience), token_type: "Bearer", expires_in: EXPIRES_IN });
  });

  router.post("/obo", async (req, res) => {
    const parsed = OboBody.safeParse(req.body ?? {});
    if (!parsed.success) return identityError(res, 400, "invalid_request", zodMessage(parsed.error));
    let claims;
    try {
      // Only a token for our API qualifies; a Graph token as the assertion fails the audience check.
      claims = await deps.issuer.verify(parsed.data.assertion, isApiAudience);
    } catch (err) {
      const reason = err instanceof TokenError ? err.message : "Assertion validation failed.";
      return identityError(res, 400, "invalid_grant", `AADSTS50013: Assertion failed signature or claim validation. ${reason}`);
    }
    const scp = typeof claims.scp === "string" ? claims.scp.split(" ") : [];
    if (!scp.includes("access_as_user")) return identityError(res, 400, "invalid_grant", "AADSTS50013: The assertion has no 'access_as_user' scope.");
    const person = typeof claims.oid === "string" ? ctx.directory.find(claims.oid) : undefined;
    if (!person) return identityError(res, 400, "invalid_grant", "AADSTS50013: The assertion's user is not in the sandbox tenant.");
    res.json({ access_token: await deps.issuer.issueUserToken(person, GRAPH_AUDIENCE), token_type: "Bearer", expires_in: EXPIRES_IN });
  });

  router.post("/app-token", async (req, res) => {
    const parsed = AppTokenBody.safeParse(req.body ?? {});
    if (!parsed.success) return identityError(res, 400, "invalid_request", zodMessage(parsed.error));
    if (parsed.data.tenantId !== undefined && parsed.data.tenantId !== tid) {
      return identityError(res, 400, "invalid_tenant", `AADSTS90002: Tenant '${parsed.data.tenantId}' not found. The sandbox tenant is ${tid}.`);
    }
    res.json({ access_token: await deps.issuer.issueAppToken(), token_type: "Bearer", expires_in: EXPIRES_IN });
  });

  router.use((_req, res) => identityError(res, 404, "not_found", "No such identity endpoint."));
  // Express 5 needs the 4-argument signature to recognise an error handler.
  router.use((err: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
    const parseFailed = typeof err === "object" && err !== null && (err as { type?: string }).type === "entity.parse.failed";
    identityError(res, 400, "invalid_request", parseFailed ? "The body is not valid JSON." : "Bad request.");
  });
  return router;
}
