import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { CirclePage } from "../../../../../src/features/circles/circle-page";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { circleDetail, clearStaleModalHiding, fakeApiByMethod } from "../fake-api";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

// Far-future sessions so "upcoming" never depends on today's date. London is UTC+0 in early March.
const occurrences = [
  { id: "occ-1", start: "2030-03-05T15:00:00+00:00", end: "2030-03-05T16:00:00+00:00", status: "scheduled" },
  { id: "occ-2", start: "2030-03-19T15:00:00+00:00", end: "2030-03-19T16:00:00+00:00", status: "scheduled" },
  { id: "occ-3", start: "2030-04-02T15:00:00+01:00", end: "2030-04-02T16:00:00+01:00", status: "scheduled" },
];
const series = { eventId: "evt-1", joinWebUrl: "https://teams.example/join/1", chatId: "19:meeting", occurrences };
const booked = circleDetail({ series, booking: { jobId: "j1", status: "succeeded" } });

function renderCircle(routes: Parameters<typeof fakeApiByMethod>[0], viewerTimeZone = "America/New_York") {
  const api = fakeApiByMethod({ "GET /api/circles/c1": { body: booked }, ...routes });
  vi.stubGlobal("fetch", api.fetchMock);
  const renderBooking = vi.fn(() => <p>Booking flow goes here</p>);
  renderPage(<CirclePage circleId="c1" viewerTimeZone={viewerTimeZone} onBack={vi.fn()} renderBooking={renderBooking} />, fakeHost().connect);
  return { api, renderBooking };
}

function sessionList() {
  const heading = screen.getByRole("heading", { name: "Next sessions" });
  return within(heading.closest("section")!).getByRole("list");
}

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("circle page", { timeout: 30_000 }, () => {
  it("shows the next sessions in the viewer's zone, members, charter and a roles preview", async () => {
    const { renderBooking } = renderCircle({});
    expect(await screen.findByRole("heading", { name: "New managers" })).toBeInTheDocument();
    expect(screen.getByText(/anchored in Europe\/London/)).toBeInTheDocument();
    // 15:00 London = 10:00 New York on 5 Mar; US DST starts 10 Mar, so 19 Mar is 11:00 there.
    const sessions = within(sessionList()).getAllByRole("listitem");
    expect(sessions.map((li) => li.getAttribute("aria-label"))).toEqual(["Tue 5 Mar 2030, 10:00", "Tue 19 Mar 2030, 11:00", "Tue 2 Apr 2030, 10:00"]);
    expect(within(sessions[1]!).getByText("11:00–12:00")).toBeInTheDocument();
    expect(screen.getByText("Times in your zone, America/New_York.")).toBeInTheDocument();

    expect(screen.getByText("Megan Bowen")).toBeInTheDocument();
    expect(screen.getByText("Organiser · Europe/London")).toBeInTheDocument();
    expect(screen.getByText("Member · time zone not known yet")).toBeInTheDocument();
    expect(screen.getByText("Confidentiality: what is shared in the circle stays in the circle.")).toBeInTheDocument();
    expect(screen.getByText("Tue 5 Mar: Facilitator Priya Raman · Timekeeper Megan Bowen · Case owner Alex Wilber")).toBeInTheDocument();
    expect(screen.getByText("Tue 19 Mar: Facilitator Megan Bowen · Timekeeper Alex Wilber · Case owner Priya Raman")).toBeInTheDocument();
    expect(screen.getByRole("link", { name: "Join the next session in Teams" })).toHaveAttribute("href", "https://teams.example/join/1");
    expect(renderBooking).not.toHaveBeenCalled();
  });

  it("offers the booking flow while the circle has no series", async () => {
    const api = fakeApiByMethod({ "GET /api/circles/c1": { body: circleDetail() } });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<CirclePage circleId="c1" viewerTimeZone="Europe/London" onBack={vi.fn()} renderBooking={(c) => <p>{`Book ${c.name}`}</p>} />, fakeHost().connect);
    expect(await screen.findByText("Book New managers")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Next sessions" })).not.toBeInTheDocument();
  });

  it("skips a session after confirming, and shows what the API read back", async () => {
    const afterSkip = circleDetail({ series: { ...series, occurrences: occurrences.map((o) => (o.id === "occ-2" ? { ...o, status: "cancelled" } : o)) } });
    const { api } = renderCircle({ "POST /api/circles/c1/occurrences/occ-2/skip": { body: afterSkip } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Change the session on Tue 19 Mar 2030, 11:00" }));
    await user.click(await screen.findByRole("menuitem", { name: "Skip…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Skip this session?" });
    expect(within(dialog).getByText(/Tue 19 Mar 2030, 11:00 \(your time\)/)).toBeInTheDocument();
    await user.type(within(dialog).getByRole("textbox", { name: /Message to members/ }), "Offsite that week");
    await user.click(within(dialog).getByRole("button", { name: "Skip session" }));

    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    clearStaleModalHiding();
    expect(api.sent("POST /api/circles/c1/occurrences/occ-2/skip")[0]?.body).toEqual({ message: "Offsite that week" });
    expect(await screen.findByRole("status")).toHaveTextContent("The session on Tue 19 Mar 2030, 11:00 was skipped.");
    const skipped = within(sessionList()).getByRole("listitem", { name: "Tue 19 Mar 2030, 11:00, skipped" });
    expect(within(skipped).getByText("Skipped")).toBeInTheDocument();
    expect(within(skipped).queryByRole("button")).not.toBeInTheDocument();
  });

  it("moves one session to a time typed in the viewer's zone, or the rest of the series from it", async () => {
    const moved = circleDetail({
      series: { ...series, occurrences: [occurrences[0], { ...occurrences[1], start: "2030-03-20T14:00:00+00:00", end: "2030-03-20T15:00:00+00:00", status: "moved" }, occurrences[2]] },
    });
    const { api } = renderCircle({
      "POST /api/circles/c1/occurrences/occ-2/move": { body: moved },
      "POST /api/circles/c1/series/move": { body: moved },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Change the session on Tue 19 Mar 2030, 11:00" }));
    await user.click(await screen.findByRole("menuitem", { name: "Move…" }));
    let dialog = await screen.findByRole("alertdialog", { name: "Move this session" });
    const when = within(dialog).getByLabelText(/New start \(your time, America\/New_York\)/);
    expect(when).toHaveValue("2030-03-19T11:00");
    await user.clear(when);
    await user.type(when, "2030-03-20T10:00");
    await user.click(within(dialog).getByRole("button", { name: "Move" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    clearStaleModalHiding();
    // 10:00 in New York on 20 Mar (EDT, UTC−4) is sent with its offset.
    expect(api.sent("POST /api/circles/c1/occurrences/occ-2/move")[0]?.body).toEqual({ start: "2030-03-20T10:00:00-04:00" });
    expect(await within(sessionList()).findByRole("listitem", { name: "Wed 20 Mar 2030, 10:00, moved" })).toBeInTheDocument();

    await user.click(screen.getByRole("button", { name: "Change the session on Tue 2 Apr 2030, 10:00" }));
    await user.click(await screen.findByRole("menuitem", { name: "Move…" }));
    dialog = await screen.findByRole("alertdialog", { name: "Move this session" });
    await user.click(within(dialog).getByRole("checkbox", { name: /Also move every later session/ }));
    await user.click(within(dialog).getByRole("button", { name: "Move" }));
    await waitFor(() => expect(api.sent("POST /api/circles/c1/series/move")).toHaveLength(1));
    // The series moves from that session's date in the circle's own zone.
    expect(api.sent("POST /api/circles/c1/series/move")[0]?.body).toEqual({ fromDate: "2030-04-02", start: "2030-04-02T10:00:00-04:00" });
  });

  it("keeps the dialog open with the API's message when a change fails, then cancels the series", async () => {
    let fail = true;
    const cancelled = circleDetail({ series: { ...series, occurrences: occurrences.map((o) => ({ ...o, status: "cancelled" })) } });
    const { api } = renderCircle({
      "POST /api/circles/c1/series/cancel": () =>
        fail ? { status: 503, body: { error: { code: "graph_unavailable", message: "Outlook didn't answer. Try again in a minute." } } } : { body: cancelled },
    });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Cancel the series…" }));
    const dialog = await screen.findByRole("alertdialog", { name: "Cancel the whole series?" });
    await user.type(within(dialog).getByRole("textbox", { name: /Message to members/ }), "We're pausing for the summer");
    await user.click(within(dialog).getByRole("button", { name: "Cancel series" }));
    expect(await within(dialog).findByText("Outlook didn't answer. Try again in a minute.")).toBeInTheDocument();
    expect(within(dialog).getByText("Nothing was changed.")).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: /Message to members/ })).toHaveValue("We're pausing for the summer");

    fail = false;
    await user.click(within(dialog).getByRole("button", { name: "Cancel series" }));
    await waitFor(() => expect(screen.queryByRole("alertdialog")).not.toBeInTheDocument());
    clearStaleModalHiding();
    expect(await screen.findByText("This series was cancelled. Its sessions are no longer on anyone's calendar.")).toBeInTheDocument();
    expect(api.sent("POST /api/circles/c1/series/cancel").map((r) => r.body)).toEqual([{ message: "We're pausing for the summer" }, { message: "We're pausing for the summer" }]);
  });
});
