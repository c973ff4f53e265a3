import { randomUUID } from "node:crypto";
import { z } from "zod";
import type { CallerIdentity } from "../auth/identity";
import type { CallerCredentials } from "../booking/credentials";
import type { BookingService } from "../booking/service";
import { findUsableFormat } from "../circles/formats/service";
import type { SeriesPort } from "../circles/ports";
import { getSchedules, readBatchItemOrThrow, type BatchRequest, type GraphFactory } from "../graph";
import { findJob, insertJob } from "../jobs";
import { resolvePeople } from "../people/service";
import { badRequest, conflict, notFound } from "../shared/errors";
import type { Db } from "../storage";
import { COHORT_JOB_TYPE, COHORT_STEPS, OWNER_SIGNED_OUT, readDraft, readJobError, type CohortPayload } from "./cohort-job";
import { formCircles } from "./form-circles";
import {
  claimCohortJob,
  findOwnedProgram,
  insertEnrolments,
  insertProgram,
  listEnrolments,
  listProgramCircleJobs,
  updateProgram,
  type EnrolmentRow,
  type ProgramRow,
} from "./repository";
import type { PoolMember } from "./schemas";
import {
  ProgramSizeSchema,
  type AdjustProgramBody,
  type BookProgramBody,
  type CohortBooking,
  type CreateProgramBody,
  type Draft,
  type EnrolBody,
  type EnrolResult,
  type FormProgramBody,
  type ProgramSize,
  type ProgramView,
} from "./schemas-http";

export interface ProgramsDeps {
  db: Db;
  graph: GraphFactory;
  clock: () => Date;
  booking: BookingService;
  series?: SeriesPort;
  /** The owner's sign-in, remembered for the cohort job (it acts for them). */
  credentials: CallerCredentials;
  /** Called after the cohort job is queued or queued again (the runner looks at once). */
  onEnqueued?: () => void;
}

/** Most people one enrolment request may name (a CSV of a whole pilot fits). */
export const MAX_ENROL_PER_REQUEST = 2000;
/**
 * The circles module counts the organiser in a circle's 2–8 people and the program owner
 * organises every circle, so a formed circle holds at most 7 participants.
 */
const MAX_PARTICIPANTS = 7;
const UPN_PATTERN = /^[^\s@]+@[^\s@]+$/;
const DAY_MS = 86_400_000;

const FormatIdsSchema = z.array(z.string());
const DirectoryUserSchema = z.object({
  id: z.string().min(1),
  department: z.string().nullish(),
  jobTitle: z.string().nullish(),
  employeeHireDate: z.string().nullish(),
});
const ManagerSchema = z.object({ id: z.string().min(1) });

type PersonRef = { id: string; upn: string; displayName: string };

function refOf(row: EnrolmentRow): PersonRef {
  return { id: row.user_id, upn: row.upn, displayName: row.display_name };
}

function readSize(row: ProgramRow): ProgramSize {
  return ProgramSizeSchema.parse(JSON.parse(row.size));
}


/** A minimal CSV reader: a header row naming a `upn` column, comma-separated, "quoted" cells. @throws AppError bad_request */
export function upnsFromCsv(csv: string): string[] {
  const lines = csv.split(/\r?\n/).filter((l) => l.trim() !== "");
  const cells = (line: string): string[] => {
    const out: string[] = [];
    let cell = "";
    let quoted = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i]!;
      if (quoted) {
        if (ch === '"' && line[i + 1] === '"') {
          cell += '"';
          i++;
        } else if (ch === '"') quoted = false;
        else cell += ch;
      } else if (ch === '"') quoted = true;
      else if (ch === ",") {
        out.push(cell.trim());
        cell = "";
      } else cell += ch;
    }
    out.push(cell.trim());
    return out;
  };
  const header = cells(lines[0] ?? "").map((h) => h.toLowerCase());
  const column = header.indexOf("upn");
  if (column < 0) throw badRequest('Invalid request: csv: the first row must be a header with a "upn" column.');
  return lines
    .slice(1)
    .map((l) => cells(l)[column] ?? "")
    .filter((u) => u !== "");
}

/**
 * Programs (issue #5 part 5): an owner enrols a pool, forms circles as a draft, adjusts it and
 * books the whole cohort. Only the owner sees a program: everyone else gets not_found.
 */
export function createProgramsService(deps: ProgramsDeps) {
  async function ownedOrThrow(caller: CallerIdentity, programId: string): Promise<ProgramRow> {
    const row = await findOwnedProgram(deps.db, caller.tenantId, caller.userId, programId);
    if (!row) throw notFound("The program");
    // The owner's app polls the program while its cohort books: the job acts with this sign-in.
    deps.credentials.remember(caller);
    return row;
  }

  function notBooked(row: ProgramRow): void {
    if (row.cohort_job_id) throw conflict("The program's circles are already booked; its pool and circles can no longer change.");
  }

  /**
   * Progress of the cohort: booked circles over draft circles, read in two queries however big
   * the cohort. The status is the cohort job's (a program booked before the cohort job existed
   * has none: its status comes from its circles).
   */
  async function cohortBooking(row: ProgramRow, draft: Draft | undefined): Promise<CohortBooking | null> {
    if (!row.cohort_job_id) return null;
    const [rows, job] = await Promise.all([listProgramCircleJobs(deps.db, row.id), findJob(deps.db, row.cohort_job_id)]);
    const circles: CohortBooking["circles"] = rows.map((c) => ({
      circleId: c.circle_id,
      jobId: c.job_id,
      status: !c.job_status ? "queued" : c.job_status === "queued" || c.job_status === "running" || c.job_status === "succeeded" ? c.job_status : "failed",
    }));
    const total = draft?.circles.length ?? rows.length;
    const done = circles.filter((c) => c.status === "succeeded").length;
    const jobError = readJobError(job?.error ?? null);
    let status: CohortBooking["status"];
    if (!job) status = done === total ? "succeeded" : circles.some((c) => c.status === "failed") ? "failed" : "running";
    else status = job.status === "succeeded" ? "succeeded" : job.status === "failed" ? "failed" : "running";
    const waitingForOwner = rows.some((c) => c.job_status !== "succeeded" && readJobError(c.job_error)?.code === OWNER_SIGNED_OUT);
    return {
      jobId: row.cohort_job_id,
      status,
      progress: { done, total },
      circles,
      created: rows.length,
      ...(status === "failed" ? { error: jobError ?? { code: "internal", message: "The cohort booking stopped. Book the program again to retry." } } : {}),
      ...(status === "running" && jobError ? { note: jobError } : {}),
      ...(status === "running" && !jobError && waitingForOwner ? { note: { code: OWNER_SIGNED_OUT, message: "Some circles wait for your sign-in to book; keep the program open." } } : {}),
    };
  }

  async function queueCohortJob(jobId: string, payload: CohortPayload, now: Date): Promise<void> {
    try {
      await insertJob(deps.db, { id: jobId, type: COHORT_JOB_TYPE, payload, steps: COHORT_STEPS, now });
    } catch (err) {
      // Two retries raced to queue the same claimed job: one insert is enough.
      if (!(await findJob(deps.db, jobId))) throw err;
    }
    deps.onEnqueued?.();
  }

  async function view(row: ProgramRow): Promise<ProgramView> {
    const enrolments = await listEnrolments(deps.db, row.id);
    const byId = new Map(enrolments.map((e) => [e.user_id, refOf(e)]));
    const ref = (id: string): PersonRef => byId.get(id) ?? { id, upn: id, displayName: id };
    const draft = readDraft(row);
    return {
      id: row.id,
      ownerId: row.owner_id,
      purpose: row.purpose,
      durationWeeks: row.duration_weeks,
      formatIds: FormatIdsSchema.parse(JSON.parse(row.format_ids)),
      size: readSize(row),
      enrolled: enrolments.map(refOf),
      draft: draft
        ? {
            circles: draft.circles.map((c) => ({ members: c.memberIds.map(ref), explanation: c.explanation })),
            unplaced: draft.unplaced.map((u) => ({ person: ref(u.id), reason: u.reason })),
          }
        : null,
      booking: await cohortBooking(row, draft),
      createdAt: row.created_at,
    };
  }

  return {
    /** @throws AppError bad_request for a format the owner cannot use. */
    async createProgram(caller: CallerIdentity, body: CreateProgramBody): Promise<ProgramView> {
      for (const formatId of body.formatIds) {
        if (!(await findUsableFormat({ db: deps.db }, caller, formatId))) throw badRequest(`Invalid request: formatIds: there is no format "${formatId}" (use a built-in format or one of your copies).`);
      }
      if (body.size !== "pairs" && body.size.min > MAX_PARTICIPANTS) {
        throw badRequest(`Invalid request: size: you organise every circle yourself, so a circle holds at most ${MAX_PARTICIPANTS} enrolled people besides you.`);
      }
      const now = deps.clock().toISOString();
      const id = randomUUID();
      await insertProgram(deps.db, {
        id,
        tenant_id: caller.tenantId,
        owner_id: caller.userId,
        purpose: body.purpose,
        duration_weeks: body.durationWeeks,
        format_ids: JSON.stringify([...new Set(body.formatIds)]),
        size: JSON.stringify(body.size),
        draft: null,
        created_at: now,
        updated_at: now,
      });
      return view(await ownedOrThrow(caller, id));
    },

    /** @throws AppError not_found (not the owner). */
    async getProgram(caller: CallerIdentity, programId: string): Promise<ProgramView> {
      return view(await ownedOrThrow(caller, programId));
    },

    /** @throws AppError not_found (not the owner). */
    async getCohortBooking(caller: CallerIdentity, programId: string): Promise<CohortBooking> {
      const row = await ownedOrThrow(caller, programId);
      const booking = await cohortBooking(row, readDraft(row));
      if (!booking) throw notFound("The program's booking");
      return booking;
    },

    /**
     * Enrols people found in the directory (one $batch of lookups); the others are listed back as
     * rejected and nothing is stored for them. New people make an earlier draft stale: it is dropped.
     * @throws AppError not_found, conflict (already booked), bad_request (CSV without a upn column, too many rows).
     */
    async enrolPeople(caller: CallerIdentity, programId: string, body: EnrolBody): Promise<EnrolResult> {
      const row = await ownedOrThrow(caller, programId);
      notBooked(row);
      const listed = "upns" in body ? body.upns : upnsFromCsv(body.csv);
      if (listed.length === 0) throw badRequest("Invalid request: name at least one person to enrol.");
      if (listed.length > MAX_ENROL_PER_REQUEST) throw badRequest(`Invalid request: at most ${MAX_ENROL_PER_REQUEST} people per request (got ${listed.length}).`);
      const rejected: EnrolResult["rejected"] = [];
      const valid: string[] = [];
      for (const upn of listed) {
        if (UPN_PATTERN.test(upn) && upn.length <= 254) valid.push(upn);
        else rejected.push({ upn, reason: "This is not a user principal name (like megan.bowen@contoso.example)." });
      }
      const people = await resolvePeople(deps.graph.forUser(caller), valid);
      for (const upn of people.unknown) rejected.push({ upn, reason: "Not in your organisation's directory." });
      const before = new Set((await listEnrolments(deps.db, programId)).map((e) => e.user_id));
      const now = deps.clock().toISOString();
      const fresh = new Map<string, PersonRef>();
      for (const user of people.found.values()) {
        if (!before.has(user.id)) fresh.set(user.id, { id: user.id, upn: user.userPrincipalName, displayName: user.displayName || user.userPrincipalName });
      }
      await insertEnrolments(
        deps.db,
        [...fresh.values()].map((p) => ({ program_id: programId, user_id: p.id, upn: p.upn, display_name: p.displayName, enrolled_at: now })),
      );
      if (fresh.size > 0 && row.draft !== null) await updateProgram(deps.db, programId, { draft: null, updated_at: now });
      return { enrolled: [...fresh.values()], rejected, program: await view(await ownedOrThrow(caller, programId)) };
    },

    /**
     * Reads every enrolled person's department, job title (as level), hire date, manager
     * (one $batch) and working hours (getSchedule), forms circles and stores them as the draft.
     * @throws AppError not_found, conflict (already booked), bad_request (fewer than 2 enrolled); GraphRequestError.
     */
    async formProgramCircles(caller: CallerIdentity, programId: string, body: FormProgramBody): Promise<ProgramView> {
      const row = await ownedOrThrow(caller, programId);
      notBooked(row);
      const enrolments = await listEnrolments(deps.db, programId);
      if (enrolments.length < 2) throw badRequest("Enrol at least two people before forming circles.");
      const graph = deps.graph.forUser(caller);
      const requests: BatchRequest[] = enrolments.flatMap((e, i) => [
        { id: `u${i}`, method: "GET" as const, url: `/users/${encodeURIComponent(e.user_id)}?$select=id,department,jobTitle,employeeHireDate` },
        { id: `m${i}`, method: "GET" as const, url: `/users/${encodeURIComponent(e.user_id)}/manager?$select=id` },
      ]);
      const now = deps.clock();
      const [results, schedules] = await Promise.all([
        graph.batch(requests),
        getSchedules(graph, { schedules: enrolments.map((e) => e.upn), start: now.getTime(), end: now.getTime() + DAY_MS }),
      ]);
      const byId = new Map(results.map((r) => [r.id, r]));
      const hoursByUpn = new Map(schedules.map((s) => [s.scheduleId.toLowerCase(), s.workingHours]));
      const pool: PoolMember[] = [];
      const managers: Record<string, string> = {};
      const unplaced: Draft["unplaced"] = [];
      enrolments.forEach((e, i) => {
        const user = readBatchItemOrThrow(byId.get(`u${i}`)!, DirectoryUserSchema, "GET /users/{id}");
        const managerResult = byId.get(`m${i}`)!;
        // 404: the person has no manager in the directory.
        const managerId = managerResult.status === 404 ? null : readBatchItemOrThrow(managerResult, ManagerSchema, "GET /users/{id}/manager").id;
        if (managerId) managers[e.user_id] = managerId;
        const hours = hoursByUpn.get(e.upn.toLowerCase());
        if (!hours) {
          unplaced.push({ id: e.user_id, reason: { code: "noWorkingHours", message: "Their working hours could not be read from their calendar; ask them to set them in Outlook." } });
          return;
        }
        const hired = user.employeeHireDate ? Date.parse(user.employeeHireDate) : NaN;
        pool.push({
          id: e.user_id,
          timeZone: hours.timeZone,
          department: user.department ?? null,
          // Graph has no level: the job title stands in (compared for equality only).
          level: user.jobTitle ?? null,
          managerId,
          ...(Number.isFinite(hired) ? { tenureMonths: Math.max(0, (now.getTime() - hired) / (30.44 * DAY_MS)) } : {}),
          workingHours: { daysOfWeek: hours.daysOfWeek, startTime: hours.startTime.slice(0, 5), endTime: hours.endTime.slice(0, 5) },
        });
      });
      const size = readSize(row);
      const formed = formCircles(pool, {
        seed: body.seed ?? row.id,
        size: size === "pairs" ? "pairs" : { min: size.min, max: Math.min(size.max, MAX_PARTICIPANTS) },
        ...(body.grouping ? { grouping: body.grouping } : {}),
        startsOn: body.startsOn ?? now.toISOString().slice(0, 10),
      });
      const draft: Draft = { circles: formed.circles, unplaced: [...formed.unplaced, ...unplaced], managers };
      await updateProgram(deps.db, programId, { draft: JSON.stringify(draft), updated_at: now.toISOString() });
      return view(await ownedOrThrow(caller, programId));
    },

    /**
     * Moves one person (from a draft circle or the unplaced list) into another draft circle.
     * @throws AppError bad_request when the move would put a manager and their report together,
     *   or break the size bounds; conflict (no draft / already booked); not_found.
     */
    async adjustProgramCircles(caller: CallerIdentity, programId: string, body: AdjustProgramBody): Promise<ProgramView> {
      const row = await ownedOrThrow(caller, programId);
      notBooked(row);
      const draft = readDraft(row);
      if (!draft) throw conflict("Form the program's circles before adjusting them.");
      const target = draft.circles[body.toCircle];
      if (!target) throw badRequest(`Invalid request: toCircle: there is no circle ${body.toCircle} (the draft has ${draft.circles.length}).`);
      const from = draft.circles.findIndex((c) => c.memberIds.includes(body.personId));
      const unplacedAt = draft.unplaced.findIndex((u) => u.id === body.personId);
      if (from < 0 && unplacedAt < 0) throw badRequest("Invalid request: personId: that person is not in this program's draft.");
      if (from === body.toCircle) return view(row);

      const names = new Map((await listEnrolments(deps.db, programId)).map((e) => [e.user_id, e.display_name]));
      const name = (id: string) => names.get(id) ?? "This person";
      for (const other of target.memberIds) {
        const relation = draft.managers[body.personId] === other ? "manager" : draft.managers[other] === body.personId ? "direct report" : undefined;
        if (relation) {
          throw badRequest(`${name(body.personId)} cannot join circle ${body.toCircle + 1}: their ${relation} ${name(other)} is in it, and circles never put a manager and their report together.`);
        }
      }
      const size = readSize(row);
      const [min, max] = size === "pairs" ? [2, 2] : [size.min, Math.min(size.max, MAX_PARTICIPANTS)];
      if (target.memberIds.length + 1 > max) throw badRequest(`Circle ${body.toCircle + 1} is full (${max} people at most); move someone out of it first.`);
      const source = from >= 0 ? draft.circles[from]! : undefined;
      if (source && source.memberIds.length - 1 < min) throw badRequest(`Circle ${from + 1} would have fewer than ${min} people; move someone into it first.`);

      const note = "Adjusted by the program owner.";
      if (source) {
        source.memberIds = source.memberIds.filter((id) => id !== body.personId);
        if (!source.explanation.notes.includes(note)) source.explanation.notes.push(note);
      } else {
        draft.unplaced.splice(unplacedAt, 1);
      }
      target.memberIds.push(body.personId);
      if (!target.explanation.notes.includes(note)) target.explanation.notes.push(note);
      await updateProgram(deps.db, programId, { draft: JSON.stringify(draft), updated_at: deps.clock().toISOString() });
      return view(await ownedOrThrow(caller, programId));
    },

    /**
     * Queues the cohort booking job (see cohort-job.ts) and returns its id at once: the job
     * creates every draft circle (the owner organises each) and books it at the circle's shared
     * working time, on the first matching day from `startOn`; getCohortBooking shows progress.
     * Calling again returns the same job; after a failure it queues the job again, together with
     * the circles' failed bookings, and never creates a circle or a series twice.
     * @throws AppError not_found, conflict (nothing formed), bad_request (startOn not in the future).
     */
    async bookProgram(caller: CallerIdentity, programId: string, body: BookProgramBody): Promise<string> {
      const row = await ownedOrThrow(caller, programId);
      const draft = readDraft(row);
      if (!draft || draft.circles.length === 0) throw conflict("Form the program's circles before booking them.");
      const now = deps.clock();
      const payload: CohortPayload = { programId, tenantId: caller.tenantId, ownerId: caller.userId, startOn: body.startOn };
      if (!row.cohort_job_id) {
        if (body.startOn <= now.toISOString().slice(0, 10)) throw badRequest("Invalid request: startOn: the first day must be in the future.");
        const jobId = randomUUID();
        if (!(await claimCohortJob(deps.db, programId, jobId, now.toISOString()))) return (await ownedOrThrow(caller, programId)).cohort_job_id!;
        await queueCohortJob(jobId, payload, now);
        return jobId;
      }
      const jobId = row.cohort_job_id;
      const job = await findJob(deps.db, jobId);
      // Claimed by a process that died before queuing it, or booked before cohort jobs existed.
      if (!job) await queueCohortJob(jobId, payload, now);
      else if (job.status === "failed") {
        // The owner retries: failed circle bookings resume at their failed step, then the cohort.
        for (const c of await listProgramCircleJobs(deps.db, programId)) {
          if (c.job_status === "failed") await deps.booking.bookSeries(caller, c.circle_id, { start: new Date(now.getTime() + DAY_MS).toISOString(), timeZone: "UTC" });
        }
        const at = now.toISOString();
        await deps.db.updateTable("jobs").set({ status: "queued", run_after: at, error: null, attempts: 0, updated_at: at }).where("id", "=", jobId).where("status", "=", "failed").execute();
        deps.onEnqueued?.();
      }
      return jobId;
    },
  };
}

export type ProgramsService = ReturnType<typeof createProgramsService>;
