import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { pilotPoolPeople } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { person } from "../booking/booking-stack";
import { http, seriesPerCircle, startCohortStack, type ApiInstance, type CohortStack } from "./cohort-booking-stack";

const Note = z.object({ code: z.string(), message: z.string() });
const BookingSchema = z.object({
  jobId: z.string(),
  status: z.enum(["running", "succeeded", "failed"]),
  progress: z.object({ done: z.number(), total: z.number() }),
  circles: z.array(z.object({ circleId: z.string(), jobId: z.string().nullable(), status: z.string() })),
  created: z.number().optional(),
  error: Note.optional(),
  note: Note.optional(),
});
type Booking = z.infer<typeof BookingSchema>;
const ProgramSchema = z.object({
  id: z.string(),
  enrolled: z.array(z.object({ id: z.string() })),
  draft: z.object({ circles: z.array(z.object({ members: z.array(z.object({ id: z.string(), upn: z.string() })) })) }).nullable(),
});

const owner = person("tomas.reyes");
/** 60 of the sandbox's 72-person pilot pool. */
const pool = pilotPoolPeople.slice(0, 60);

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

forEachEngine((engine) => {
  let stack: CohortStack;
  beforeAll(async () => {
    stack = await startCohortStack(engine.db);
  });
  afterAll(async () => {
    await stack?.close();
  });
  beforeEach(() => {
    stack.sandbox.sandbox.faults.reset();
  });

  async function asOwner(instance: ApiInstance) {
    return http(instance, await stack.token(owner));
  }

  async function booking(instance: ApiInstance, programId: string): Promise<Booking> {
    const res = await (await asOwner(instance)).get(`/api/programs/${programId}/booking`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return BookingSchema.parse(res.body);
  }

  /** Creates a program, enrols the 60, forms circles; returns the program and its draft circles' members. */
  async function formedProgram(instance: ApiInstance, purpose: string) {
    const api = await asOwner(instance);
    const created = await api.post("/api/programs", { purpose, durationWeeks: 12, formatIds: ["coaching-circle"], size: { min: 4, max: 6 } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const programId = ProgramSchema.parse(created.body).id;
    const enrolled = await api.post(`/api/programs/${programId}/enrolments`, { upns: pool.map((p) => p.userPrincipalName) });
    expect(enrolled.status, JSON.stringify(enrolled.body)).toBe(200);
    const formed = await api.post(`/api/programs/${programId}/circles/form`, {});
    expect(formed.status, JSON.stringify(formed.body)).toBe(200);
    const program = ProgramSchema.parse(formed.body);
    expect(program.enrolled).toHaveLength(60);
    const circles = program.draft!.circles.map((c) => c.members.map((m) => m.id).sort());
    expect(circles.length).toBeGreaterThan(5);
    return { programId, circles };
  }

  /**
   * Runs the instance's jobs (several at once) until `until` holds, moving the clock on whenever
   * nothing is due (backoffs, Retry-After, the cohort's follow-up checks). Polling as the owner
   * is what the owner's open app does. Returns every progress seen.
   */
  async function drive(instance: ApiInstance, programId: string, until: (b: Booking) => boolean): Promise<Booking[]> {
    const seen: Booking[] = [];
    for (let round = 0; round < 400; round++) {
      // The owner's app polls while the jobs run.
      let settled = false;
      const running = instance.runner.runDue().finally(() => {
        settled = true;
      });
      while (!settled) {
        seen.push(await booking(instance, programId));
        await new Promise((r) => setTimeout(r, 10));
      }
      const runs = await running;
      const now = await booking(instance, programId);
      seen.push(now);
      if (until(now)) return seen;
      if (runs === 0) stack.advance(2_000);
    }
    throw new Error(`The cohort did not get there: ${JSON.stringify(seen.at(-1))}`);
  }

  async function expectEachCircleBookedOnce(programId: string, purpose: string, draft: string[][], final: Booking) {
    expect(final).toMatchObject({ status: "succeeded", progress: { done: draft.length, total: draft.length } });
    // One circle per draft circle, with the draft's people (and the owner, who organises it).
    const circles = await engine.db.selectFrom("circles").select("id").where("organizer_id", "=", owner.id).where("purpose", "=", purpose).execute();
    expect(circles.map((c) => c.id).sort()).toEqual(final.circles.map((c) => c.circleId).sort());
    const members = await engine.db.selectFrom("circle_members").select(["circle_id", "user_id"]).where("circle_id", "in", circles.map((c) => c.id)).execute();
    const byCircle = final.circles.map((c) => members.filter((m) => m.circle_id === c.circleId && m.user_id !== owner.id).map((m) => m.user_id).sort());
    expect(byCircle.map((m) => m.join()).sort()).toEqual(draft.map((m) => m.join()).sort());
    // Counted at the sandbox: exactly one series per circle.
    stack.sandbox.sandbox.faults.reset();
    const series = await seriesPerCircle(stack.sandbox, owner);
    for (const c of final.circles) expect(series.get(c.circleId) ?? 0, `series of circle ${c.circleId}`).toBe(1);
    const program = await engine.db.selectFrom("programs").select("id").where("purpose", "=", purpose).execute();
    expect(program.map((p) => p.id)).toEqual([programId]);
  }

  it("forms a program of 60 and books the cohort as one job: 202 at once, then progress up to every circle booked once", async () => {
    const instance = stack.startInstance();
    const purpose = `Cohort pilot ${Date.now()}`;
    const { programId, circles } = await formedProgram(instance, purpose);
    const api = await asOwner(instance);

    const booked = await api.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(booked.status, JSON.stringify(booked.body)).toBe(202);
    const { jobId } = z.object({ jobId: z.string() }).parse(booked.body);
    // Nothing was created inside the request: the job does it.
    expect(await booking(instance, programId)).toMatchObject({ jobId, status: "running", progress: { done: 0, total: circles.length }, circles: [] });
    // A repeated click returns the same cohort.
    expect((await api.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) })).body).toEqual({ jobId });

    const seen = await drive(instance, programId, (b) => b.status !== "running");
    const done = seen.map((b) => b.progress.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(new Set(done).size).toBeGreaterThan(1);
    await expectEachCircleBookedOnce(programId, purpose, circles, seen.at(-1)!);

    const program = await api.get(`/api/programs/${programId}`);
    expect(program.body.booking.progress).toEqual({ done: circles.length, total: circles.length });
    const refused = await api.post(`/api/programs/${programId}/enrolments`, { upns: [pilotPoolPeople[70]!.userPrincipalName] });
    expect(refused.status).toBe(409);
  });

  it("survives a crash in the middle: a new instance on the same database resumes once the owner is back, losing and duplicating nothing", async () => {
    const first = stack.startInstance();
    const purpose = `Restart pilot ${Date.now()}`;
    const { programId, circles } = await formedProgram(first, purpose);
    const booked = await (await asOwner(first)).post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(booked.status).toBe(202);

    // Jobs run (several at once) until some circles are booked and others are still in flight.
    const running = first.runner.runDue().catch(() => 0);
    for (let i = 0; i < 2000; i++) {
      const rows = await engine.db.selectFrom("program_circles").leftJoin("jobs", "jobs.id", "program_circles.job_id").select("jobs.status").where("program_id", "=", programId).execute();
      if (rows.filter((r) => r.status === "succeeded").length >= 2) break;
      await new Promise((r) => setTimeout(r, 5));
    }
    first.crash();
    await running;
    await first.runner.stop();
    const atCrash = await engine.db.selectFrom("jobs").select(["status"]).where("locked_by", "is not", null).execute();
    expect(atCrash.length).toBeGreaterThan(0);

    // The restart: a new process, no sign-ins in memory. Its jobs wait for the owner once leases expire.
    const second = stack.startInstance();
    stack.advance(61_000);
    await second.runner.runDue();
    const waiting = await booking(second, programId);
    expect(waiting.status).toBe("running");
    expect(waiting.note?.message).toMatch(/sign-in/);
    expect(waiting.progress.done).toBeLessThan(circles.length);

    // The owner's app polls (drive does): everything finishes, once.
    const seen = await drive(second, programId, (b) => b.status !== "running");
    await expectEachCircleBookedOnce(programId, purpose, circles, seen.at(-1)!);
  });

  it("books every circle exactly once while Graph answers 10 % 429 (Retry-After) and 2 % 503", async () => {
    const instance = stack.startInstance();
    const purpose = `Faulty pilot ${Date.now()}`;
    const { programId, circles } = await formedProgram(instance, purpose);
    const faults = stack.sandbox.sandbox.faults;
    faults.add({ status: 429, retryAfterSeconds: 1, probability: 0.1 });
    faults.add({ status: 503, probability: 0.02 });
    const booked = await (await asOwner(instance)).post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(booked.status, JSON.stringify(booked.body)).toBe(202);
    const seen = await drive(instance, programId, (b) => b.status !== "running");
    expect(faults.list().reduce((n, r) => n + r.fired, 0)).toBeGreaterThan(0);
    await expectEachCircleBookedOnce(programId, purpose, circles, seen.at(-1)!);
  });

  it("says what to do when circles cannot be booked, and booking again books only what is missing", async () => {
    const instance = stack.startInstance();
    const purpose = `Outage pilot ${Date.now()}`;
    const { programId, circles } = await formedProgram(instance, purpose);
    // Exchange refuses every new series for a long while: the circles exist, their bookings give up.
    const outage = stack.sandbox.sandbox.faults.add({ match: { method: "POST", path: "/me/events" }, status: 503 });
    const api = await asOwner(instance);
    await api.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    const failed = (await drive(instance, programId, (b) => b.status !== "running")).at(-1)!;
    expect(failed.status).toBe("failed");
    expect(failed.created).toBe(circles.length);
    expect(failed.progress.done).toBe(0);
    expect(failed.error?.message).toMatch(/could not be booked.*Book the program again/);

    stack.sandbox.sandbox.faults.remove(outage);
    const again = await api.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(again.status).toBe(202);
    expect(again.body).toEqual({ jobId: failed.jobId });
    const seen = await drive(instance, programId, (b) => b.status !== "running");
    await expectEachCircleBookedOnce(programId, purpose, circles, seen.at(-1)!);
  });

  it("shows a cohort booking to the program's owner only", async () => {
    const instance = stack.startInstance();
    const { programId } = await formedProgram(instance, `Private pilot ${Date.now()}`);
    await (await asOwner(instance)).post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    const other = http(instance, await stack.token(pool[0]!));
    expect((await other.get(`/api/programs/${programId}/booking`)).status).toBe(404);
    expect((await other.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) })).status).toBe(404);
  });
});
