import { beforeAll, describe, expect, it } from "vitest";
import { ALEX, BASE_URL, MEGAN, PRIYA, newSandbox } from "../sandbox-test-kit";

let kit: Awaited<ReturnType<typeof newSandbox>>;
let me: Awaited<ReturnType<typeof kit.as>>;
beforeAll(async () => {
  kit = await newSandbox();
  me = await kit.as(MEGAN);
});

const names = (body: { value: Array<{ displayName: string }> }) => body.value.map((u) => u.displayName);

describe("users", () => {
  it("returns Graph's default properties for /me and more with $select", async () => {
    const res = await me.get("/v1.0/me");
    expect(res.body).toMatchObject({ id: "00000000-0000-4000-8000-000000000001", displayName: "Megan Bowen", userPrincipalName: MEGAN, mail: MEGAN, jobTitle: "VP Engineering" });
    // Like Graph v1.0: department is not a default property.
    expect(res.body.department).toBeUndefined();
    const sel = await me.get("/v1.0/me?$select=displayName,department,employeeHireDate");
    expect(sel.body).toMatchObject({ id: expect.any(String), displayName: "Megan Bowen", department: "Engineering" });
    expect(sel.body.mail).toBeUndefined();
    const bad = await me.get("/v1.0/me?$select=departmnt");
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toContain("departmnt");
  });

  it("finds a user by object id or UPN", async () => {
    const byUpn = await me.get(`/v1.0/users/${PRIYA}`);
    const byId = await me.get(`/v1.0/users/${byUpn.body.id}`);
    expect(byId.body.displayName).toBe("Priya Raman");
  });

  it("pages with $top and @odata.nextLink until every user is seen", async () => {
    const seen: string[] = [];
    let url: string | undefined = "/v1.0/users?$top=10&$select=displayName";
    let pages = 0;
    while (url) {
      const res = await me.get(url);
      expect(res.status).toBe(200);
      expect(res.body.value.length).toBeLessThanOrEqual(10);
      seen.push(...names(res.body));
      const next: string | undefined = res.body["@odata.nextLink"];
      if (next) expect(next.startsWith(`${BASE_URL}/v1.0/users?`)).toBe(true);
      url = next?.slice(BASE_URL.length);
      pages++;
    }
    expect(pages).toBe(10);
    expect(new Set(seen).size).toBe(100);
    expect((await me.get("/v1.0/users?$top=0")).status).toBe(400);
  });

  it("filters with startswith, eq and in", async () => {
    expect(names((await me.get("/v1.0/users?$filter=startswith(displayName,'al')")).body)).toEqual(["Alex Wilber"]);
    expect(names((await me.get("/v1.0/users?$filter=startswith(surname,'S') or startswith(givenName,'Mei')")).body)).toEqual(["Diego Siciliani", "Joni Sherman", "Irvin Sayers", "Mei Tanaka"]);
    expect(names((await me.get(`/v1.0/users?$filter=mail eq '${PRIYA}'`)).body)).toEqual(["Priya Raman"]);
    expect(names((await me.get(`/v1.0/users?$filter=userPrincipalName eq '${ALEX.toUpperCase()}'`)).body)).toEqual(["Alex Wilber"]);
    const ids = "('00000000-0000-4000-8000-000000000003','00000000-0000-4000-8000-000000000011')";
    expect(names((await me.get(`/v1.0/users?$filter=id in ${ids}`)).body)).toEqual(["Priya Raman", "Lynne Robbins"]);
  });

  it("treats department filters as advanced queries needing ConsistencyLevel", async () => {
    const plain = await me.get("/v1.0/users?$filter=department eq 'Finance'");
    expect(plain.status).toBe(400);
    expect(plain.body.error.code).toBe("Request_UnsupportedQuery");
    const advanced = await me.get("/v1.0/users?$filter=department eq 'Finance'&$count=true").set("ConsistencyLevel", "eventual");
    expect(advanced.body["@odata.count"]).toBe(15);
  });

  it("searches word prefixes only with ConsistencyLevel: eventual", async () => {
    const without = await me.get('/v1.0/users?$search="displayName:al"');
    expect(without.status).toBe(400);
    expect(without.body.error.message).toContain("ConsistencyLevel: eventual");
    const res = await me.get('/v1.0/users?$search="displayName:al"').set("ConsistencyLevel", "eventual");
    expect(names(res.body)).toEqual(["Alex Wilber", "Sofia Alvarez"]);
  });

  it("walks the org chart: manager and direct reports", async () => {
    const alex = await kit.as(ALEX);
    expect((await alex.get("/v1.0/me/manager")).body).toMatchObject({ "@odata.type": "#microsoft.graph.user", displayName: "Megan Bowen" });
    expect((await me.get("/v1.0/me/manager")).status).toBe(404);
    expect(names((await me.get("/v1.0/me/directReports")).body)).toEqual(["Alex Wilber", "Nestor Wilke"]);
    expect((await me.get(`/v1.0/users/${PRIYA}/manager`)).body.displayName).toBe("Alex Wilber");
    expect(names((await me.get(`/v1.0/users/${ALEX}/directReports`)).body)).toHaveLength(5);
  });

  it("reports mailboxSettings with Windows time-zone names and working hours", async () => {
    const priya = await kit.as(PRIYA);
    const res = await priya.get("/v1.0/me/mailboxSettings");
    expect(res.body.timeZone).toBe("India Standard Time");
    expect(res.body.workingHours).toEqual({
      daysOfWeek: ["monday", "tuesday", "wednesday", "thursday", "friday"],
      startTime: "09:30:00.0000000",
      endTime: "18:00:00.0000000",
      timeZone: { name: "India Standard Time" },
    });
    expect((await me.get("/v1.0/me/mailboxSettings")).body.timeZone).toBe("GMT Standard Time");
    expect((await me.get("/v1.0/me/mailboxSettings/timeZone")).body.value).toBe("GMT Standard Time");
  });

  it("keeps other users' mailboxSettings private to delegated callers but open to the app", async () => {
    expect((await me.get(`/v1.0/users/${PRIYA}/mailboxSettings`)).status).toBe(403);
    const app = await kit.asApp();
    const res = await app.get("/v1.0/users/lynne.robbins@contoso.example/mailboxSettings");
    expect(res.body.timeZone).toBe("Eastern Standard Time");
  });
});
