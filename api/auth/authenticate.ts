import type { RequestHandler } from "express";
import { AppError } from "../shared/errors";
import { toAppError } from "../shared/error-middleware";
import type { CallerIdentity } from "./identity";
import type { TokenVerifier } from "./verify-token";

declare module "express-serve-static-core" {
  interface Locals {
    /** Set by `authenticate` for routes defined with `auth: true`. */
    caller?: CallerIdentity;
  }
}

/**
 * Express middleware: requires `Authorization: Bearer <token>`, verifies it and sets
 * `res.locals.caller`. A missing or invalid token goes to the error middleware as a 401
 * (with a WWW-Authenticate challenge, RFC 6750), so nothing after it runs.
 */
export function createAuthenticate(verifier: TokenVerifier): RequestHandler {
  return async (req, res, next) => {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
    if (!match?.[1]) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="coaching-circles"');
      next(new AppError("unauthorized", "Sign-in required: send Authorization: Bearer <token>."));
      return;
    }
    try {
      res.locals.caller = await verifier.verify(match[1]);
    } catch (err) {
      const appError = toAppError(err);
      if (appError.status === 401) res.setHeader("WWW-Authenticate", 'Bearer realm="coaching-circles", error="invalid_token"');
      next(appError);
      return;
    }
    next();
  };
}
