import type { Express } from "express";
import { createApp } from "../../../api/app";
import type { CallerIdentity } from "../../../api/auth/identity";
import { createTokenVerifier } from "../../../api/auth/verify-token";
import { loadConfig, type AppConfig } from "../../../api/config";
import type { GraphFactory, GraphProfile, MailboxSettings, UserGraph } from "../../../api/graph";
import { createLogger } from "../../../api/shared/logger";
import type { Db } from "../../../api/storage";
import { createTestIssuer, TEST_SANDBOX_URL, type TestIssuer } from "../../fixtures/tokens";

export interface FakeDirectoryEntry {
  profile: GraphProfile;
  mailbox: MailboxSettings;
}

/**
 * A GraphFactory that answers getMe/getMailboxSettings from a map keyed by object id and
 * records who asked; every other Graph call fails loudly so a test cannot depend on it by accident.
 */
export function fakeGraphFactory(directory: Record<string, FakeDirectoryEntry | Error>): GraphFactory & { callers: CallerIdentity[] } {
  const callers: CallerIdentity[] = [];
  const notFaked = (what: string) => () => {
    throw new Error(`fakeGraphFactory: ${what} is not faked in this test`);
  };
  const lookup = (caller: CallerIdentity): FakeDirectoryEntry => {
    const entry = directory[caller.userId];
    if (!entry) throw new Error(`fakeGraphFactory: no entry for ${caller.userId}`);
    if (entry instanceof Error) throw entry;
    return entry;
  };
  return {
    callers,
    forUser(caller) {
      callers.push(caller);
      const graph: UserGraph = {
        kind: "user",
        getMe: async () => lookup(caller).profile,
        getMailboxSettings: async () => lookup(caller).mailbox,
        get: notFaked("get"),
        post: notFaked("post"),
        patch: notFaked("patch"),
        delete: notFaked("delete"),
        getAllPages: notFaked("getAllPages"),
        batch: notFaked("batch"),
      };
      return graph;
    },
    forApp: notFaked("forApp"),
  };
}

export interface TestApp {
  app: Express;
  issuer: TestIssuer;
  config: AppConfig;
}

/** createApp in sandbox mode over `db`, trusting a local test issuer instead of the sandbox's JWKS. */
export async function createTestApp(db: Db, opts: { graph?: GraphFactory; distDir?: string; clock?: () => Date } = {}): Promise<TestApp> {
  const config = loadConfig({ SANDBOX_URL: TEST_SANDBOX_URL, LOG_LEVEL: "silent" });
  const issuer = await createTestIssuer();
  const app = createApp({
    config,
    db,
    graph: opts.graph ?? fakeGraphFactory({}),
    tokenVerifier: createTokenVerifier({ config: config.auth, keys: issuer.keys }),
    logger: createLogger({ level: "silent" }),
    clock: opts.clock,
    distDir: opts.distDir ?? "/nonexistent/dist",
  });
  return { app, issuer, config };
}
