import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type RequestHandler, type Router } from "express";
import type { AppConfig } from "../config";

/** The front-end surfaces the Vite build produces, each at dist/<surface>/index.html. */
export const SURFACES = ["tab", "sidepanel", "stage", "config", "taskpane"] as const;
export type Surface = (typeof SURFACES)[number];

export const DEFAULT_DIST_DIR = fileURLToPath(new URL("../../dist", import.meta.url));

/**
 * Hosts allowed to frame our pages (platform-facts.md "Hosting a tab page"): Teams, Outlook and
 * the Microsoft 365 app on their old and new (cloud.microsoft) domains.
 */
export const MICROSOFT_365_FRAME_ANCESTORS = [
  "https://*.cloud.microsoft",
  "https://teams.microsoft.com",
  "https://*.teams.microsoft.com",
  "https://*.microsoft365.com",
  "https://*.office.com",
  "https://outlook.office.com",
  "https://outlook.office365.com",
  "https://outlook-sdf.office.com",
  "https://outlook-sdf.office365.com",
] as const;

/** `frame-ancestors 'self' …`, plus the sandbox's Teams host page in sandbox mode. */
export function contentSecurityPolicy(config: Pick<AppConfig, "mode" | "sandboxUrl">): string {
  const sources = ["'self'", ...MICROSOFT_365_FRAME_ANCESTORS];
  if (config.mode === "sandbox" && config.sandboxUrl) sources.push(new URL(config.sandboxUrl).origin);
  return `frame-ancestors ${sources.join(" ")}`;
}

/**
 * Serves the built front end: `/` and `/tab` → the personal tab, `/sidepanel`, `/stage`,
 * `/config`, `/taskpane` (with or without a trailing slash) → their page; hashed files under
 * /assets are cached for a year. Without a build, pages answer 503 saying how to build.
 */
export function createWebRouter(opts: { config: Pick<AppConfig, "mode" | "sandboxUrl">; distDir?: string }): Router {
  const distDir = opts.distDir ?? DEFAULT_DIST_DIR;
  const csp = contentSecurityPolicy(opts.config);
  const router = express.Router();

  const page =
    (surface: Surface): RequestHandler =>
    (_req, res, next) => {
      res.setHeader("Content-Security-Policy", csp);
      const file = path.join(distDir, surface, "index.html");
      // Checked per request so `npm run build` while the server runs is picked up.
      if (!existsSync(file)) {
        res.status(503).type("text/plain").send(`The Coaching Circles front end is not built yet (${surface}): run npm run build, then reload.`);
        return;
      }
      // Pages change with every deploy; the hashed assets they reference are what gets cached.
      res.setHeader("Cache-Control", "no-cache");
      res.sendFile(file, (err) => {
        if (err) next(err);
      });
    };

  router.get("/", page("tab"));
  for (const surface of SURFACES) router.get(`/${surface}`, page(surface));

  // Vite content-hashes everything under assets/: safe to cache forever.
  router.use("/assets", express.static(path.join(distDir, "assets"), { immutable: true, maxAge: "365d", index: false, fallthrough: false }));
  router.use("/vendor", express.static(path.join(distDir, "vendor"), { maxAge: "1d", index: false, fallthrough: false }));
  return router;
}
