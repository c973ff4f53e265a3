import { randomUUID } from "node:crypto";
import type { RequestHandler } from "express";
import type { Logger } from "./logger";

/** One log line per request, with a request id echoed as `x-request-id` for support. */
export function requestLogger(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = process.hrtime.bigint();
    const incoming = req.headers["x-request-id"];
    const requestId = typeof incoming === "string" && /^[\w.-]{1,100}$/.test(incoming) ? incoming : randomUUID();
    res.setHeader("x-request-id", requestId);
    res.on("finish", () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const line = { requestId, method: req.method, path: req.originalUrl.split("?")[0], status: res.statusCode, ms: Math.round(ms) };
      // Static files are noise at info level.
      if (req.path.startsWith("/api/")) logger.info(line, "request");
      else logger.debug(line, "request");
    });
    next();
  };
}
