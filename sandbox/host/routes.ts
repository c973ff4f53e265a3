import express from "express";
import { SANDBOX_TENANT_ID } from "../seed/people.js";
import { bundleHostScript } from "./bundle.js";
import { renderHostPage } from "./page.js";

export const HOST_SCRIPT_PATH = "/host/client.js";

/**
 * The Teams host page: the sandbox's stand-in for the Teams web client, framing our app's
 * surfaces (`${appUrl}/tab`, `/sidepanel`, `/stage`, `/config`, `/taskpane`) and answering them
 * over the TeamsJS postMessage protocol. Mounted at the sandbox root: `/` and `/host`.
 */
export function createHostRoutes(opts: { appUrl: string; sandboxUrl: string }): express.Router {
  const router = express.Router();
  const appUrl = opts.appUrl.replace(/\/+$/, "");
  const sandboxUrl = opts.sandboxUrl.replace(/\/+$/, "");
  const appOrigin = new URL(appUrl).origin;
  const html = renderHostPage({ appUrl, sandboxUrl, tenantId: SANDBOX_TENANT_ID }, HOST_SCRIPT_PATH);
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'unsafe-inline'",
    `connect-src 'self' ${new URL(sandboxUrl).origin}`,
    `frame-src ${appOrigin}`,
    "img-src 'self' data:",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");

  router.get(["/", "/host"], (_req, res) => {
    res.set({ "Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-store", "Content-Security-Policy": csp });
    res.send(html);
  });

  router.get(HOST_SCRIPT_PATH, async (_req, res) => {
    try {
      const script = await bundleHostScript();
      res.set({ "Content-Type": "text/javascript; charset=utf-8", "Cache-Control": "no-cache" });
      res.send(script);
    } catch (cause) {
      const message = cause instanceof Error ? cause.message : String(cause);
      res.status(500).type("text/plain").send(`The sandbox host script failed to build: ${message}`);
    }
  });

  return router;
}
