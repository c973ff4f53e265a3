import type { NextFunction, Request, Response } from "express";
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
  return async (req: Request, res: Response, next: NextFunction): Promise<void> => {
    const header = req.headers.authorization;
    if (!header) throw invalidToken("Access token is empty.");
    const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
    if (!token) throw invalidToken("CompactToken parsing failed with error code: 80049217");
    let claims;
    try {
      claims = await issuer.verify(token, (aud) => aud === GRAPH_AUDIENCE || aud === GRAPH_APP_ID);
    } catch (err) {
      throw invalidToken(err instanceof TokenError ? `Access token validation failure. ${err.message}` : "Access token validation failure.");
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
