/**
 * Live-session fan-out (issue #4 figures): 500 concurrent sessions × 8 connected SSE clients on one
 * API instance (SQLite), one intent per second per session. Reports p50/p99 ms from sending an
 * intent to every client of that session holding the new version, and the API process's resident
 * memory per connected client.
 *
 * The API runs in its own process (as in production) against an in-process sandbox for identity;
 * clients and intents come from this process. Latency is measured from the moment the intent's
 * POST is written until the last of the session's 8 clients has received the whole event carrying
 * that version, so it includes the HTTP request itself (an upper bound on "accepted → held").
 * Each session sends its intents over one keep-alive connection, as a browser would; streams parse
 * complete events and check that every client sees every version exactly once, in order.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import http from "node:http";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { openDatabase, toDbBool } from "../api/storage";
import { SANDBOX_TENANT_ID } from "../sandbox/seed/people";
import { startSandbox } from "../sandbox/server";
import type { BenchMetric } from "./types";

const SESSIONS = Number(process.env.FANOUT_SESSIONS ?? 500);
const CLIENTS = 8;
const SECONDS = Number(process.env.FANOUT_SECONDS ?? 20);
const repoRoot = fileURLToPath(new URL("../", import.meta.url));

export const name = "session-fanout";

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

function rssBytes(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0) * 1024;
}

// Streams hold their sockets; setup requests take a fresh connection each (a pooled socket left idle
// past the server's 5 s keep-alive timeout would be reset under us).
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });
/** One keep-alive connection per session for its intents (used every second, never idle for 5 s). */
const sessionAgent = () => new http.Agent({ keepAlive: true, maxSockets: 1 });

function request(url: string, method: string, token: string, body?: unknown, via: http.Agent = agent): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(url, { method, agent: via, headers: { authorization: `Bearer ${token}`, ...(payload ? { "content-type": "application/json", "content-length": Buffer.byteLength(payload) } : {}) } }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (text += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on("error", reject);
    req.end(payload);
  });
}

/** CPU time (user + system) the process has used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function quantile(sorted: number[], q: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

export async function run(): Promise<BenchMetric[]> {
  const dataDir = await mkdtemp(join(tmpdir(), "cc-fanout-"));
  const sandbox = await startSandbox({ port: 0, appUrl: "http://localhost:0" });
  const port = await freePort();
  const apiUrl = `http://127.0.0.1:${port}`;
  let child: ChildProcess | undefined;
  try {
    // FANOUT_PROFILE=dir writes a CPU profile of the API process there.
    const profile = process.env.FANOUT_PROFILE ? ["--cpu-prof", `--cpu-prof-dir=${process.env.FANOUT_PROFILE}`] : [];
    child = spawn(process.execPath, [...profile, "--import", "tsx", "api/server.ts"], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, PORT: String(port), SANDBOX_URL: sandbox.url, DATA_DIR: dataDir, LOG_LEVEL: "error", PUBLIC_BASE_URL: apiUrl },
      stdio: ["ignore", "ignore", "inherit"],
    });
    for (let i = 0; ; i++) {
      const ok = await fetch(`${apiUrl}/api/health`).then((r) => r.ok, () => false);
      if (ok) break;
      if (i > 300) throw new Error("the API did not start");
      await new Promise((r) => setTimeout(r, 100));
    }

    // 500 circles of 8 demo people (people may be in many circles), each booked into its own chat.
    const people = ((await (await fetch(`${sandbox.url}/identity/users`)).json()) as { value: Array<{ id: string; userPrincipalName: string; displayName: string }> }).value;
    const database = await openDatabase({ kind: "sqlite", file: join(dataDir, "coaching-circles.sqlite") });
    const now = new Date().toISOString();
    const circles: Array<{ id: string; chatId: string; members: typeof people }> = [];
    await database.db.transaction().execute(async (trx) => {
      for (let c = 0; c < SESSIONS; c++) {
        const id = randomUUID();
        const members = Array.from({ length: CLIENTS }, (_, k) => people[(c + k * 3) % people.length]!);
        const chatId = `19:meeting_bench${c}@thread.v2`;
        circles.push({ id, chatId, members });
        await trx
          .insertInto("circles")
          .values({ id, tenant_id: SANDBOX_TENANT_ID, name: `Circle ${c}`, purpose: "", charter: "[]", format_id: "coaching-circle", cadence: "weekly", session_minutes: 60, session_count: 6, time_zone: "UTC", rotate_roles: toDbBool(true), organizer_id: members[0]!.id, created_at: now, updated_at: now })
          .execute();
        for (const [k, m] of members.entries()) {
          await trx
            .insertInto("circle_members")
            .values({ circle_id: id, user_id: m.id, upn: m.userPrincipalName, display_name: m.displayName, role: k === 0 ? "organizer" : "member", joined_at: new Date(Date.UTC(2030, 0, 1, 0, k)).toISOString(), left_at: null })
            .execute();
        }
        await trx
          .insertInto("circle_series")
          .values({ circle_id: id, event_id: `e${c}`, ical_uid: `u${c}`, organizer_id: members[0]!.id, online_meeting_id: null, join_web_url: null, chat_id: chatId, time_zone: "UTC", first_start: `${now.slice(0, 10)}T10:00:00+00:00`, transaction_id: randomUUID(), status: "booked", job_id: null, created_at: now, updated_at: now })
          .execute();
      }
    });
    await database.close();

    const tokens = new Map<string, string>();
    for (const p of new Set(circles.flatMap((c) => c.members.map((m) => m.userPrincipalName)))) {
      const res = await fetch(`${sandbox.url}/identity/token`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ upn: p }) });
      tokens.set(p, ((await res.json()) as { access_token: string }).access_token);
    }
    const tokenOf = (upn: string) => tokens.get(upn)!;

    // Open every session and start it as its facilitator (the first member, on a first session).
    const sessions: Array<{ id: string; facilitatorToken: string; version: number; agent: http.Agent; clients: Array<{ version: number; bytes: number }> }> = [];
    for (const c of circles) {
      const found = await request(`${apiUrl}/api/sessions/current?chatId=${encodeURIComponent(c.chatId)}`, "GET", tokenOf(c.members[0]!.userPrincipalName));
      const body = JSON.parse(found.body) as { session: { id: string; state: { roles: { facilitator: string } } } };
      const facilitator = c.members.find((m) => m.id === body.session.state.roles.facilitator)!;
      sessions.push({ id: body.session.id, facilitatorToken: tokenOf(facilitator.userPrincipalName), version: 0, agent: sessionAgent(), clients: [] });
    }
    for (const s of sessions) {
      const started = await request(`${apiUrl}/api/sessions/${s.id}/intents`, "POST", s.facilitatorToken, { type: "start" });
      if (started.status !== 200) throw new Error(`start: ${started.status} ${started.body}`);
      s.version = 1;
    }

    const rssBefore = rssBytes(child.pid!);
    // 8 clients per session, each with its own single-use ticket.
    const pending = new Map<string, { t0: number; waiting: number }>();
    const latencies: number[] = [];
    const streams: http.ClientRequest[] = [];
    /** Events that skipped a version or went backwards (must stay 0). */
    let disordered = 0;
    // Connect in batches of 25 sessions (200 sockets) so the listen backlog never overflows.
    const connect = (s: (typeof sessions)[number], si: number) =>
        circles[si]!.members.map(async (m) => {
          const ticket = JSON.parse((await request(`${apiUrl}/api/sessions/${s.id}/stream-ticket`, "POST", tokenOf(m.userPrincipalName))).body) as { ticket: string };
          const client = { version: -1, bytes: 0 };
          s.clients.push(client);
          await new Promise<void>((resolve, reject) => {
            const req = http.get(`${apiUrl}/api/sessions/${s.id}/events?ticket=${ticket.ticket}`, { agent }, (res) => {
              if (res.statusCode !== 200) return reject(new Error(`events: ${res.statusCode}`));
              res.setEncoding("utf8");
              // The client holds a version once the whole event (its blank line included) arrived.
              let buffered = "";
              res.on("data", (chunk: string) => {
                client.bytes += Buffer.byteLength(chunk);
                buffered += chunk;
                let end: number;
                while ((end = buffered.indexOf("\n\n")) >= 0) {
                  const event = buffered.slice(0, end);
                  buffered = buffered.slice(end + 2);
                  // "id: <version>\nevent: state\ndata: {…}": a state event (heartbeats and notes are not).
                  const idEnd = event.indexOf("\n");
                  if (!event.startsWith("id: ") || !event.startsWith("event: state\ndata: {", idEnd + 1)) continue;
                  const version = Number(event.slice(4, idEnd));
                  if (client.version >= 0 && version !== client.version + 1) disordered++;
                  client.version = version;
                  const key = `${s.id}:${version}`;
                  const p = pending.get(key);
                  if (p && --p.waiting === 0) {
                    latencies.push(performance.now() - p.t0);
                    pending.delete(key);
                  }
                }
                resolve();
              });
            });
            req.on("error", reject);
            streams.push(req);
          });
        });
    for (let from = 0; from < sessions.length; from += 25) {
      await Promise.all(sessions.slice(from, from + 25).flatMap((s, k) => connect(s, from + k)));
    }
    const rssAfter = rssBytes(child.pid!);

    // One intent per second per session, spread evenly over each second.
    const errors: string[] = [];
    const began = performance.now();
    const apiCpuBefore = cpuMs(child.pid!);
    const benchCpuBefore = process.cpuUsage();
    const deadline = began + SECONDS * 1000;
    await Promise.all(
      sessions.map(async (s, i) => {
        await new Promise((r) => setTimeout(r, (i / sessions.length) * 1000));
        for (let tick = 0; performance.now() < deadline; tick++) {
          const due = performance.now() + 1000;
          const intent = tick % 2 === 0 ? { type: "pause" } : { type: "resume" };
          const key = `${s.id}:${s.version + 1}`;
          pending.set(key, { t0: performance.now(), waiting: s.clients.length });
          const res = await request(`${apiUrl}/api/sessions/${s.id}/intents`, "POST", s.facilitatorToken, intent, s.agent);
          if (res.status !== 200) errors.push(`${res.status} ${res.body.slice(0, 120)}`);
          else s.version += 1;
          await new Promise((r) => setTimeout(r, Math.max(0, due - performance.now())));
        }
      }),
    );
    const elapsedS = (performance.now() - began) / 1000;
    const apiCpu = cpuMs(child.pid!) - apiCpuBefore;
    const benchCpu = process.cpuUsage(benchCpuBefore);
    await new Promise((r) => setTimeout(r, 500));
    for (const req of streams) req.destroy();
    for (const s of sessions) s.agent.destroy();
    if (errors.length > 0) throw new Error(`${errors.length} intents failed, e.g. ${errors[0]}`);

    const sorted = [...latencies].sort((a, b) => a - b);
    return [
      { metric: "sessions", value: SESSIONS, unit: "count" },
      { metric: "clients", value: SESSIONS * CLIENTS, unit: "count" },
      { metric: "intents", value: latencies.length, unit: "count" },
      { metric: "intents_per_s", value: Math.round(latencies.length / elapsedS), unit: "intents/s (target: sessions × 1)" },
      { metric: "undelivered", value: pending.size, unit: "count" },
      { metric: "disordered", value: disordered, unit: "events that skipped or repeated a version (must be 0)" },
      { metric: "p50_ms", value: Math.round(quantile(sorted, 0.5) * 10) / 10, unit: "ms" },
      { metric: "p99_ms", value: Math.round(quantile(sorted, 0.99) * 10) / 10, unit: "ms" },
      { metric: "max_ms", value: Math.round((sorted.at(-1) ?? NaN) * 10) / 10, unit: "ms" },
      { metric: "api_cpu_ms_per_intent", value: Math.round((apiCpu / latencies.length) * 1000) / 1000, unit: "ms of API CPU per intent (HTTP, auth, apply, store, fan-out to 8)" },
      { metric: "api_cpu_share", value: Math.round((apiCpu / (elapsedS * 1000)) * 100), unit: "% of one core used by the API during the load" },
      { metric: "bench_cpu_share", value: Math.round(((benchCpu.user + benchCpu.system) / 1000 / (elapsedS * 1000)) * 100), unit: "% of one core used by this process (clients, sandbox) on the same machine" },
      { metric: "bytes_per_client", value: Math.round((rssAfter - rssBefore) / (SESSIONS * CLIENTS)), unit: "bytes (API RSS growth / connected client)" },
    ];
  } finally {
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child!.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    agent.destroy();
    await sandbox.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}
