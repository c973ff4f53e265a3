import { describe, expect, it } from "vitest";
import { linkWhenSynced, outlookApi } from "../../../../../src/features/outlook/outlook-api";
import { ApiError } from "../../../../../src/lib/api-error";
import { circleDetail, fakeApiByMethod } from "../fake-api";

describe("linking the saved appointment through the API", () => {
  it("posts the Graph id to the circle's outlook-appointment route and reads the circle back", async () => {
    const linked = circleDetail({ id: "c1" });
    const api = fakeApiByMethod({ "POST /api/circles/c1/outlook-appointment": { body: linked } });
    const client = outlookApi({ getToken: async () => "token", fetchImpl: api.fetchMock });
    await expect(client.linkOutlookAppointment("c1", "AAMk-x_y=")).resolves.toMatchObject({ id: "c1" });
    expect(api.sent("POST /api/circles/c1/outlook-appointment").map((r) => r.body)).toEqual([{ eventId: "AAMk-x_y=" }]);
  });

  it("reads the chat setup's job id, or the warning for an appointment without a Teams meeting", async () => {
    const warning = { code: "not_teams_meeting", message: "This appointment isn't a Teams meeting." };
    const api = fakeApiByMethod({
      "POST /api/circles/c1/outlook-appointment": { body: { ...circleDetail({ id: "c1" }), jobId: "job-1" } },
      "POST /api/circles/c2/outlook-appointment": { body: { ...circleDetail({ id: "c2" }), warning } },
    });
    const client = outlookApi({ getToken: async () => "token", fetchImpl: api.fetchMock });
    const teams = await client.linkOutlookAppointment("c1", "AAMk-1");
    expect([teams.jobId, teams.warning]).toEqual(["job-1", undefined]);
    const plain = await client.linkOutlookAppointment("c2", "AAMk-2");
    expect([plain.jobId, plain.warning]).toEqual([undefined, warning]);
  });

  it("waits for Outlook to sync a just-saved appointment before giving up", async () => {
    const waits: number[] = [];
    let calls = 0;
    const linked = circleDetail({ id: "c1" });
    const result = await linkWhenSynced(
      async () => {
        calls++;
        if (calls < 3) throw new ApiError("not_found", 404, "The appointment isn't in your Outlook calendar (yet).");
        return linked as never;
      },
      { sleep: async (ms) => void waits.push(ms) },
    );
    expect(result).toBe(linked);
    expect(waits).toEqual([2000, 4000]);
  });

  it("stops at once for anything but a not-yet-synced appointment, and after its last attempt", async () => {
    const conflict = new ApiError("conflict", 409, "This circle already has a series in Outlook.");
    let calls = 0;
    await expect(linkWhenSynced(async () => (calls++, Promise.reject(conflict)), { sleep: async () => undefined })).rejects.toBe(conflict);
    expect(calls).toBe(1);

    calls = 0;
    const missing = new ApiError("not_found", 404, "not synced");
    await expect(linkWhenSynced(async () => (calls++, Promise.reject(missing)), { attempts: 3, sleep: async () => undefined })).rejects.toBe(missing);
    expect(calls).toBe(3);
  });
});
