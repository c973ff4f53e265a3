import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { CallerIdentity, GraphTokenProvider } from "../../../../api/auth/identity";

/** A request as the scripted Graph server saw it; `path` is relative to /v1.0 and includes the query. */
export interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface ScriptedReply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Wait this long before answering (keeps the request in flight). */
  delayMs?: number;
}

export type Script = (request: SeenRequest, index: number) => ScriptedReply | Promise<ScriptedReply>;

/**
 * A real HTTP server on an ephemeral port standing in for Graph: each request is answered by the
 * script, recorded, and counted while in flight (per `inFlightKey`, default: the first two path
 * segments, i.e. the mailbox).
 */
export async function startScriptedGraph(script: Script, inFlightKey: (r: SeenRequest) => string = mailboxOf) {
  const requests: SeenRequest[] = [];
  const inFlight = new Map<string, number>();
  const maxInFlight = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const text = Buffer.concat(chunks).toString("utf8");
      const seen: SeenRequest = {
        method: req.method ?? "",
        path: (req.url ?? "").replace(/^\/v1\.0/, ""),
        headers: req.headers,
        body: text === "" ? undefined : (JSON.parse(text) as unknown),
      };
      const index = requests.push(seen) - 1;
      const key = inFlightKey(seen);
      const now = (inFlight.get(key) ?? 0) + 1;
      inFlight.set(key, now);
      maxInFlight.set(key, Math.max(maxInFlight.get(key) ?? 0, now));
      void (async () => {
        const reply = await script(seen, index);
        if (reply.delayMs) await new Promise((r) => setTimeout(r, reply.delayMs));
        inFlight.set(key, (inFlight.get(key) ?? 1) - 1);
        const headers: Record<string, string> = { ...reply.headers };
        if (reply.body !== undefined) headers["content-type"] ??= "application/json";
        res.writeHead(reply.status, headers);
        res.end(reply.body === undefined ? undefined : typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    baseUrl: `${origin}/v1.0`,
    requests,
    maxInFlight: (key: string) => maxInFlight.get(key) ?? 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export function mailboxOf(r: SeenRequest): string {
  return r.path.split("?")[0]!.split("/").filter(Boolean).slice(0, 2).join("/");
}

export const graphError = (status: number, code: string, message: string, headers: Record<string, string> = {}): ScriptedReply => ({
  status,
  headers,
  body: { error: { code, message, innerError: { "request-id": `req-${code}`, date: "2025-01-01T00:00:00" } } },
});

export const caller: CallerIdentity = {
  tenantId: "11111111-1111-1111-1111-111111111111",
  userId: "aaaaaaaa-0000-0000-0000-000000000001",
  userPrincipalName: "ada@contoso.example",
  displayName: "Ada",
  assertion: "api-token",
};

export const tokens: GraphTokenProvider = {
  userToken: async (c) => `user-token-for-${c.userId}`,
  appToken: async (tenantId) => `app-token-for-${tenantId}`,
};

/** An injected sleep that records what it was asked to wait and returns at once. */
export function recordingSleep() {
  const waits: number[] = [];
  return { waits, sleep: async (ms: number) => void waits.push(ms) };
}
