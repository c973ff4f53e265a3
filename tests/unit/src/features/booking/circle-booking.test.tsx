import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CircleBooking } from "../../../../../src/features/booking/circle-booking";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { fakeApiByMethod, people } from "../fake-api";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const memberTimes = [
  { upn: people.priya.upn, displayName: "Priya Raman", timeZone: "Europe/London", localTime: "15:00", shifts: [] },
  {
    upn: people.megan.upn,
    displayName: "Megan Bowen",
    timeZone: "America/New_York",
    localTime: "10:00",
    // US clocks change on 10 Mar 2030, UK clocks on 31 Mar: New York sees 11:00 for three weeks.
    shifts: [
      { after: "2030-03-05", localTime: "11:00" },
      { after: "2030-03-19", localTime: "10:00" },
    ],
  },
];

const slots = {
  slots: [
    {
      start: "2030-03-05T15:00:00+00:00",
      timeZone: "Europe/London",
      weekday: "tuesday",
      localTime: "15:00",
      conflicts: [{ date: "2030-03-19", members: [people.megan.upn] }],
      outsideWorkingHours: [],
      explanation: "Tue 15:00 London · within everyone's hours · 1 conflict: Megan on 19 Mar",
      memberTimes,
    },
    {
      start: "2030-03-07T08:00:00+00:00",
      timeZone: "Europe/London",
      weekday: "thursday",
      localTime: "08:00",
      conflicts: [],
      outsideWorkingHours: [people.megan.upn],
      explanation: "Thu 08:00 London · early for Megan",
      memberTimes: [
        { ...memberTimes[0]!, localTime: "08:00" },
        { ...memberTimes[1]!, localTime: "03:00", shifts: [] },
      ],
    },
  ],
  rotation: {
    explanation: "Alternate Tue 15:00 and Thu 08:00 so Megan and Priya share early sessions.",
    slots: [
      {
        start: "2030-03-05T15:00:00+00:00",
        timeZone: "Europe/London",
        weekday: "tuesday",
        localTime: "15:00",
        conflicts: [],
        outsideWorkingHours: [people.priya.upn],
        explanation: "Tue 15:00 London · sessions 1, 3, 5",
        memberTimes,
      },
      {
        start: "2030-03-14T08:00:00+00:00",
        timeZone: "Europe/London",
        weekday: "thursday",
        localTime: "08:00",
        conflicts: [],
        outsideWorkingHours: [people.megan.upn],
        explanation: "Thu 08:00 London · sessions 2, 4, 6",
        memberTimes: [
          { ...memberTimes[0]!, localTime: "08:00" },
          { ...memberTimes[1]!, localTime: "04:00", shifts: [] },
        ],
      },
    ],
    burden: [
      { upn: people.megan.upn, outsideSessions: 3, earlySessions: 3, lateSessions: 0, dayOffSessions: 0 },
      { upn: people.priya.upn, outsideSessions: 2, earlySessions: 0, lateSessions: 2, dayOffSessions: 0 },
    ],
  },
};

const steps = (states: string[]) =>
  ["Create the series", "Turn off recording", "Find the meeting chat", "Add the app to the chat", "Post the welcome"].map((label, i) => ({
    name: `step-${i}`,
    label,
    status: states[i] ?? "pending",
  }));

function setup(jobAnswers: unknown[]) {
  const api = fakeApiByMethod({
    "POST /api/circles/c1/slots": { body: slots },
    "POST /api/circles/c1/booking": { status: 202, body: { jobId: "j1" } },
    "GET /api/jobs/j1": () => ({ body: jobAnswers.length > 1 ? jobAnswers.shift() : jobAnswers[0] }),
  });
  vi.stubGlobal("fetch", api.fetchMock);
  const onBooked = vi.fn();
  renderPage(<CircleBooking circleId="c1" viewerTimeZone="America/New_York" onBooked={onBooked} />, fakeHost().connect);
  return { api, onBooked };
}

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("fair time and booking", { timeout: 30_000 }, () => {
  it("lists each suggestion in the viewer's zone with every member's local time, DST shifts, conflicts and hours", async () => {
    setup([]);
    const list = await screen.findByRole("list", { name: "Suggested times" });
    const [best, second] = within(list).getAllByRole("listitem").filter((li) => li.parentElement === list);
    // 15:00 in London is 10:00 in New York, the viewer's zone.
    expect(within(best!).getByRole("radio", { name: "Best: first session Tue 5 Mar 2030, 10:00 (your time)" })).toBeInTheDocument();
    expect(within(best!).getByText("Tue 15:00 London · within everyone's hours · 1 conflict: Megan on 19 Mar")).toBeInTheDocument();
    expect(within(best!).getByText("Priya Raman: 15:00 (Europe/London)")).toBeInTheDocument();
    expect(within(best!).getByText(/Megan Bowen: 10:00 \(America\/New_York\); after 5 Mar 2030: 11:00; after 19 Mar 2030: 10:00 \(daylight saving/)).toBeInTheDocument();
    expect(within(best!).getByText("1 conflict: 19 Mar 2030 (Megan Bowen)")).toBeInTheDocument();
    expect(within(second!).getByRole("radio", { name: "first session Thu 7 Mar 2030, 03:00 (your time)" })).toBeInTheDocument();
    expect(within(second!).getByText("No conflicts over the whole series.")).toBeInTheDocument();
    expect(within(second!).getByText("for Megan Bowen")).toBeInTheDocument();

    const rotation = screen.getByRole("region", { name: /Rotating time proposal/ });
    expect(within(rotation).getByText(/share early sessions/)).toBeInTheDocument();
    expect(within(rotation).getByText("Megan Bowen: 3 sessions outside working hours (3 early)")).toBeInTheDocument();
    expect(within(rotation).getByText("Priya Raman: 2 sessions outside working hours (2 late)")).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Book this time" })).toBeDisabled();
  });

  it("books the rotation as one series, saying which time holds which sessions and who is outside their hours", async () => {
    const { api } = setup([{ id: "j1", status: "running", progress: { done: 2, total: 5 }, steps: steps(["done", "done", "running"]) }]);
    const user = userEvent.setup();
    const rotation = await screen.findByRole("region", { name: /Rotating time proposal/ });
    const times = within(rotation).getByRole("list", { name: "Alternating times" });
    // Shown in the viewer's zone (New York), with each outside member's own local time.
    expect(within(times).getByText("First time: Tue 5 Mar 2030, 10:00 (your time), sessions 1, 3, 5 … · outside working hours for Priya Raman (15:00 their time)")).toBeInTheDocument();
    expect(within(times).getByText("Alternating with: Thu 14 Mar 2030, 04:00 (your time), sessions 2, 4, 6 … · outside working hours for Megan Bowen (04:00 their time)")).toBeInTheDocument();
    // Booking the rotation needs no single time chosen.
    expect(screen.getByRole("button", { name: "Book this time" })).toBeDisabled();
    await user.click(within(rotation).getByRole("button", { name: "Book this rotation" }));
    expect(await screen.findByText("Step 3 of 5: Find the meeting chat…")).toBeInTheDocument();
    expect(api.sent("POST /api/circles/c1/booking")[0]?.body).toEqual({
      start: "2030-03-05T15:00:00+00:00",
      timeZone: "Europe/London",
      rotation: { starts: ["2030-03-05T15:00:00+00:00", "2030-03-14T08:00:00+00:00"] },
    });
  });

  it("searches again from a chosen first date", async () => {
    const { api } = setup([]);
    const user = userEvent.setup();
    await screen.findByRole("list", { name: "Suggested times" });
    const date = screen.getByLabelText(/Earliest first session/);
    await user.type(date, "2030-04-01");
    await user.click(screen.getByRole("button", { name: "Search again" }));
    await waitFor(() => expect(api.sent("POST /api/circles/c1/slots").map((r) => r.body)).toEqual([{}, { startOn: "2030-04-01" }]));
  });

  it("books the chosen time and shows each step until it is done", async () => {
    const { api, onBooked } = setup([
      { id: "j1", status: "running", progress: { done: 2, total: 5 }, steps: steps(["done", "done", "running"]) },
      { id: "j1", status: "succeeded", progress: { done: 5, total: 5 }, steps: steps(["done", "done", "done", "done", "done"]) },
    ]);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: /Tue 5 Mar 2030, 10:00/ }));
    await user.click(screen.getByRole("button", { name: "Book this time" }));

    expect(await screen.findByText("Step 3 of 5: Find the meeting chat…")).toBeInTheDocument();
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "2");
    expect(api.sent("POST /api/circles/c1/booking")[0]?.body).toEqual({ start: "2030-03-05T15:00:00+00:00", timeZone: "Europe/London" });

    const status = await screen.findByRole("status", {}, { timeout: 5_000 });
    await waitFor(() => expect(status).toHaveTextContent("Booked. Every member has the series in Outlook and Teams."), { timeout: 5_000 });
    expect(screen.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "5");
    expect(within(screen.getByRole("list", { name: "Steps" })).getAllByText("(done)")).toHaveLength(5);
    await user.click(screen.getByRole("button", { name: "See upcoming sessions" }));
    expect(onBooked).toHaveBeenCalledOnce();
  });

  it("shows why a booking stopped and retries it with the same time", async () => {
    const failed = {
      id: "j1",
      status: "failed",
      progress: { done: 3, total: 5 },
      steps: steps(["done", "done", "done", "failed"]),
      error: { code: "graph_unavailable", message: "Microsoft 365 didn't answer while adding the app to the meeting chat." },
    };
    const done = { id: "j1", status: "succeeded", progress: { done: 5, total: 5 }, steps: steps(["done", "done", "done", "done", "done"]) };
    const answers: unknown[] = [failed];
    const { api } = setup(answers);
    const user = userEvent.setup();
    await user.click(await screen.findByRole("radio", { name: /Tue 5 Mar 2030/ }));
    await user.click(screen.getByRole("button", { name: "Book this time" }));

    expect(await screen.findByText("Microsoft 365 didn't answer while adding the app to the meeting chat.", { exact: false })).toBeInTheDocument();
    expect(screen.getByText("The booking didn't finish.")).toBeInTheDocument();
    expect(screen.getByRole("status")).toHaveTextContent("Booking stopped after 3 of 5 steps.");
    expect(within(screen.getByRole("list", { name: "Steps" })).getByText("(failed)")).toBeInTheDocument();

    answers.splice(0, answers.length, done);
    await user.click(screen.getByRole("button", { name: "Retry" }));
    await waitFor(() => expect(screen.getByRole("status")).toHaveTextContent("Booked."));
    const posts = api.sent("POST /api/circles/c1/booking");
    expect(posts).toHaveLength(2);
    expect(posts[1]?.body).toEqual(posts[0]?.body);
  });

  it("says so when the booking can't start, and keeps the chosen time", async () => {
    const api = fakeApiByMethod({
      "POST /api/circles/c1/slots": { body: slots },
      "POST /api/circles/c1/booking": { status: 409, body: { error: { code: "already_booking", message: "Megan is booking this circle right now. Wait a minute and look again." } } },
    });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<CircleBooking circleId="c1" viewerTimeZone="Europe/London" onBooked={vi.fn()} />, fakeHost().connect);
    const user = userEvent.setup();
    const radio = await screen.findByRole("radio", { name: /Tue 5 Mar 2030, 15:00/ });
    await user.click(radio);
    await user.click(screen.getByRole("button", { name: "Book this time" }));
    expect(await screen.findByText("Megan is booking this circle right now. Wait a minute and look again.")).toBeInTheDocument();
    expect(radio).toBeChecked();
  });
});
