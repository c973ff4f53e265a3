import { pino, type Logger } from "pino";

export type { Logger };

/** JSON logs on stdout (App Service collects them); `silent` in tests. */
export function createLogger(opts: { level?: string; name?: string } = {}): Logger {
  return pino({
    name: opts.name ?? "coaching-circles-api",
    level: opts.level ?? "info",
    // Tokens must never reach the logs, even when a whole request is logged while debugging.
    redact: { paths: ["req.headers.authorization", "headers.authorization", "assertion", "*.assertion"], censor: "[redacted]" },
  });
}
