import type { NextFunction, Request, Response } from "express";
import type { JWTPayload } from "jose";
import type { SandboxContext } from "../context.js";
import { GRAPH_AUDIENCE, TokenError, type TokenIssuer } from "../identity/tokens.js";
import { GraphError } from "./errors.js";
import { locals } from "./locals.js";

/** Graph's own app id: tokens may carry it as `aud` instead of the URL. */
const GRAPH_APP_ID = "00000003-0000-0000-c000-000000000000";

const invalidToken = (message: string) => new GraphError(401, "InvalidAuthenticationToken", message, { "WWW-Authenticate": 'Bearer realm="", error="invalid_token"' });

/**
 * Requires a Graph token signed by this sandbox. Sets callerId/appOnly on res.locals;
 * mailboxId defaults to the caller and is narrowed by the /me and /users/:user mounts.
 */
export function createGraphAuth(ctx: SandboxContext, issuer: TokenIssuer) {
  const verified = new VerifiedTokens();
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw invalidToken("Access token is empty.");
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw invalidToken("CompactToken parsing failed with error code: 80049217");
    let claims = verified.get(token);
    if (claims === undefined) {
      try {
        claims = await issuer.verify(token, (aud) => aud === GRAPH_AUDIENCE || aud === GRAPH_APP_ID);
      } catch (err) {
        throw invalidToken(err instanceof TokenError ? `Access token validation failure. ${err.message}` : "Access token validation failure.");
      }
      verified.remember(token, claims);
    }
    if (claims.tid !== ctx.tenantId) throw invalidToken("Access token validation failure. Invalid tenant.");
    const appOnly = claims.idtyp === "app" || (claims.scp === undefined && Array.isArray(claims.roles));
    const l = locals(res);
    l.appOnly = appOnly;
    if (!appOnly) {
      const person = typeof claims.oid === "string" ? ctx.directory.find(claims.oid) : undefined;
      if (!person) throw invalidToken("Access token validation failure. The user does not exist in the tenant.");
      l.callerId = person.id;
      l.mailboxId = person.id;
    }
    next();
  };
}

/**
 * Tokens this sandbox verified, until they expire: a client sends the same token with every
 * request (and every $batch item carries it again), and an RS256 check per request was a large
 * share of the sandbox's CPU in the cohort bench. Keyed by the exact token string and filled
 * with successes only, so a changed or forged token is always verified; the cache is emptied
 * when it grows large.
 */
class VerifiedTokens {
  private readonly byToken = new Map<string, { claims: JWTPayload; expiresMs: number }>();

  get(token: string): JWTPayload | undefined {
    const hit = this.byToken.get(token);
    if (hit === undefined) return undefined;
    if (Date.now() >= hit.expiresMs) {
      this.byToken.delete(token);
      return undefined;
    }
    return hit.claims;
  }

  remember(token: string, claims: JWTPayload): void {
    // Without an expiry there is nothing to bound the entry by: verify every time.
    if (typeof claims.exp !== "number") return;
    if (this.byToken.size >= 1_000) this.byToken.clear();
    this.byToken.set(token, { claims, expiresMs: claims.exp * 1000 });
  }
}

/** `/me…`: the caller's own mailbox; app-only tokens have no "me". */
export function meMailbox(_req: Request, res: Response, next: NextFunction): void {
  const l = locals(res);
  if (l.appOnly || !l.callerId) throw new GraphError(400, "BadRequest", "/me request is only valid with delegated authentication flow.");
  l.mailboxId = l.callerId;
  next();
}

/** `/users/{id|upn}…`: that user's mailbox, 404 for someone not in the directory. */
export function userMailbox(ctx: SandboxContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const key = String(req.params.user ?? "");
    const person = ctx.directory.find(key);
    if (!person) {
      throw new GraphError(404, "Request_ResourceNotFound", `Resource '${key}' does not exist or one of its queried reference-property objects are not present.`);
    }
    locals(res).mailboxId = person.id;
    next();
  };
}
