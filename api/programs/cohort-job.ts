import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import type { CallerCredentials } from "../booking/credentials";
import type { BookingService } from "../booking/service";
import { createCircle } from "../circles/service";
import type { GraphFactory } from "../graph";
import type { JobContinuation, JobHandler, JobRunContext } from "../jobs";
import { AppError, isAppError } from "../shared/errors";
import type { Logger } from "../shared/logger";
import type { Db } from "../storage";
import { findProgram, findUnrecordedCircle, insertProgramCircle, listEnrolments, listProgramCircleJobs, listProgramCircles, setProgramCircleJob, type ProgramCircleJobRow, type ProgramRow } from "./repository";
import { DraftSchema, type Draft } from "./schemas-http";

export const COHORT_JOB_TYPE = "book-cohort";

export const COHORT_STEPS = [
  { name: "create", label: "Create every circle and queue its booking" },
  { name: "follow", label: "Wait until every circle's meetings are booked" },
] as const;

export const CohortPayloadSchema = z.object({
  programId: z.string().min(1),
  tenantId: z.string().min(1),
  ownerId: z.string().min(1),
  /** First day sessions may start (YYYY-MM-DD). */
  startOn: z.iso.date(),
});
export type CohortPayload = z.infer<typeof CohortPayloadSchema>;

/** A booking job failed only because the organiser's sign-in was not there (see book-series-job). */
export const OWNER_SIGNED_OUT = "organizer_signed_out";

const SESSION_MINUTES = 60;
/** Circle bookings still running below which the cohort job looks again after FOLLOW_SOON_MS. */
const FEW_LEFT = 16;
const FOLLOW_SOON_MS = 250;
const DAY_MS = 86_400_000;
const UTC_DAYS = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"] as const;
const FormatIdsSchema = z.array(z.string());
const JobErrorSchema = z.object({ code: z.string(), message: z.string() });

export function readDraft(row: ProgramRow): Draft | undefined {
  return row.draft === null ? undefined : DraftSchema.parse(JSON.parse(row.draft));
}

export function readJobError(text: string | null): { code: string; message: string } | undefined {
  if (!text) return undefined;
  try {
    const parsed = JobErrorSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** The name a program's circle gets: stable per position, so a resumed job can recognise it. */
export function programCircleName(row: ProgramRow, position: number): string {
  const title = row.purpose.length > 60 ? `${row.purpose.slice(0, 59)}…` : row.purpose;
  return `${title} · circle ${position + 1}`;
}

/** The first date on or after `fromDate` whose UTC weekday is one of `days`, at `clock` UTC. */
export function firstStart(fromDate: string, days: readonly string[], clock: string): string {
  let ms = Date.parse(`${fromDate}T00:00:00Z`);
  for (let i = 0; i < 7 && !days.includes(UTC_DAYS[new Date(ms).getUTCDay()]!); i++) ms += DAY_MS;
  return `${new Date(ms).toISOString().slice(0, 10)}T${clock}:00Z`;
}

export interface CohortJobDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  booking: BookingService;
  /** The owner's latest sign-in (memory only): the job creates and books as the owner. */
  credentials: CallerCredentials;
  logger?: Logger;
  /**
   * Circles created at once (default 16). Each costs 2 Graph requests (one in the owner's
   * mailbox) plus any Retry-After waits, so a few lanes leave the mailbox idle; the mailbox
   * limiter, not this number, keeps the owner's mailbox within Outlook's 4.
   */
  parallel?: number;
  /** How often the job looks at its circles' booking jobs while they run (default 2 s). */
  followEveryMs?: number;
  /** How long it waits before looking for the owner's sign-in again (default 15 s). */
  ownerWaitMs?: number;
}

const waitingForOwner = (ms: number): JobContinuation => ({
  continueAfterMs: ms,
  note: { code: OWNER_SIGNED_OUT, message: "Waiting for the program owner to open Coaching Circles again: their sign-in is needed to create and book the circles. Open the program to continue." },
});

/**
 * The cohort booking (issue #5 part 5): one durable job per program that creates every draft
 * circle (the owner organises each) and queues its booking job, then follows those jobs until
 * every circle is booked. It survives restarts like any job (lease, recorded steps): created
 * circles are recorded per draft position (program_circles) and bookSeries is idempotent per
 * circle, so a resumed run skips what exists; a circle created just before a crash, before it
 * was recorded, is recognised by its name (findUnrecordedCircle) instead of created again.
 *
 * It acts for the owner with their in-memory sign-in (CallerCredentials). After a restart there
 * is none until the owner's app polls the program again: the job then waits without failing
 * (a JobContinuation, not counted as an attempt), and booking jobs that gave up waiting for the
 * organiser are queued again once the owner is back.
 */
export function createCohortJobHandler(deps: CohortJobDeps): JobHandler<CohortPayload> {
  const parallel = deps.parallel ?? 16;
  const followEveryMs = deps.followEveryMs ?? 2_000;
  const ownerWaitMs = deps.ownerWaitMs ?? 15_000;
  const owner = (p: CohortPayload): CallerIdentity | undefined => deps.credentials.find(p.tenantId, p.ownerId);

  async function createAndQueue(ctx: JobRunContext<CohortPayload>, caller: CallerIdentity, program: ProgramRow, draft: Draft): Promise<void> {
    const p = ctx.payload;
    const formatIds = FormatIdsSchema.parse(JSON.parse(program.format_ids));
    const upns = new Map((await listEnrolments(deps.db, program.id)).map((e) => [e.user_id, e.upn]));
    const recorded = new Map((await listProgramCircles(deps.db, program.id)).map((c) => [c.position, c]));
    const todo = draft.circles.map((_, position) => position).filter((position) => !recorded.get(position)?.job_id);
    const circlesDeps = { db: deps.db, graph: deps.graph, clock: deps.clock };

    const one = async (position: number): Promise<void> => {
      const circle = draft.circles[position]!;
      let entry = recorded.get(position);
      if (!entry) {
        const name = programCircleName(program, position);
        await ctx.holdLease();
        let circleId = await findUnrecordedCircle(deps.db, { tenantId: p.tenantId, ownerId: p.ownerId, name, purpose: program.purpose, since: program.created_at });
        if (!circleId) {
          try {
            const detail = await createCircle(circlesDeps, caller, {
              name,
              purpose: program.purpose,
              members: circle.memberIds.map((id) => upns.get(id) ?? id),
              formatId: formatIds[position % formatIds.length]!,
              cadence: "biweekly",
              sessionMinutes: SESSION_MINUTES,
              sessionCount: Math.max(1, Math.ceil(program.duration_weeks / 2)),
              rotateRoles: true,
            });
            circleId = detail.id;
          } catch (err) {
            throw explain(err, `Circle ${position + 1} could not be created`);
          }
        }
        entry = { program_id: program.id, position, circle_id: circleId, job_id: null, created_at: deps.clock().toISOString() };
        if (!(await insertProgramCircle(deps.db, entry))) {
          // Recorded meanwhile by a worker that took the job over: its circle is the one.
          entry = (await listProgramCircles(deps.db, program.id)).find((c) => c.position === position)!;
        }
      }
      const { startUtc, daysUtc } = circle.explanation.sharedHours;
      let jobId: string;
      try {
        jobId = await deps.booking.bookSeries(caller, entry.circle_id, { start: firstStart(p.startOn, daysUtc, startUtc), timeZone: "UTC" });
      } catch (err) {
        throw explain(err, `Circle ${position + 1}'s booking could not be queued`);
      }
      await setProgramCircleJob(deps.db, program.id, position, jobId);
    };

    // A few circles at once; the first failure stops the others from starting more (they finish
    // the circle in hand), then fails the run.
    let next = 0;
    let failure: { err: unknown } | undefined;
    const lane = async () => {
      while (!failure && next < todo.length) {
        const position = todo[next++]!;
        try {
          await one(position);
        } catch (err) {
          failure ??= { err };
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(parallel, Math.max(1, todo.length)) }, lane));
    if (failure) throw failure.err;
  }

  /** Follows the booking jobs: undefined when every circle is booked, else when to look again. */
  async function follow(ctx: JobRunContext<CohortPayload>, total: number): Promise<JobContinuation | undefined> {
    const p = ctx.payload;
    const rows = await listProgramCircleJobs(deps.db, p.programId);
    const active = rows.filter((r) => r.job_status === "queued" || r.job_status === "running").length;
    // The last few bookings finish within moments: look again soon, so the program shows booked
    // when it is, not up to `followEveryMs` later.
    if (active > 0) return { continueAfterMs: active <= FEW_LEFT ? Math.min(followEveryMs, FOLLOW_SOON_MS) : followEveryMs };
    const failed = rows.filter((r) => r.job_status !== "succeeded");
    if (failed.length === 0 && rows.length === total) return undefined;

    // Gave up waiting for the owner's sign-in: queue those again once the owner is back.
    const waiting = failed.filter((r) => readJobError(r.job_error)?.code === OWNER_SIGNED_OUT);
    if (waiting.length > 0) {
      const caller = owner(p);
      if (!caller) return waitingForOwner(ownerWaitMs);
      for (const r of waiting) await requeue(caller, r);
      return { continueAfterMs: followEveryMs };
    }
    const first = failed[0];
    const reason = first ? (readJobError(first.job_error)?.message ?? "the booking stopped.") : `only ${rows.length} of ${total} circles exist.`;
    throw new AppError(
      "graph_error",
      `${failed.length} of ${total} circles could not be booked (circle ${(first?.position ?? 0) + 1}: ${reason}) Book the program again to retry them: circles that are booked stay as they are and nothing is booked twice.`,
    );
  }

  /** bookSeries queues a failed job again (resuming at its failed step), never a second series. */
  async function requeue(caller: CallerIdentity, row: ProgramCircleJobRow): Promise<void> {
    // The start is not used for a circle that has a booking (its job keeps its own payload).
    await deps.booking.bookSeries(caller, row.circle_id, { start: new Date(deps.clock().getTime() + DAY_MS).toISOString(), timeZone: "UTC" });
  }

  return {
    type: COHORT_JOB_TYPE,
    payloadSchema: CohortPayloadSchema,
    steps: COHORT_STEPS,
    async run(ctx) {
      const p = ctx.payload;
      const program = await findProgram(deps.db, p.programId);
      if (!program || program.tenant_id !== p.tenantId || program.owner_id !== p.ownerId) throw new AppError("not_found", "The program no longer exists.");
      const draft = readDraft(program);
      if (!draft || draft.circles.length === 0) throw new AppError("conflict", "The program has no formed circles to book.");

      if (ctx.step("create").status !== "done") {
        const caller = owner(p);
        if (!caller) return waitingForOwner(ownerWaitMs);
        await ctx.begin("create");
        await createAndQueue(ctx, caller, program, draft);
        await ctx.done("create", { circles: draft.circles.length });
      }
      if (ctx.step("follow").status === "pending") await ctx.begin("follow");
      const later = await follow(ctx, draft.circles.length);
      if (later) return later;
      await ctx.done("follow");
    },
  };
}

/** Says which circle failed, keeping the error's code (so transient ones are still retried). */
function explain(err: unknown, what: string): unknown {
  if (isAppError(err) && !["graph_throttled", "graph_unavailable", "service_unavailable"].includes(err.code)) {
    return new AppError(err.code, `${what}: ${err.message} Book the program again to retry: circles that exist stay as they are.`, { cause: err });
  }
  return err;
}
