import "../../layout-shim";
import { cleanup, screen, within } from "@testing-library/react";
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

  /** The job that sets up the linked Teams meeting's chat, as getJob answers it. */
  const chatJob = (status: "queued" | "running" | "succeeded" | "failed", done: number, error?: { code: string; message: string }) => {
    const names = [
      ["category", "Mark it as protected coaching time (done in Outlook)"],
      ["series", "Use your Outlook appointment as the circle's series"],
      ["meeting", "Find the meeting and its chat"],
      ["recording", "Turn recording and transcription off"],
      ["app", "Add Coaching Circles to the meeting chat"],
      ["tab", "Pin the circle's tab in the chat"],
      ["welcome", "Post a welcome message"],
    ] as const;
    return {
      id: "job-1",
      status,
      progress: { done, total: names.length },
      steps: names.map(([name, label], i) => ({ name, label, status: i < done ? "done" : i === done && status === "running" ? "running" : i === done && status === "failed" ? "failed" : "pending" })),
      ...(error ? { error } : {}),
    };
  };

  async function makeSession(user: ReturnType<typeof userEvent.setup>) {
    await user.click(await screen.findByRole("combobox", { name: /Circle/ }));
    await user.click(await screen.findByRole("option", { name: /Product leads/ }));
    await user.click(screen.getByRole("button", { name: "Make this a coaching session" }));
  }

  it("shows the meeting chat being set up after linking, step by step, until the circle is ready", async () => {
    const answers = [chatJob("running", 3), chatJob("succeeded", 7)];
    const api = fakeApiByMethod({
      "GET /api/me": { body: ada },
      "GET /api/circles": { body: { circles } },
      "GET /api/circles/c2": { body: { ...linkedDetail, series: { ...linkedDetail.series, joinWebUrl: "https://teams.example/l/1", chatId: "19:m@thread.v2" } } },
      "GET /api/formats": { body: { formats } },
      "POST /api/circles/c2/outlook-appointment": { body: { ...linkedDetail, jobId: "job-1" } },
      // Each poll moves the job on: running the chat steps, then finished.
      "GET /api/jobs/job-1": () => ({ body: answers.length > 1 ? answers.shift() : answers[0] }),
    });
    vi.stubGlobal("fetch", api.fetchMock);
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(new FakeAppointment()) }).connect);
    await makeSession(user);

    expect(await screen.findByText("This appointment is now Product leads's series.")).toBeInTheDocument();
    const progress = await screen.findByRole("region", { name: "Booking progress" });
    expect(await within(progress).findByText("Step 4 of 7: Turn recording and transcription off…")).toBeInTheDocument();
    const steps = within(progress).getByRole("list", { name: "Steps" });
    expect(within(steps).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "Mark it as protected coaching time (done in Outlook)(done)",
      "Use your Outlook appointment as the circle's series(done)",
      "Find the meeting and its chat(done)",
      "Turn recording and transcription off(in progress)",
      "Add Coaching Circles to the meeting chat(waiting)",
      "Pin the circle's tab in the chat(waiting)",
      "Post a welcome message(waiting)",
    ]);

    expect(await within(progress).findByText("Booked. Every member has the series in Outlook and Teams.", {}, { timeout: 5_000 })).toBeInTheDocument();
    expect(api.sent("GET /api/jobs/job-1").length).toBeGreaterThanOrEqual(2);
    // Then the circle's page, here in the pane.
    await user.click(within(progress).getByRole("button", { name: "See upcoming sessions" }));
    expect(await screen.findByRole("button", { name: "Your circles" })).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "Product leads" })).toBeInTheDocument();
  });

  it("resumes a chat setup that stopped when the organiser retries, by linking again", async () => {
    let job = chatJob("failed", 5, { code: "graph_unavailable", message: "Teams is unavailable right now." });
    const api = fakeApiByMethod({
      "GET /api/me": { body: ada },
      "GET /api/circles": { body: { circles } },
      "GET /api/circles/c2": { body: detail },
      "GET /api/formats": { body: { formats } },
      "POST /api/circles/c2/outlook-appointment": () => ({ body: { ...linkedDetail, jobId: "job-1" } }),
      "GET /api/jobs/job-1": () => ({ body: job }),
    });
    vi.stubGlobal("fetch", api.fetchMock);
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(new FakeAppointment()) }).connect);
    await makeSession(user);

    expect(await screen.findByText("The booking didn't finish.")).toBeInTheDocument();
    expect(screen.getByText(/Teams is unavailable right now/)).toBeInTheDocument();
    job = chatJob("succeeded", 7);
    await user.click(screen.getByRole("button", { name: "Retry" }));
    expect(await screen.findByText("Booked. Every member has the series in Outlook and Teams.", {}, { timeout: 5_000 })).toBeInTheDocument();
    // The same appointment was linked again (the API resumes the same job); the draft wasn't changed again.
    expect(api.sent("POST /api/circles/c2/outlook-appointment").map((r) => r.body)).toEqual([{ eventId: "AAMkAGI2-TG93_AAA=" }, { eventId: "AAMkAGI2-TG93_AAA=" }]);
  });

  it("says clearly when the appointment isn't a Teams meeting, and links again after it's turned on", async () => {
    const warning = { code: "not_teams_meeting", message: "This appointment isn't a Teams meeting, so Coaching Circles can't set up its meeting chat. Turn on “Teams meeting” in Outlook, save it, and link it again." };
    let answer: unknown = { ...linkedDetail, warning };
    const api = fakeApiByMethod({
      "GET /api/me": { body: ada },
      "GET /api/circles": { body: { circles } },
      "GET /api/circles/c2": { body: detail },
      "GET /api/formats": { body: { formats } },
      "POST /api/circles/c2/outlook-appointment": () => ({ body: answer }),
      "GET /api/jobs/job-1": { body: chatJob("succeeded", 7) },
    });
    vi.stubGlobal("fetch", api.fetchMock);
    const item = new FakeAppointment();
    const user = userEvent.setup();
    renderPage(<TaskpanePage />, fakeHost({ context: { kind: "outlook", frameContext: "taskpane" }, office: outlook(item) }).connect);
    await makeSession(user);

    // The circle works (the appointment is its series); only the chat is missing, and the pane says what to do.
    expect(await screen.findByText("This appointment is now Product leads's series.")).toBeInTheDocument();
    expect(screen.getByText("The Teams meeting chat isn't set up.")).toBeInTheDocument();
    expect(screen.getByText(/Turn on “Teams meeting” in Outlook/)).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "Booking progress" })).not.toBeInTheDocument();

    answer = { ...linkedDetail, jobId: "job-1" };
    await user.click(screen.getByRole("button", { name: "Save and link again" }));
    expect(await screen.findByText("Booked. Every member has the series in Outlook and Teams.")).toBeInTheDocument();
    expect(screen.queryByText("The Teams meeting chat isn't set up.")).not.toBeInTheDocument();
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
