import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { z } from "zod";
import { createApp } from "../api/app";
import { createGraphTokenProvider } from "../api/auth/graph-tokens";
import { createTokenVerifier } from "../api/auth/verify-token";
import { createBookingModule } from "../api/booking";
import { loadConfig } from "../api/config";
import { createGraphFactory } from "../api/graph";
import { createJobRunner } from "../api/jobs";
import { createLogger } from "../api/shared/logger";
import { migrateToLatest, openDatabase } from "../api/storage";
import { seedPeople } from "../sandbox/seed/people";
import { startSandbox } from "../sandbox/server";
import type { BenchModule } from "./types";

/**
 * Graph HTTP requests the API sends to book one circle of 8 against the sandbox, free/busy
 * included (issue #3 figure: round_trips ≤ 6), counted at the sandbox (`/sandbox/stats`: a
 * $batch counts once). Counted from after the circle exists: searchSlots (free/busy over the
 * whole horizon), then bookSeries until the job has succeeded.
 */
const bench: BenchModule = {
  name: "booking-round-trips",
  async run() {
    const dir = mkdtempSync(path.join(tmpdir(), "cc-bench-"));
    const sandbox = await startSandbox({ port: 0, appUrl: "https://app.example" });
    const database = await openDatabase({ kind: "sqlite", file: path.join(dir, "bench.sqlite") });
    try {
      await migrateToLatest(database);
      const config = loadConfig({ SANDBOX_URL: sandbox.url, LOG_LEVEL: "silent", PUBLIC_BASE_URL: "https://app.example" });
      const graph = createGraphFactory({ baseUrl: config.graphBaseUrl, tokens: createGraphTokenProvider({ config }) });
      const logger = createLogger({ level: "silent" });
      const booking = createBookingModule({ config, db: database.db, graph, logger });
      const app = createApp({ config, db: database.db, graph, tokenVerifier: createTokenVerifier({ config: config.auth }), logger, booking, distDir: path.join(dir, "dist") });
      const runner = createJobRunner({ db: database.db, handlers: [booking.handler], logger });
      const server = app.listen(0);
      await new Promise<void>((resolve) => server.once("listening", resolve));
      const address = server.address();
      const base = `http://localhost:${typeof address === "object" && address ? address.port : 0}`;
      try {
        const [organizer, ...others] = seedPeople.slice(0, 8);
        const token = await sandbox.sandbox.identity.apiToken(organizer!.userPrincipalName);
        const call = async (method: string, url: string, body?: unknown) => {
          const res = await fetch(`${base}${url}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, ...(body ? { body: JSON.stringify(body) } : {}) });
          const json: unknown = await res.json();
          if (!res.ok) throw new Error(`${method} ${url} → ${res.status} ${JSON.stringify(json)}`);
          return json;
        };
        const circle = z.object({ id: z.string() }).parse(
          await call("POST", "/api/circles", { name: "Bench circle", purpose: "", members: others.map((p) => p.userPrincipalName), formatId: "coaching-circle", cadence: "biweekly", sessionMinutes: 60, sessionCount: 12 }),
        );

        sandbox.sandbox.stats.reset();
        const slots = z.object({ slots: z.array(z.object({ start: z.string(), timeZone: z.string() })) }).parse(await call("POST", `/api/circles/${circle.id}/slots`, {}));
        const freeBusy = sandbox.sandbox.stats.graphRequests();
        const slot = slots.slots[0];
        if (!slot) throw new Error("searchSlots found no slot");
        const { jobId } = z.object({ jobId: z.string() }).parse(await call("POST", `/api/circles/${circle.id}/booking`, { start: slot.start, timeZone: slot.timeZone }));
        await runner.runDue();
        const job = z.object({ status: z.string() }).parse(await call("GET", `/api/jobs/${jobId}`));
        if (job.status !== "succeeded") throw new Error(`booking ended ${job.status}`);
        const total = sandbox.sandbox.stats.graphRequests();
        return [
          { metric: "round_trips", value: total, unit: "requests" },
          { metric: "free_busy_round_trips", value: freeBusy, unit: "requests" },
          { metric: "booking_round_trips", value: total - freeBusy, unit: "requests" },
        ];
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    } finally {
      await database.close();
      await sandbox.close();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};

export default bench;
