import "../../layout-shim";
import { cleanup, screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TaskpanePage } from "../../../../../src/app/taskpane/taskpane-page";
import { createAppointmentComposer } from "../../../../../src/host/office/appointment-composer";
import type { OfficeSession } from "../../../../../src/host/office/office-ready";
import { ada, fakeApi, fakeHost } from "../../fake-host";
import { fakeApiByMethod } from "../../features/fake-api";
import { FakeAppointment, FakeSeriesTime, fakeConvertToRestId } from "../../host/office/fake-appointment";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const circles = [
  { id: "c1", name: "New managers circle", purpose: null, cadence: "weekly", sessionMinutes: 45, memberCount: 4, timeZone: "Europe/London" },
  { id: "c2", name: "Product leads", purpose: null, cadence: "monthly", sessionMinutes: 60, memberCount: 6, timeZone: "Europe/Berlin" },
];

const detail = {
  ...circles[1],
  purpose: "Lead better",
  cadence: "weekly",
  sessionCount: 4,
  charter: ["Confidentiality"],
  formatId: "micro-session",
  rotateRoles: true,
  organizerId: ada.id,
  members: [
    { id: ada.id, upn: ada.userPrincipalName, displayName: ada.displayName, role: "organizer", timeZone: "Europe/London" },
    { id: "u2", upn: "grace@contoso.test", displayName: "Grace Hopper", role: "member", timeZone: "America/New_York" },
  ],
  createdAt: "2030-01-01T00:00:00Z",
};
const formats = [
  { id: "coaching-circle", name: "Coaching circle", description: "Classic.", defaultMinutes: 60, segments: [{ id: "a", name: "check-in", minutes: 60, purpose: "x", prompts: [] }] },
  { id: "micro-session", name: "Micro-session", description: "Short.", defaultMinutes: 25, segments: [{ id: "b", name: "practise", minutes: 25, purpose: "y", prompts: [] }] },
];
const outlookApi = { "/api/me": { body: ada }, "/api/circles": { body: { circles } }, "/api/circles/c2": { body: detail }, "/api/formats": { body: { formats } } };
/** The circle as the API answers once the appointment is its series (read back from Outlook). */
const linkedDetail = {
  ...detail,
  series: {
    eventId: "AAMkAGI2-TG93_AAA=",
    joinWebUrl: null,
    chatId: null,
    occurrences: [
      { id: "o1", start: "2025-03-03T09:00:00+00:00", end: "2025-03-03T10:00:00+00:00", status: "scheduled" },
      { id: "o2", start: "2025-03-10T09:00:00+00:00", end: "2025-03-10T10:00:00+00:00", status: "scheduled" },
    ],
  },
};
const withLink = (link: { status?: number; body: unknown }) =>
  fakeApiByMethod({
    "GET /api/me": { body: ada },
    "GET /api/circles": { body: { circles } },
    "GET /api/circles/c2": { body: detail },
    "GET /api/formats": { body: { formats } },
    "POST /api/circles/c2/outlook-appointment": link,
  });

function outlook(item: FakeAppointment | undefined): OfficeSession {
  return {
    host: "Outlook",
    platform: "OfficeOnline",
    getAppointmentComposer: () => (item ? createAppointmentComposer(item, { createSeriesTime: () => new FakeSeriesTime(), convertToRestId: (id) => fakeConvertToRestId(id, "v2.0") }) : undefined),
    getAccessToken: async () => "office-token",
  };
}

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("Outlook task pane", { timeout: 20_000 }, () => {
  it("outside Outlook, books through the API: pick a circle, then its fair-time step", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "/api/me": { body: ada },
        "/api/circles": { body: { circles } },
        "/api/circles/c2": { body: detail },
        "/api/circles/c2/slots": { body: { slots: [] } },
      }),
    );
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "browser", frameContext: "none" }, sandboxUrl: "http://localhost:3001" }).connect);
    expect(await screen.findByText("You're not in Outlook.")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "personal tab" })).toHaveAttribute("href", "/tab");
    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    expect(await screen.findByRole("heading", { name: "Find a fair time" })).toBeInTheDocument();
    expect(await screen.findByText(/No recurring time fits this circle/)).toBeInTheDocument();
  });

  it("turns the appointment being composed into a session of the chosen circle and makes it the circle's series", async () => {
    const api = withLink({ body: linkedDetail });
    vi.stubGlobal("fetch", api.fetchMock);
    const item = new FakeAppointment();
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);

    expect(await screen.findByRole("heading", { name: "Make this a coaching session" })).toBeInTheDocument();
    const submit = screen.getByRole("button", { name: "Make this a coaching session" });
    expect(submit).toBeDisabled();
    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    // The circle's own format is preselected, with its agenda fitted to the circle's 60 minutes.
    expect(await screen.findByRole("combobox", { name: /Format/ })).toHaveTextContent("Micro-session");
    expect(screen.getByText("practise · 60 min")).toBeInTheDocument();
    await user.click(submit);

    expect(await screen.findByText("This appointment is now Product leads's series.")).toBeInTheDocument();
    expect(screen.getByText(/linked: 2 sessions, the first on .*3.*09:00/)).toBeInTheDocument();
    // Linked through the API by the id Graph knows the saved appointment by.
    expect(api.sent("POST /api/circles/c2/outlook-appointment").map((r) => r.body)).toEqual([{ eventId: "AAMkAGI2-TG93_AAA=" }]);
    expect(item.subjectText).toBe("Coaching circle");
    expect(item.categoryList).toEqual(["Coaching (protected)"]);
    expect(item.attendees).toEqual([{ displayName: "Grace Hopper", emailAddress: "grace@contoso.test" }]);
    expect(item.recurrencePattern).toMatchObject({ recurrenceType: "weekly", recurrenceProperties: { interval: 1, days: ["mon"] } });
    expect(item.bodyHtml).toContain("<li>practise — 60 min</li>");
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c2", coachingFormatId: "micro-session" });
    expect(item.itemId).toBeDefined();
  });

  it("keeps the saved appointment and offers to link it again when the API refuses", async () => {
    let answer: { status?: number; body: unknown } = { status: 409, body: { error: { code: "conflict", message: "This circle already has a series in Outlook." } } };
    const api = fakeApiByMethod({
      "GET /api/me": { body: ada },
      "GET /api/circles": { body: { circles } },
      "GET /api/circles/c2": { body: detail },
      "GET /api/formats": { body: { formats } },
      "POST /api/circles/c2/outlook-appointment": () => answer,
    });
    vi.stubGlobal("fetch", api.fetchMock);
    const item = new FakeAppointment();
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);

    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    await user.click(screen.getByRole("button", { name: "Make this a coaching session" }));
    expect(await screen.findByText("The appointment is saved, but it isn't the circle's series yet.")).toBeInTheDocument();
    expect(screen.getByText(/already has a series in Outlook/)).toBeInTheDocument();
    expect(item.savedCustomProperties).toEqual({ coachingCircleId: "c2", coachingFormatId: "micro-session" });

    answer = { body: linkedDetail };
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("This appointment is now Product leads's series.")).toBeInTheDocument();
    // Only the link was repeated: the appointment was changed once.
    expect(item.categoryList).toEqual(["Coaching (protected)"]);
    expect(item.attendees).toHaveLength(1);
    expect(api.sent("POST /api/circles/c2/outlook-appointment")).toHaveLength(2);
  });

  it("says what went wrong when Outlook refuses a change", async () => {
    vi.stubGlobal("fetch", fakeApi(outlookApi));
    const item = new FakeAppointment();
    item.failNext("categories.addAsync", { message: "The mailbox is full.", code: 9000, name: "MailboxFull" });
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);

    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    await user.click(screen.getByRole("button", { name: "Make this a coaching session" }));
    expect(await screen.findByText("The appointment wasn't fully changed.")).toBeInTheDocument();
    expect(screen.getByText(/The mailbox is full/)).toBeInTheDocument();
  });

  it("offers to create a circle when the user has none", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [] } } }));
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(new FakeAppointment()) }).connect);
    expect(await screen.findByText("You're not in a circle yet.")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create a circle" })).toBeInTheDocument();
  });

  it("asks for a meeting in compose mode when the item can't be changed", async () => {
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(undefined) }).connect);
    expect(await screen.findByText("Open a meeting you're organising.")).toBeInTheDocument();
  });
});
