import "../../layout-shim";
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TaskpanePage } from "../../../../../src/app/taskpane/taskpane-page";
import { createAppointmentComposer } from "../../../../../src/host/office/appointment-composer";
import type { OfficeSession } from "../../../../../src/host/office/office-ready";
import { fakeApi, fakeHost } from "../../fake-host";
import { FakeAppointment, FakeSeriesTime } from "../../host/office/fake-appointment";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const circles = [
  { id: "c1", name: "New managers circle", purpose: null, cadence: "weekly", sessionMinutes: 45, memberCount: 4, timeZone: "Europe/London" },
  { id: "c2", name: "Product leads", purpose: null, cadence: "monthly", sessionMinutes: 60, memberCount: 6, timeZone: "Europe/Berlin" },
];

function outlook(item: FakeAppointment | undefined): OfficeSession {
  return {
    host: "Outlook",
    platform: "OfficeOnline",
    getAppointmentComposer: () => (item ? createAppointmentComposer(item, { createSeriesTime: () => new FakeSeriesTime() }) : undefined),
    getAccessToken: async () => "office-token",
  };
}

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("Outlook task pane", { timeout: 20_000 }, () => {
  it("outside Outlook, says to open it in Outlook and points sandbox users to the tab", async () => {
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "browser", frameContext: "none" }, sandboxUrl: "http://localhost:3001" }).connect);
    expect(await screen.findByText("Open this in Outlook.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "personal tab" })).toHaveAttribute("href", "/tab");
  });

  it("turns the appointment being composed into a session of the chosen circle", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/circles": { body: { circles } } }));
    const item = new FakeAppointment();
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);

    expect(await screen.findByRole("heading", { name: "Make this a coaching session" })).toBeInTheDocument();
    const submit = screen.getByRole("button", { name: "Make this a coaching session" });
    expect(submit).toBeDisabled();
    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    await user.click(submit);

    expect(await screen.findByText(/now a coaching session/)).toBeInTheDocument();
    expect(item.subjectText).toBe("Coaching circle");
    expect(item.categoryList).toEqual(["Coaching circle"]);
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c2" });
  });

  it("says what went wrong when Outlook refuses a change", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/circles": { body: { circles } } }));
    const item = new FakeAppointment();
    item.failNext("categories.addAsync", { message: "The mailbox is full.", code: 9000, name: "MailboxFull" });
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);

    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /New managers circle/ }));
    await user.click(screen.getByRole("button", { name: "Make this a coaching session" }));
    expect(await screen.findByText("The appointment wasn't changed.")).toBeInTheDocument();
    expect(screen.getByText(/The mailbox is full/)).toBeInTheDocument();
  });

  it("explains what to do when the user has no circles", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/circles": { body: { circles: [] } } }));
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(new FakeAppointment()) }).connect);
    expect(await screen.findByText("You're not in a circle yet.")).toBeInTheDocument();
  });

  it("asks for a meeting in compose mode when the item can't be changed", async () => {
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(undefined) }).connect);
    expect(await screen.findByText("Open a meeting you're organising.")).toBeInTheDocument();
  });
});
