import "../../layout-shim";
import { cleanup, fireEvent, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ProgramsSection } from "../../../../../src/features/programs/programs-section";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { fakeApiByMethod } from "../fake-api";
import { alex, booking, diego, enrolledSix, formats, formedDraft, megan, program, shownHealth } from "./program-fixtures";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Routes = Parameters<typeof fakeApiByMethod>[0];

function render(routes: Routes, theme: "default" | "dark" | "contrast" = "default") {
  const api = fakeApiByMethod({ "GET /api/formats": { body: formats }, ...routes });
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<ProgramsSection />, fakeHost({ context: { theme } }).connect);
  return api;
}

const summary = { id: "p1", purpose: "Help new managers handle hard conversations", durationWeeks: 24, enrolled: 6, draftCircles: 2, stage: "formed", createdAt: "2030-01-01T09:00:00.000Z" };

async function openProgram(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole("button", { name: "Open program: Help new managers handle hard conversations" }));
  return screen.findByRole("heading", { level: 2, name: "Help new managers handle hard conversations" });
}

describe("the program owner's section", { timeout: 30_000 }, () => {
  it("creates a program from purpose, duration, formats and size, then opens it at the enrol step", async () => {
    const api = render({
      "GET /api/programs": { body: { programs: [] } },
      "POST /api/programs": (req) => ({ status: 201, body: program({ purpose: (req.body as { purpose: string }).purpose, size: "pairs" }) }),
    });
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Programs" });
    expect(await within(section).findByText("You don't own any programs yet.")).toBeInTheDocument();
    await user.click(within(section).getByRole("button", { name: "Create a program" }));

    const form = screen.getByRole("form", { name: "Create a program" });
    // Nothing typed yet: the form says what is missing and sends nothing.
    await user.click(within(form).getByRole("button", { name: "Create program" }));
    expect(within(form).getByText(/Say what the program is for/)).toBeInTheDocument();
    expect(api.sent("POST /api/programs")).toHaveLength(0);

    await user.type(within(form).getByRole("textbox", { name: /Purpose/ }), "Help new managers handle hard conversations");
    const weeks = within(form).getByRole("spinbutton", { name: /Duration/ });
    await user.clear(weeks);
    await user.type(weeks, "12");
    // The first format is chosen until the owner changes it; add the second.
    expect(await within(form).findByRole("checkbox", { name: "Coaching circle (60 min)" })).toBeChecked();
    await user.click(within(form).getByRole("checkbox", { name: "Micro-session (25 min)" }));
    await user.click(within(form).getByRole("radio", { name: "Pairs" }));
    expect(within(form).queryByRole("spinbutton", { name: "Smallest" })).not.toBeInTheDocument();
    await user.click(within(form).getByRole("button", { name: "Create program" }));

    expect(await screen.findByRole("heading", { level: 2, name: "Help new managers handle hard conversations" })).toHaveFocus();
    expect(api.sent("POST /api/programs")[0]?.body).toEqual({ purpose: "Help new managers handle hard conversations", durationWeeks: 12, formatIds: ["coaching-circle", "micro-session"], size: "pairs" });
    expect(screen.getByRole("region", { name: "1. Enrol people" })).toHaveTextContent("Nobody is enrolled yet.");
    expect(screen.getByRole("button", { name: "Form circles" })).toBeDisabled();
  });

  it("refuses a smallest size above the largest before asking the server", async () => {
    const api = render({ "GET /api/programs": { body: { programs: [] } } }, "dark");
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Create a program" }));
    const form = screen.getByRole("form", { name: "Create a program" });
    await user.type(within(form).getByRole("textbox", { name: /Purpose/ }), "Pilot");
    const smallest = within(form).getByRole("spinbutton", { name: "Smallest" });
    await user.clear(smallest);
    await user.type(smallest, "7");
    await user.click(within(form).getByRole("button", { name: "Create program" }));
    expect(within(form).getByText("The smallest size can't be larger than the largest.")).toBeInTheDocument();
    expect(api.sent("POST /api/programs")).toHaveLength(0);
  });

  it("enrols pasted people and lists the ones it could not enrol with the reason", async () => {
    let current = program();
    const api = render({
      "GET /api/programs": { body: { programs: [{ ...summary, enrolled: 0, draftCircles: 0, stage: "enrolling" }] } },
      "GET /api/programs/p1": () => ({ body: current }),
      "POST /api/programs/p1/enrolments": () => {
        current = program({ enrolled: [alex, megan] });
        return {
          body: {
            enrolled: [alex, megan],
            rejected: [
              { upn: "nobody@contoso.example", reason: "Not in your organisation's directory." },
              { upn: "not-an-upn", reason: "This is not a user principal name (like megan.bowen@contoso.example)." },
            ],
            program: current,
          },
        };
      },
    });
    const user = userEvent.setup();
    await openProgram(user);
    const panel = screen.getByRole("region", { name: "1. Enrol people" });
    await user.type(within(panel).getByRole("textbox", { name: /People to enrol/ }), "alex.wilber@contoso.example, megan.bowen@contoso.example\nnobody@contoso.example not-an-upn");
    await user.click(within(panel).getByRole("button", { name: "Enrol these people" }));

    const result = await within(panel).findByRole("status");
    expect(result).toHaveTextContent("2 people enrolled. 2 could not be enrolled:");
    const rejected = within(result).getByRole("list", { name: "People not enrolled" });
    expect(within(rejected).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
      "nobody@contoso.example: Not in your organisation's directory.",
      "not-an-upn: This is not a user principal name (like megan.bowen@contoso.example).",
    ]);
    // Sent as the API's CSV so that each bad entry comes back with its own reason.
    expect(api.sent("POST /api/programs/p1/enrolments")[0]?.body).toEqual({
      csv: 'upn\n"alex.wilber@contoso.example"\n"megan.bowen@contoso.example"\n"nobody@contoso.example"\n"not-an-upn"',
    });
    expect(panel).toHaveTextContent("2 people are enrolled.");
    expect(within(panel).getByRole("textbox", { name: /People to enrol/ })).toHaveValue("");
  });

  it("enrols from a chosen CSV file, and says why when the file is refused", async () => {
    const api = render({
      "GET /api/programs": { body: { programs: [{ ...summary, enrolled: 0, draftCircles: 0, stage: "enrolling" }] } },
      "GET /api/programs/p1": { body: program() },
      "POST /api/programs/p1/enrolments": { status: 400, body: { error: { code: "bad_request", message: 'Invalid request: csv: the first row must be a header with a "upn" column.' } } },
    });
    const user = userEvent.setup();
    await openProgram(user);
    const panel = screen.getByRole("region", { name: "1. Enrol people" });
    expect(within(panel).getByRole("button", { name: "Choose a CSV file…" })).toBeEnabled();
    const file = new File(["email\nalex.wilber@contoso.example\n"], "pool.csv", { type: "text/csv" });
    await user.upload(within(panel).getByLabelText("CSV file of people to enrol"), file);

    expect(await within(panel).findByText("Nobody was enrolled.")).toBeInTheDocument();
    expect(panel).toHaveTextContent('the first row must be a header with a "upn" column.');
    expect(api.sent("POST /api/programs/p1/enrolments")[0]?.body).toEqual({ csv: "email\nalex.wilber@contoso.example\n" });
  });

  it("forms circles, shows each with its explanation and the people not placed with why, and moves a person", async () => {
    let current = program({ enrolled: [...enrolledSix] });
    const api = render({
      "GET /api/programs": { body: { programs: [{ ...summary, draftCircles: 0, stage: "enrolling" }] } },
      "GET /api/programs/p1": () => ({ body: current }),
      "POST /api/programs/p1/circles/form": () => {
        current = program({ enrolled: [...enrolledSix], draft: formedDraft });
        return { body: current };
      },
      "POST /api/programs/p1/circles/adjust": (req) => {
        const { personId, toCircle } = req.body as { personId: string; toCircle: number };
        if (personId === alex.id && toCircle === 1) {
          return { status: 400, body: { error: { code: "bad_request", message: "Alex Wilber cannot join circle 2: their manager Megan Bowen is in it, and circles never put a manager and their report together." } } };
        }
        const [a, b] = formedDraft.circles;
        current = program({ enrolled: [...enrolledSix], draft: { ...formedDraft, circles: [{ ...a!, members: a!.members.filter((m) => m.id !== personId) }, { ...b!, members: [...b!.members, diego] }] } });
        return { body: current };
      },
    });
    const user = userEvent.setup();
    await openProgram(user);
    await user.click(screen.getByRole("button", { name: "Form circles" }));

    const circles = await screen.findByRole("list", { name: "Formed circles" });
    const cards = within(circles).getAllByRole("listitem", { name: /^Circle \d/ });
    expect(cards).toHaveLength(2);
    expect(cards[0]).toHaveAccessibleName("Circle 1 (3 people)");
    expect(cards[0]).toHaveTextContent("3 departments, 2 levels; 2 h a week of shared working time");
    expect(within(cards[0]!).getByRole("list", { name: "Members of circle 1" })).toHaveTextContent("Alex WilberDiego SicilianiLee Gu");
    expect(within(cards[1]!).getByRole("list", { name: "Notes on circle 2" })).toHaveTextContent("Time zones span 5 hours.");
    expect(screen.getByRole("list", { name: "People not placed" })).toHaveTextContent("Nestor Wilke: Their working hours could not be read from their calendar; ask them to set them in Outlook.");

    // The server refuses a manager–report pair: its reason is shown and the circles stay as they were.
    const move = screen.getByRole("form", { name: "Move a person to another circle" });
    await user.selectOptions(within(move).getByRole("combobox", { name: "Person" }), "Alex Wilber (circle 1)");
    await user.selectOptions(within(move).getByRole("combobox", { name: "Into circle" }), "Circle 2 (3)");
    await user.click(within(move).getByRole("button", { name: "Move" }));
    const refusal = await within(move).findByRole("alert");
    expect(refusal).toHaveTextContent("That move was refused. Alex Wilber cannot join circle 2: their manager Megan Bowen is in it");
    expect(cards[1]).toHaveAccessibleName("Circle 2 (3 people)");

    await user.selectOptions(within(move).getByRole("combobox", { name: "Person" }), "Diego Siciliani (circle 1)");
    await user.click(within(move).getByRole("button", { name: "Move" }));
    expect(await within(move).findByRole("status")).toHaveTextContent("Diego Siciliani moved into circle 2.");
    expect(within(screen.getByRole("list", { name: "Formed circles" })).getAllByRole("listitem", { name: /^Circle \d/ })[1]).toHaveAccessibleName("Circle 2 (4 people)");
    expect(screen.getByRole("list", { name: "Members of circle 2" })).toHaveTextContent("Diego Siciliani");
    expect(api.sent("POST /api/programs/p1/circles/adjust").map((r) => r.body)).toEqual([
      { personId: alex.id, toCircle: 1 },
      { personId: diego.id, toCircle: 1 },
    ]);
  });

  it("books the cohort with a progress bar that follows the server until every circle is booked, then shows the health", async () => {
    let current = program({ enrolled: [...enrolledSix], draft: formedDraft });
    const progress = [booking(0, 2, "running"), booking(1, 2, "running"), booking(2, 2, "succeeded")];
    let polls = 0;
    const api = render({
      "GET /api/programs": { body: { programs: [summary] } },
      "GET /api/programs/p1": () => ({ body: current }),
      "POST /api/programs/p1/booking": () => {
        current = program({ enrolled: [...enrolledSix], draft: formedDraft, booking: progress[0] });
        return { status: 202, body: { jobId: "job-1" } };
      },
      "GET /api/programs/p1/booking": () => ({ body: progress[Math.min(polls++, progress.length - 1)]! }),
      "GET /api/programs/p1/health": { body: { status: "hidden", threshold: 5, reason: { code: "notBooked", message: "Nothing is booked yet." } } },
    });
    const user = userEvent.setup();
    await openProgram(user);
    const panel = screen.getByRole("region", { name: "3. Book the cohort" });
    const day = within(panel).getByLabelText(/First day sessions may start/);
    fireEvent.change(day, { target: { value: "2000-01-01" } });
    await user.click(within(panel).getByRole("button", { name: "Book all 2 circles" }));
    expect(within(panel).getByText("Choose a day after today.")).toBeInTheDocument();
    expect(api.sent("POST /api/programs/p1/booking")).toHaveLength(0);

    fireEvent.change(day, { target: { value: "2099-03-02" } });
    await user.click(within(panel).getByRole("button", { name: "Book all 2 circles" }));
    const bar = await within(panel).findByRole("progressbar");
    await waitFor(() => expect(within(panel).getByRole("status")).toHaveTextContent("Booking circles: 1 of 2 booked…"), { timeout: 5_000 });
    await waitFor(() => expect(within(panel).getByRole("status")).toHaveTextContent("All 2 circles are booked."), { timeout: 5_000 });
    expect(bar).toHaveAttribute("aria-valuenow", "2");
    expect(bar).toHaveAttribute("aria-valuemax", "2");
    expect(api.sent("POST /api/programs/p1/booking")[0]?.body).toEqual({ startOn: "2099-03-02" });
    // Once booked: no more enrolling or moving people, and the health dashboard is there.
    expect(await screen.findByRole("region", { name: "4. Program health" })).toBeInTheDocument();
    expect(screen.queryByRole("region", { name: "1. Enrol people" })).not.toBeInTheDocument();
    expect(screen.queryByRole("form", { name: "Move a person to another circle" })).not.toBeInTheDocument();
    // Polling stopped at the end.
    const after = api.sent("GET /api/programs/p1/booking").length;
    await new Promise((r) => setTimeout(r, 1_800));
    expect(api.sent("GET /api/programs/p1/booking")).toHaveLength(after);
  });

  it("after a failed cohort booking, says what happened and books the rest without booking twice", async () => {
    const failed = booking(1, 2, "failed");
    const api = render({
      "GET /api/programs": { body: { programs: [{ ...summary, stage: "booking" }] } },
      "GET /api/programs/p1": { body: program({ enrolled: [...enrolledSix], draft: formedDraft, booking: failed }) },
      "GET /api/programs/p1/booking": { body: failed },
      "POST /api/programs/p1/booking": { status: 202, body: { jobId: "job-1" } },
      "GET /api/programs/p1/health": { body: { status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: "Program figures appear once at least 5 enrolled people take part in its booked circles." } } },
    });
    const user = userEvent.setup();
    await openProgram(user);
    const panel = screen.getByRole("region", { name: "3. Book the cohort" });
    expect(await within(panel).findByRole("status")).toHaveTextContent("Booking stopped with 1 of 2 circles booked.");
    expect(panel).toHaveTextContent("Book again to continue where it stopped: circles already booked are not booked twice.");
    fireEvent.change(within(panel).getByLabelText(/First day sessions may start/), { target: { value: "2099-03-02" } });
    await user.click(within(panel).getByRole("button", { name: "Book the rest" }));
    await waitFor(() => expect(api.sent("POST /api/programs/p1/booking")).toHaveLength(1));
  });

  it("shows the health dashboard as charts with a table, figures and a CSV download — aggregates only", async () => {
    const api = render(
      {
        "GET /api/programs": { body: { programs: [{ ...summary, stage: "booking" }] } },
        "GET /api/programs/p1": { body: program({ enrolled: [...enrolledSix], draft: formedDraft, booking: booking(2, 2, "succeeded") }) },
        "GET /api/programs/p1/booking": { body: booking(2, 2, "succeeded") },
        "GET /api/programs/p1/health": { body: shownHealth },
      },
      "contrast",
    );
    const csv = "\uFEFFFigure,Value,Note\r\nPeople taking part,6,\r\n";
    const createObjectURL = vi.fn(() => "blob:program-health");
    const revokeObjectURL = vi.fn();
    vi.stubGlobal("URL", Object.assign(URL, { createObjectURL, revokeObjectURL }));
    const clicks: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicks.push(`${this.download} ${this.href}`);
    });
    const user = userEvent.setup();
    await openProgram(user);
    const health = screen.getByRole("region", { name: "4. Program health" });
    const chart = await within(health).findByRole("img", { name: /Protected coaching hours per week across the program, 12 weeks from 7 January/ });
    expect(chart).toHaveAccessibleName(expect.stringContaining("between 0 and 8.5 hours a week, last week 8.5"));
    expect(chart.querySelectorAll("rect")).toHaveLength(10 * 3);
    expect(health).toHaveTextContent("6 people take part in 2 booked circles. Figures cover the last 12 complete weeks.");

    const figures = within(health).getAllByRole("listitem").filter((li) => li.closest('[aria-label="Program figures"]'));
    expect(figures.map((f) => f.textContent)).toEqual([
      expect.stringContaining("Sessions held17 of 20"),
      expect.stringContaining("Circles at risk1 of 2"),
      expect.stringContaining("Commitment completion70%"),
      expect.stringContaining("Usefulness pulse4.2 / 5"),
      expect.stringContaining("1.2 h a week"),
      expect.stringContaining("Insights shared2"),
    ]);
    expect(within(health).getByRole("progressbar", { name: "Sessions held: 85% of those planned" })).toBeInTheDocument();
    expect(within(health).getByRole("progressbar", { name: "Usefulness pulse: 4.2 out of 5" })).toBeInTheDocument();
    // No names anywhere in the dashboard.
    for (const p of enrolledSix) expect(health).not.toHaveTextContent(p.displayName);

    // The weekly table opens from the keyboard.
    const toggle = within(health).getByRole("button", { name: "Show the weekly figures as a table" });
    toggle.focus();
    await user.keyboard("{Enter}");
    const table = within(health).getByRole("table", { name: "Protected coaching hours per week across the program" });
    expect(within(table).getAllByRole("row")).toHaveLength(13);
    expect(within(table).getAllByRole("row")[3]).toHaveTextContent("21 Jan61.518.5");

    // The export answers CSV, not JSON: served here, everything else by the table above.
    const withExport = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) =>
      String(input).endsWith("/health/export")
        ? new Response(csv, { status: 200, headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": 'attachment; filename="program-health-2030-04-01.csv"' } })
        : api.fetchMock(input, init),
    );
    vi.stubGlobal("fetch", withExport);
    await user.click(within(health).getByRole("button", { name: "Download CSV" }));
    expect(await within(health).findByRole("status")).toHaveTextContent("Saved program-health-2030-04-01.csv.");
    expect(clicks).toEqual(["program-health-2030-04-01.csv blob:program-health"]);
    const [blob] = createObjectURL.mock.calls[0] as unknown as [Blob];
    // The byte-order mark survives, so spreadsheet apps read the file as UTF-8.
    expect([...new Uint8Array(await blob.arrayBuffer()).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(await blob.text()).toBe(csv.slice(1));
    const exportCall = withExport.mock.calls.find(([input]) => String(input).endsWith("/health/export"))!;
    expect(String(exportCall[0])).toBe("/api/programs/p1/health/export");
    expect(new Headers(exportCall[1]?.headers).get("Authorization")).toBe("Bearer test-token");
    click.mockRestore();
  });

  it("below the threshold, says why no figures are shown and shows none; a refused download says why", async () => {
    render({
      "GET /api/programs": { body: { programs: [{ ...summary, stage: "booking" }] } },
      "GET /api/programs/p1": { body: program({ enrolled: [...enrolledSix], draft: formedDraft, booking: booking(2, 2, "succeeded") }) },
      "GET /api/programs/p1/booking": { body: booking(2, 2, "succeeded") },
      "GET /api/programs/p1/health": { body: { status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: "Program figures appear once at least 5 enrolled people take part in its booked circles." } } },
      "GET /api/programs/p1/health/export": { status: 404, body: { error: { code: "not_found", message: "The program was not found." } } },
    });
    const user = userEvent.setup();
    await openProgram(user);
    const health = screen.getByRole("region", { name: "4. Program health" });
    expect(await within(health).findByText("No program figures yet")).toBeInTheDocument();
    expect(health).toHaveTextContent("Program figures appear once at least 5 enrolled people take part in its booked circles.");
    expect(within(health).queryByRole("img")).not.toBeInTheDocument();
    expect(within(health).queryByRole("list", { name: "Program figures" })).not.toBeInTheDocument();

    await user.click(within(health).getByRole("button", { name: "Download CSV" }));
    expect(await within(health).findByText("The CSV wasn't downloaded.")).toBeInTheDocument();
    expect(health).toHaveTextContent("The program was not found.");
  });

  it("says what went wrong when the programs can't be loaded, with its own retry", async () => {
    let fail = true;
    render({
      "GET /api/programs": () => (fail ? { status: 503, body: { error: { code: "service_unavailable", message: "Coaching Circles is restarting. Try again in a moment." } } } : { body: { programs: [summary] } }),
    });
    const user = userEvent.setup();
    expect(await screen.findByText("We couldn't load your programs.")).toBeInTheDocument();
    fail = false;
    await user.click(screen.getByRole("button", { name: "Load programs again" }));
    expect(await screen.findByRole("list", { name: "Your programs" })).toHaveTextContent("6 enrolled · 24 weeks · circles formed, not booked");
  });
});
