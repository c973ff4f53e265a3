import { afterEach, describe, expect, it } from "vitest";
import { createGraphFactory, getSchedules, MAX_SCHEDULE_WINDOW_MS } from "../../../../api/graph";
import { splitScheduleWindows } from "../../../../api/graph/schedule";
import { caller, recordingSleep, startScriptedGraph, tokens, type Script, type SeenRequest } from "./graph-test-server";

interface ScheduleCall {
  schedules: string[];
  startTime: { dateTime: string; timeZone: string };
  endTime: { dateTime: string; timeZone: string };
  availabilityViewInterval: number;
}
interface WireItem {
  id: string;
  method: string;
  url: string;
  body: ScheduleCall;
  headers: Record<string, string>;
}
const itemsOf = (r: SeenRequest) => (r.body as { requests: WireItem[] }).requests;
const DAY = 24 * 60 * 60 * 1000;
const utc = (ms: number) => ({ dateTime: new Date(ms).toISOString().replace("Z", "0000"), timeZone: "UTC" });
const asMs = (t: { dateTime: string }) => Date.parse(`${t.dateTime}Z`);

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

const start = Date.UTC(2025, 0, 6);
const end = start + 100 * DAY;
const boundary = start + MAX_SCHEDULE_WINDOW_MS;

/** Everyone is busy 09:00–10:00 UTC on the first day of each window, and across the window boundary. */
const script: Script = (r) => ({
  status: 200,
  body: {
    responses: itemsOf(r).map((item) => {
      const from = asMs(item.body.startTime);
      const to = asMs(item.body.endTime);
      return {
        id: item.id,
        status: 200,
        body: {
          value: item.body.schedules.map((scheduleId) =>
            scheduleId.startsWith("ghost")
              ? { scheduleId, error: { responseCode: "ErrorMailRecipientNotFound", message: "No mailbox." } }
              : {
                  scheduleId,
                  availabilityView: "",
                  scheduleItems: [
                    { status: "busy", start: utc(from + 9 * 3600_000), end: utc(from + 10 * 3600_000) },
                    { status: "free", start: utc(from + 11 * 3600_000), end: utc(from + 12 * 3600_000) },
                    // Both windows touching the boundary report this item, as Graph does.
                    ...(boundary >= from && boundary <= to ? [{ status: "oof", start: utc(boundary - 1800_000), end: utc(boundary + 1800_000) }] : []),
                  ],
                  workingHours: { daysOfWeek: ["monday", "friday"], startTime: "09:00:00.0000000", endTime: "17:30:00.0000000", timeZone: { name: "W. Europe Standard Time" } },
                },
          ),
        },
      };
    }),
  },
});

describe("splitScheduleWindows", () => {
  it("cuts a horizon into consecutive windows shorter than 62 days", () => {
    const windows = splitScheduleWindows(start, start + 130 * DAY);
    expect(windows).toHaveLength(3);
    expect(windows.every((w) => w.end - w.start < 62 * DAY)).toBe(true);
    expect(windows[0]!.start).toBe(start);
    expect(windows[1]!.start).toBe(windows[0]!.end);
    expect(windows[2]!.end).toBe(start + 130 * DAY);
  });
});

describe("getSchedules", () => {
  it("asks for 25 people over 100 days in one batch of 4 getSchedule calls (≤ 20 people, < 62 days each)", async () => {
    const server = await startScriptedGraph(script);
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens, retry: { sleep: recordingSleep().sleep } }).forUser(caller);
    const people = Array.from({ length: 25 }, (_, i) => `p${i}@contoso.example`);
    await getSchedules(graph, { schedules: people, start, end });

    expect(server.requests).toHaveLength(1);
    const items = itemsOf(server.requests[0]!);
    expect(items.map((i) => [i.method, i.url, i.body.schedules.length])).toEqual([
      ["POST", "/me/calendar/getSchedule", 20],
      ["POST", "/me/calendar/getSchedule", 5],
      ["POST", "/me/calendar/getSchedule", 20],
      ["POST", "/me/calendar/getSchedule", 5],
    ]);
    for (const item of items) {
      expect(asMs(item.body.endTime) - asMs(item.body.startTime)).toBeLessThan(62 * DAY);
      expect(item.headers.Prefer).toBe('outlook.timezone="UTC"');
    }
    expect(asMs(items[3]!.body.endTime)).toBe(end);
  });

  it("returns sorted busy intervals per person without free time or duplicates across windows, with IANA working hours", async () => {
    const server = await startScriptedGraph(script);
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forUser(caller);
    const [ada, ghost] = await getSchedules(graph, { schedules: ["ada@contoso.example", "ghost@contoso.example"], start, end });

    expect(ada).toEqual({
      scheduleId: "ada@contoso.example",
      busy: [
        { start: start + 9 * 3600_000, end: start + 10 * 3600_000, status: "busy" },
        { start: boundary - 1800_000, end: boundary + 1800_000, status: "oof" },
        { start: boundary + 9 * 3600_000, end: boundary + 10 * 3600_000, status: "busy" },
      ],
      workingHours: { daysOfWeek: ["monday", "friday"], startTime: "09:00", endTime: "17:30", timeZone: "Europe/Berlin" },
    });
    expect(ghost).toMatchObject({ scheduleId: "ghost@contoso.example", busy: [], error: { code: "ErrorMailRecipientNotFound" } });
  });

  it("throws when a getSchedule call fails instead of reporting people as free", async () => {
    const server = await startScriptedGraph((r) => ({
      status: 200,
      body: { responses: itemsOf(r).map((i) => ({ id: i.id, status: 403, body: { error: { code: "ErrorAccessDenied", message: "Access is denied." } } })) },
    }));
    close = server.close;
    const graph = createGraphFactory({ baseUrl: server.baseUrl, tokens }).forUser(caller);
    await expect(getSchedules(graph, { schedules: ["ada@contoso.example"], start, end: start + DAY })).rejects.toMatchObject({ status: 403, code: "ErrorAccessDenied" });
  });
});
