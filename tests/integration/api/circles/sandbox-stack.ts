import type { Express } from "express";
import request from "supertest";
import { z } from "zod";
import { createApp } from "../../../../api/app";
import { createGraphTokenProvider } from "../../../../api/auth/graph-tokens";
import type { CallerIdentity } from "../../../../api/auth/identity";
import { createTokenVerifier } from "../../../../api/auth/verify-token";
import { loadConfig } from "../../../../api/config";
import { createGraphFactory, type GraphFactory } from "../../../../api/graph";
import { createLogger } from "../../../../api/shared/logger";
import type { Db } from "../../../../api/storage";
import { SANDBOX_TENANT_ID, seedPeople } from "../../../../sandbox/seed/people";
import { startSandbox } from "../../../../sandbox/server";

/**
 * The API wired exactly as in sandbox mode (real token verification, on-behalf-of Graph tokens,
 * our Graph layer) against an in-process sandbox, over a test database. Tokens come from the
 * sandbox's POST /identity/token, as the Teams host page gets them.
 */
export interface SandboxStack {
  sandboxUrl: string;
  sandbox: Awaited<ReturnType<typeof startSandbox>>["sandbox"];
  graph: GraphFactory;
  /** The API over `db` (one per engine). */
  appFor(db: Db): Express;
  /** A bearer token for our API, for a seeded person. */
  apiToken(upn: string): Promise<string>;
  /** A delegated Graph token, to arrange calendars directly in the sandbox. */
  graphToken(upn: string): Promise<string>;
  callerFor(upn: string): Promise<CallerIdentity>;
  close(): Promise<void>;
}

const TokenSchema = z.object({ access_token: z.string() });

export const MEGAN = "megan.bowen@contoso.example";
export const ALEX = "alex.wilber@contoso.example";
export const PRIYA = "priya.raman@contoso.example";
export const LEE = "lee.gu@contoso.example";
export const DIEGO = "diego.siciliani@contoso.example";
export const ISAIAH = "isaiah.langer@contoso.example";

export function idOf(upn: string): string {
  const person = seedPeople.find((p) => p.userPrincipalName === upn);
  if (!person) throw new Error(`no seeded person ${upn}`);
  return person.id;
}

export async function startSandboxStack(opts: { now: Date }): Promise<SandboxStack> {
  const started = await startSandbox({ port: 0, appUrl: "http://localhost:0", now: () => opts.now });
  const config = loadConfig({ SANDBOX_URL: started.url, LOG_LEVEL: "silent" });
  const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }) });
  const tokenVerifier = createTokenVerifier({ config: config.auth });
  const logger = createLogger({ level: "silent" });
  const tokens = new Map<string, Promise<string>>();
  const token = (upn: string, audience?: string): Promise<string> => {
    const key = `${upn}|${audience ?? "api"}`;
    let cached = tokens.get(key);
    if (!cached) {
      cached = fetchToken(upn, audience);
      tokens.set(key, cached);
    }
    return cached;
  };
  const fetchToken = async (upn: string, audience?: string) => {
    const res = await fetch(`${started.url}/identity/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ upn, ...(audience ? { audience } : {}) }),
    });
    if (!res.ok) throw new Error(`token for ${upn}: HTTP ${res.status}`);
    return TokenSchema.parse(await res.json()).access_token;
  };
  return {
    sandboxUrl: started.url,
    sandbox: started.sandbox,
    graph,
    appFor: (db) => createApp({ config, db, graph, tokenVerifier, logger, clock: () => opts.now, distDir: "/nonexistent/dist" }),
    apiToken: (upn) => token(upn),
    graphToken: (upn) => token(upn, "https://graph.microsoft.com"),
    async callerFor(upn) {
      const person = seedPeople.find((p) => p.userPrincipalName === upn)!;
      return { tenantId: SANDBOX_TENANT_ID, userId: person.id, userPrincipalName: upn, displayName: person.displayName, assertion: await token(upn) };
    },
    close: () => started.close(),
  };
}

/** supertest with a bearer token for `upn`. */
export function as(stack: SandboxStack, app: Express, upn: string) {
  const withToken = async (method: "get" | "post" | "patch" | "delete", path: string, body?: unknown) => {
    const req = request(app)[method](path).set("Authorization", `Bearer ${await stack.apiToken(upn)}`);
    return body === undefined ? req : req.send(body as object);
  };
  return {
    get: (path: string) => withToken("get", path),
    post: (path: string, body?: unknown) => withToken("post", path, body ?? {}),
    patch: (path: string, body: unknown) => withToken("patch", path, body),
    delete: (path: string) => withToken("delete", path),
  };
}
