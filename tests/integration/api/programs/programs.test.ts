import { afterAll, beforeAll, beforeEach, expect, it } from "vitest";
import { z } from "zod";
import { createProgramsService } from "../../../../api/programs/service";
import { SANDBOX_TENANT_ID, seedPeople } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, startBookingStack, type BookingStack } from "../booking/booking-stack";

const PersonRef = z.object({ id: z.string(), upn: z.string(), displayName: z.string() });
const ProgramSchema = z.object({
  id: z.string(),
  enrolled: z.array(PersonRef),
  draft: z
    .object({
      circles: z.array(z.object({ members: z.array(PersonRef), explanation: z.object({ summary: z.string(), notes: z.array(z.string()) }) })),
      unplaced: z.array(z.object({ person: PersonRef, reason: z.object({ code: z.string(), message: z.string() }) })),
    })
    .nullable(),
  booking: z.object({ jobId: z.string(), status: z.string(), progress: z.object({ done: z.number(), total: z.number() }) }).nullable(),
});
const EnrolSchema = z.object({ enrolled: z.array(PersonRef), rejected: z.array(z.object({ upn: z.string(), reason: z.string() })), program: ProgramSchema });
const BookingSchema = z.object({
  jobId: z.string(),
  status: z.string(),
  progress: z.object({ done: z.number(), total: z.number() }),
  circles: z.array(z.object({ circleId: z.string(), jobId: z.string().nullable(), status: z.string() })),
});

const owner = person("tomas.reyes");
/** Three managers with reports among them (Megan→Alex, Lynne→Adele→Miriam/Henrietta, Irvin→Christie). */
const listed = ["megan.bowen", "alex.wilber", "diego.siciliani", "isaiah.langer", "johanna.lorenz", "lynne.robbins"].map(person);
const fromCsv = ["adele.vance", "miriam.graham", "henrietta.mueller", "irvin.sayers", "christie.cline", "enrico.cattaneo"].map(person);
const managerOf = new Map(seedPeople.map((p) => [p.id, p.managerId]));
const related = (a: string, b: string) => managerOf.get(a) === b || managerOf.get(b) === a;

function inDays(days: number): string {
  return new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
}

forEachEngine((engine) => {
  let stack: BookingStack;
  beforeAll(async () => {
    stack = await startBookingStack(engine.db);
  });
  afterAll(async () => {
    await stack?.sandbox.close();
  });
  beforeEach(() => {
    stack.sandbox.sandbox.faults.reset();
  });

  async function asOwner() {
    const token = await stack.token(owner);
    const http = api(stack);
    return { post: (path: string, body: unknown) => http.post(token, path, body), get: (path: string) => http.get(token, path) };
  }

  async function createProgram(purpose = "Leadership pilot"): Promise<string> {
    const res = await (await asOwner()).post("/api/programs", { purpose, durationWeeks: 12, formatIds: ["coaching-circle"], size: { min: 3, max: 4 } });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return ProgramSchema.parse(res.body).id;
  }

  async function enrolTwelve(programId: string) {
    const owner = await asOwner();
    const first = await owner.post(`/api/programs/${programId}/enrolments`, { upns: listed.map((p) => p.userPrincipalName) });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const csv = ["name,upn", ...fromCsv.map((p) => `"${p.surname}, ${p.givenName}",${p.userPrincipalName}`), "Nobody,nobody.known@contoso.example"].join("\n");
    const second = await owner.post(`/api/programs/${programId}/enrolments`, { csv });
    expect(second.status, JSON.stringify(second.body)).toBe(200);
    return { first: EnrolSchema.parse(first.body), second: EnrolSchema.parse(second.body) };
  }

  async function form(programId: string) {
    const res = await (await asOwner()).post(`/api/programs/${programId}/circles/form`, {});
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    return ProgramSchema.parse(res.body);
  }

  it("enrols people from a UPN list and a CSV, and lists an unknown UPN back as rejected without enrolling it", async () => {
    const programId = await createProgram();
    const { first, second } = await enrolTwelve(programId);
    expect(first.enrolled.map((p) => p.id).sort()).toEqual(listed.map((p) => p.id).sort());
    expect(first.rejected).toEqual([]);
    expect(second.enrolled.map((p) => p.id).sort()).toEqual(fromCsv.map((p) => p.id).sort());
    expect(second.rejected).toEqual([{ upn: "nobody.known@contoso.example", reason: expect.stringContaining("directory") }]);
    expect(second.program.enrolled).toHaveLength(12);
    expect(second.program.enrolled.some((p) => p.upn.startsWith("nobody"))).toBe(false);
  });

  it("refuses a CSV without a upn column and enrols nobody", async () => {
    const programId = await createProgram();
    const res = await (await asOwner()).post(`/api/programs/${programId}/enrolments`, { csv: "email\nmegan.bowen@contoso.example" });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toContain("upn");
    const program = ProgramSchema.parse((await (await asOwner()).get(`/api/programs/${programId}`)).body);
    expect(program.enrolled).toEqual([]);
  });

  it("forms circles of 3–4 with no manager and report together, each explained", async () => {
    const programId = await createProgram();
    await enrolTwelve(programId);
    const program = await form(programId);
    const draft = program.draft!;
    expect(draft.circles.length).toBeGreaterThan(0);
    for (const circle of draft.circles) {
      expect(circle.members.length).toBeGreaterThanOrEqual(3);
      expect(circle.members.length).toBeLessThanOrEqual(4);
      expect(circle.explanation.summary).not.toBe("");
      for (const a of circle.members) for (const b of circle.members) expect(related(a.id, b.id), `${a.upn} and ${b.upn}`).toBe(false);
    }
    const placed = draft.circles.flatMap((c) => c.members.map((m) => m.id));
    expect([...placed, ...draft.unplaced.map((u) => u.person.id)].sort()).toEqual([...listed, ...fromCsv].map((p) => p.id).sort());
  });

  it("refuses to move someone into their manager's circle, with a clear message, and keeps the draft", async () => {
    const programId = await createProgram();
    await enrolTwelve(programId);
    const before = await form(programId);
    const alex = person("alex.wilber");
    const megan = person("megan.bowen");
    const meganCircle = before.draft!.circles.findIndex((c) => c.members.some((m) => m.id === megan.id));
    expect(meganCircle).toBeGreaterThanOrEqual(0);
    const res = await (await asOwner()).post(`/api/programs/${programId}/circles/adjust`, { personId: alex.id, toCircle: meganCircle });
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/Alex Wilber cannot join circle \d+: their manager Megan Bowen is in it/);
    const after = ProgramSchema.parse((await (await asOwner()).get(`/api/programs/${programId}`)).body);
    expect(after.draft).toEqual(before.draft);
  });

  it("shows a program to its owner only", async () => {
    const programId = await createProgram();
    const other = await stack.token(person("megan.bowen"));
    for (const path of [`/api/programs/${programId}`, `/api/programs/${programId}/booking`]) {
      const res = await api(stack).get(other, path);
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe("not_found");
    }
    const enrol = await api(stack).post(other, `/api/programs/${programId}/enrolments`, { upns: ["alex.wilber@contoso.example"] });
    expect(enrol.status).toBe(404);
  });

  it("books the whole cohort as one job: every circle booked exactly once, progress from 0 to all", async () => {
    const programId = await createProgram();
    await enrolTwelve(programId);
    const program = await form(programId);
    const total = program.draft!.circles.length;
    const http = await asOwner();

    const booked = await http.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(booked.status, JSON.stringify(booked.body)).toBe(202);
    const { jobId } = z.object({ jobId: z.string() }).parse(booked.body);
    const queued = BookingSchema.parse((await http.get(`/api/programs/${programId}/booking`)).body);
    expect(queued).toMatchObject({ jobId, status: "running", progress: { done: 0, total } });

    // Booking again (a retried click) returns the same cohort and books nothing twice.
    const again = await http.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(again.body).toEqual({ jobId });

    for (let i = 0; i < 20 && (await stack.runner.runDue()) > 0; i++);

    const done = BookingSchema.parse((await http.get(`/api/programs/${programId}/booking`)).body);
    expect(done).toMatchObject({ jobId, status: "succeeded", progress: { done: total, total } });
    expect(new Set(done.circles.map((c) => c.circleId)).size).toBe(total);
    const viaProgram = ProgramSchema.parse((await http.get(`/api/programs/${programId}`)).body);
    expect(viaProgram.booking?.progress).toEqual({ done: total, total });

    const token = await stack.sandbox.sandbox.identity.graphToken(owner.userPrincipalName);
    const res = await fetch(`${stack.sandbox.url}/v1.0/me/events?$expand=extensions&$top=500`, { headers: { authorization: `Bearer ${token}` } });
    const events = z.object({ value: z.array(z.looseObject({ type: z.string(), extensions: z.array(z.looseObject({ circleId: z.string().optional() })).optional() })) }).parse(await res.json());
    const masters = events.value.filter((e) => e.type === "seriesMaster");
    for (const circle of done.circles) {
      expect(masters.filter((e) => e.extensions?.some((x) => x.circleId === circle.circleId))).toHaveLength(1);
    }

    const refused = await http.post(`/api/programs/${programId}/enrolments`, { upns: ["kwame.mensah@contoso.example"] });
    expect(refused.status).toBe(409);
  });

  it("resumes a cohort booking that failed part-way without creating a circle or a series twice", async () => {
    const purpose = `Resume pilot ${Date.now()}`;
    const programId = await createProgram(purpose);
    await enrolTwelve(programId);
    const total = (await form(programId)).draft!.circles.length;
    expect(total).toBeGreaterThan(1);

    // Graph answers 503 to the second circle's mailbox lookup (and its one retry): the first circle exists by then.
    let mailboxCalls = 0;
    const flaky: typeof fetch = async (input, init) => {
      const url = input instanceof Request ? input.url : String(input);
      if (url.includes("/me/mailboxSettings")) {
        mailboxCalls += 1;
        if (mailboxCalls === 2 || mailboxCalls === 3) return new Response(JSON.stringify({ error: { code: "ServiceUnavailable", message: "down" } }), { status: 503, headers: { "content-type": "application/json" } });
      }
      return fetch(input, init);
    };
    const service = createProgramsService({ db: engine.db, graph: stack.makeGraph(flaky), clock: () => new Date(), booking: stack.booking.service });
    const caller = { tenantId: SANDBOX_TENANT_ID, userId: owner.id, userPrincipalName: owner.userPrincipalName, displayName: owner.displayName, assertion: await stack.token(owner) };
    await expect(service.bookProgram(caller, programId, { startOn: inDays(7) })).rejects.toThrow();

    const http = await asOwner();
    const partial = BookingSchema.parse((await http.get(`/api/programs/${programId}/booking`)).body);
    expect(partial.progress).toEqual({ done: 0, total });
    expect(partial.circles).toHaveLength(1);

    const resumed = await http.post(`/api/programs/${programId}/booking`, { startOn: inDays(7) });
    expect(resumed.status, JSON.stringify(resumed.body)).toBe(202);
    expect(resumed.body).toEqual({ jobId: partial.jobId });
    for (let i = 0; i < 20 && (await stack.runner.runDue()) > 0; i++);

    const done = BookingSchema.parse((await http.get(`/api/programs/${programId}/booking`)).body);
    expect(done).toMatchObject({ status: "succeeded", progress: { done: total, total } });
    const circles = await engine.db.selectFrom("circles").select("id").where("organizer_id", "=", owner.id).where("purpose", "=", purpose).execute();
    expect(circles.map((c) => c.id).sort()).toEqual(done.circles.map((c) => c.circleId).sort());
  });
});
