import type { RequestHandler } from "express";

/** Headers every response carries; the page CSP (frame-ancestors) is set by api/web. */
export function securityHeaders(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "strict-origin-when-cross-origin");
    next();
  };
}
