/**
 * Child-process entry of bench/remote-sandbox.ts: runs the sandbox in its own process, like the
 * remote service Graph is, and answers control messages from the parent over IPC.
 */
import { z } from "zod";
import { startSandbox } from "../sandbox/server";

const MessageSchema = z.object({
  id: z.number(),
  op: z.enum(["addFault", "resetFaults", "stats", "resetStats", "apiToken", "graphToken", "close"]),
  rule: z
    .object({
      pathPattern: z.string().optional(),
      status: z.union([z.literal(429), z.literal(503), z.literal(504)]).optional(),
      retryAfterSeconds: z.number().optional(),
      probability: z.number().optional(),
      latencyMs: z.number().optional(),
    })
    .optional(),
  upn: z.string().optional(),
});

async function main(): Promise<void> {
  const appUrl = process.env.BENCH_APP_URL ?? "https://app.example";
  const sandbox = await startSandbox({ port: 0, appUrl });
  const reply = (id: number, result: unknown, error?: string) => process.send?.({ id, result, error });

  process.on("message", (raw: unknown) => {
    const msg = MessageSchema.parse(raw);
    void (async () => {
      try {
        switch (msg.op) {
          case "addFault": {
            const { pathPattern, ...rest } = msg.rule ?? {};
            const id = sandbox.sandbox.faults.add({ ...rest, ...(pathPattern ? { match: { path: new RegExp(pathPattern) } } : {}) });
            return reply(msg.id, id);
          }
          case "resetFaults":
            sandbox.sandbox.faults.reset();
            return reply(msg.id, null);
          case "stats":
            return reply(msg.id, sandbox.sandbox.stats.snapshot());
          case "resetStats":
            sandbox.sandbox.stats.reset();
            return reply(msg.id, null);
          case "apiToken":
            return reply(msg.id, await sandbox.sandbox.identity.apiToken(msg.upn ?? ""));
          case "graphToken":
            return reply(msg.id, await sandbox.sandbox.identity.graphToken(msg.upn ?? ""));
          case "close":
            await sandbox.close();
            reply(msg.id, null);
            process.disconnect?.();
            return;
        }
      } catch (err) {
        reply(msg.id, null, err instanceof Error ? err.message : String(err));
      }
    })();
  });
  // The parent went away (crashed or killed): do not linger.
  process.on("disconnect", () => process.exit(0));
  process.send?.({ ready: true, url: sandbox.url });
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
