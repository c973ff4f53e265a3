import { describe, expect, it, vi } from "vitest";
import { waitForOffice } from "../../../../../src/host/office/office-ready";
import { FakeAppointment, FakeSeriesTime, fakeConvertToRestId } from "./fake-appointment";

describe("waitForOffice", () => {
  it("is null when office.js is not on the page", async () => {
    await expect(waitForOffice({ office: undefined })).resolves.toBeNull();
  });

  it("is null outside an Office host (onReady without a host)", async () => {
    const office = { onReady: () => Promise.resolve({ host: null, platform: null }) };
    await expect(waitForOffice({ office })).resolves.toBeNull();
  });

  it("gives up after its timeout when office.js never becomes ready", async () => {
    vi.useFakeTimers();
    try {
      const office = { onReady: () => new Promise(() => undefined) };
      const pending = waitForOffice({ office, timeoutMs: 3000 });
      await vi.advanceTimersByTimeAsync(3000);
      await expect(pending).resolves.toBeNull();
    } finally {
      vi.useRealTimers();
    }
  });

  it("offers an appointment composer in Outlook's appointment compose mode", async () => {
    const item = new FakeAppointment();
    const office = {
      onReady: () => Promise.resolve({ host: "Outlook", platform: "OfficeOnline" }),
      context: { mailbox: { item, convertToRestId: fakeConvertToRestId }, displayLanguage: "en-GB" },
      SeriesTime: FakeSeriesTime,
    };
    const session = await waitForOffice({ office });
    expect(session?.host).toBe("Outlook");
    const composer = session?.getAppointmentComposer();
    await composer?.setSubject("Coaching circle");
    expect(item.subjectText).toBe("Coaching circle");
    // Office's own SeriesTime and id conversion reach the adapter.
    await composer?.setRecurrence({ type: "weekly", interval: 1, days: ["wed"], startDate: "2030-03-06", startTime: "08:30", durationMinutes: 45 });
    expect(item.recurrenceDates().slice(0, 2)).toEqual(["2030-03-06", "2030-03-13"]);
    expect(composer?.toRestId("AAMk/x+y")).toBe("AAMk-x_y");
  });

  it("offers no composer for an item in read mode", async () => {
    const office = {
      onReady: () => Promise.resolve({ host: "Outlook", platform: "PC" }),
      context: { mailbox: { item: { itemType: "appointment", subject: "Read-only subject" } } },
      SeriesTime: FakeSeriesTime,
    };
    const session = await waitForOffice({ office });
    expect(session?.getAppointmentComposer()).toBeUndefined();
  });
});
