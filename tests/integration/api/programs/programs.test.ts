import { expect, it } from "vitest";
import { z } from "zod";
import { seedPeople } from "../../../../sandbox/seed/people";
import { forEachEngine } from "../../../fixtures/engines";
import { api, person, type BookingStack, useBookingStack } from "../booking/booking-stack";

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

const owner = person("tomas.reyes");
/** Three managers with reports among them (Megan→Alex, Lynne→Adele→Miriam/Henrietta, Irvin→Christie). */
const listed = ["megan.bowen", "alex.wilber", "diego.siciliani", "isaiah.langer", "johanna.lorenz", "lynne.robbins"].map(person);
const fromCsv = ["adele.vance", "miriam.graham", "henrietta.mueller", "irvin.sayers", "christie.cline", "enrico.cattaneo"].map(person);
const managerOf = new Map(seedPeople.map((p) => [p.id, p.managerId]));
const related = (a: string, b: string) => managerOf.get(a) === b || managerOf.get(b) === a;

forEachEngine((engine) => {
  let stack!: BookingStack;
  useBookingStack(engine, (started) => (stack = started));

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

  // Booking the cohort (a durable job: progress, restarts, faults): cohort-booking.test.ts.
});
