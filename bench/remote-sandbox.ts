import { fork, type ChildProcess } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { StatsSnapshot } from "../sandbox/app";

/** A fault rule that crosses the process boundary (a path RegExp travels as its source). */
export interface RemoteFaultRule {
  /** RegExp source matched against the path after /v1.0 (query included). */
  pathPattern?: string;
  status?: 429 | 503 | 504;
  retryAfterSeconds?: number;
  probability?: number;
  latencyMs?: number;
}

export interface RemoteSandbox {
  url: string;
  addFault(rule: RemoteFaultRule): Promise<string>;
  resetFaults(): Promise<void>;
  stats(): Promise<StatsSnapshot>;
  resetStats(): Promise<void>;
  apiToken(upn: string): Promise<string>;
  graphToken(upn: string): Promise<string>;
  close(): Promise<void>;
}

const here = dirname(fileURLToPath(import.meta.url));

/**
 * Starts the sandbox in a child process (bench/remote-sandbox-process.ts) so that, like Graph,
 * it does not share the API's thread: its CPU time no longer queues behind the API's, and the
 * API's behind it. Controls (faults, stats, tokens) go over IPC.
 */
export async function startRemoteSandbox(opts: { appUrl?: string; execArgv?: string[] } = {}): Promise<RemoteSandbox> {
  const child: ChildProcess = fork(join(here, "remote-sandbox-process.ts"), [], {
    cwd: join(here, ".."),
    execArgv: [...(opts.execArgv ?? []), "--import", "tsx"],
    env: { ...process.env, BENCH_APP_URL: opts.appUrl ?? "https://app.example" },
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let next = 1;
  let exited = false;
  const url = await new Promise<string>((resolve, reject) => {
    child.once("exit", (code) => reject(new Error(`The sandbox process exited (${code}) before it was ready.`)));
    child.on("message", (raw: unknown) => {
      const msg = raw as { ready?: boolean; url?: string; id?: number; result?: unknown; error?: string };
      if (msg.ready && msg.url) return resolve(msg.url);
      if (msg.id === undefined) return;
      const waiter = pending.get(msg.id);
      pending.delete(msg.id);
      if (msg.error !== undefined) waiter?.reject(new Error(`sandbox: ${msg.error}`));
      else waiter?.resolve(msg.result);
    });
  });
  child.removeAllListeners("exit");
  child.once("exit", () => {
    exited = true;
    for (const waiter of pending.values()) waiter.reject(new Error("The sandbox process exited."));
    pending.clear();
  });

  const ask = <T>(op: string, extra: Record<string, unknown> = {}): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (exited) return reject(new Error("The sandbox process has exited."));
      const id = next++;
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, op, ...extra });
    });

  return {
    url,
    addFault: (rule) => ask<string>("addFault", { rule }),
    resetFaults: () => ask<void>("resetFaults"),
    stats: () => ask<StatsSnapshot>("stats"),
    resetStats: () => ask<void>("resetStats"),
    apiToken: (upn) => ask<string>("apiToken", { upn }),
    graphToken: (upn) => ask<string>("graphToken", { upn }),
    async close() {
      if (exited) return;
      const gone = new Promise<void>((resolve) => child.once("exit", () => resolve()));
      await ask<void>("close").catch(() => undefined);
      // A sandbox that does not stop within 5 s is stopped (only this child, by its own handle).
      const timer = setTimeout(() => child.kill(), 5_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
