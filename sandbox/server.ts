import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { createSandbox, type Sandbox } from "./app.js";

export const DEFAULT_SANDBOX_PORT = 3001;

/**
 * Starts the sandbox on `port` (default 3001; tests pass 0 for an ephemeral port). The server
 * listens before the sandbox is built so that the real URL, port included, goes into issuers
 * and nextLinks.
 */
export async function startSandbox(opts: { port?: number; appUrl: string; now?: () => Date }): Promise<{ url: string; close(): Promise<void>; sandbox: Sandbox }> {
  const bound: { handler?: (req: IncomingMessage, res: ServerResponse) => void } = {};
  const server = createServer((req, res) => {
    if (bound.handler) bound.handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? DEFAULT_SANDBOX_PORT, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://localhost:${port}`;
  const sandbox = createSandbox({ baseUrl: url, appUrl: opts.appUrl, ...(opts.now ? { now: opts.now } : {}) });
  bound.handler = sandbox.app;
  await sandbox.ready;
  return {
    url,
    sandbox,
    close: async () => {
      await sandbox.notifications.flush();
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
    },
  };
}
