import { describe, expect, it, vi } from "vitest";
import { waitForOffice } from "../../../../../src/host/office/office-ready";
import { FakeAppointment, FakeSeriesTime } from "./fake-appointment";

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
      context: { mailbox: { item }, displayLanguage: "en-GB" },
      SeriesTime: FakeSeriesTime,
    };
    const session = await waitForOffice({ office });
    expect(session?.host).toBe("Outlook");
    const composer = session?.getAppointmentComposer();
    await composer?.setSubject("Coaching circle");
    expect(item.subjectText).toBe("Coaching circle");
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
