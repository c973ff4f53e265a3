import "../../layout-shim";
import { act, cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TeamSection } from "../../../../../src/features/team/team-section";
import { fakeApi, fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const mondays = Array.from({ length: 12 }, (_, i) => new Date(Date.UTC(2026, 2, 16 + 7 * i)).toISOString().slice(0, 10));
const shown = {
  status: "shown",
  threshold: 5,
  participants: 5,
  protectedHours: {
    weeks: mondays.map((weekStart, i) => ({ weekStart, sessionHours: i < 2 ? 0 : 5, prepHours: i < 2 ? 0 : 1.25, reflectionHours: i < 2 ? 0 : 0.83, totalHours: i < 2 ? 0 : 7.08 })),
    averagePerParticipantPerWeek: 1.18,
    blocksProtected: 96,
    blocksOverridden: 3,
  },
  sessions: { held: 44, planned: 50 },
  commitmentCompletion: { status: "shown", rate: 0.7, reviewed: 5 },
  circles: { active: 2, atRisk: 1 },
};

function render(body: unknown, opts: { status?: number; theme?: "default" | "dark" | "contrast" } = {}) {
  const fetchMock = fakeApi({ "/api/team": { status: opts.status ?? 200, body } });
  vi.stubGlobal("fetch", fetchMock);
  renderPage(<TeamSection />, fakeHost({ context: { theme: opts.theme ?? "default" } }).connect);
  return fetchMock;
}

describe("the manager's team section", { timeout: 20_000 }, () => {
  it("charts protected hours per week with a text alternative, and shows sessions, completion and circles at risk", async () => {
    const fetchMock = render(shown);
    const section = await screen.findByRole("region", { name: "Your team" });
    expect(new Headers(fetchMock.mock.calls[0]?.[1]?.headers).get("Authorization")).toBe("Bearer test-token");

    // The chart is one image with a spoken summary (the bars themselves are hidden from screen readers).
    const chart = within(section).getByRole("img", { name: /Protected coaching hours per week for your team, 12 weeks from 16 March/ });
    expect(chart).toHaveAccessibleName(expect.stringContaining("between 0 and 7.1 hours a week, last week 7.1"));
    expect(chart.querySelectorAll("rect")).toHaveLength(10 * 3);
    expect(within(section).getByText("5 of your reports take part in coaching circles. Figures cover the last 12 complete weeks.")).toBeInTheDocument();

    const figures = within(section).getByRole("list", { name: "Team figures" });
    const items = within(figures).getAllByRole("listitem");
    expect(items[0]).toHaveTextContent("Sessions held44 of 50");
    expect(within(items[0]!).getByRole("progressbar", { name: "Sessions held: 88% of those planned" })).toBeInTheDocument();
    expect(items[1]).toHaveTextContent("Commitment completion70%");
    expect(items[2]).toHaveTextContent("Circles at risk1 of 2");
    expect(items[3]).toHaveTextContent("1.2 h a week");
    expect(items[3]).toHaveTextContent("96 prep and reflection blocks kept, 3 overridden");
    // Protected vs overridden, as a share and in words.
    expect(items[4]).toHaveTextContent("Protected time kept97%");
    expect(items[4]).toHaveTextContent("96 of 99 prep and reflection blocks kept free; 3 had another meeting accepted on top.");
    expect(within(items[4]!).getByRole("progressbar", { name: "Protected time kept: 97% of prep and reflection blocks" })).toBeInTheDocument();
    expect(items[0]).toHaveTextContent("attendance report");
  });

  it("says so plainly when no prep or reflection time was protected", async () => {
    render({ ...shown, protectedHours: { ...shown.protectedHours, blocksProtected: 0, blocksOverridden: 0 } });
    const figures = await screen.findByRole("list", { name: "Team figures" });
    const kept = within(figures).getAllByRole("listitem")[4]!;
    expect(kept).toHaveTextContent("No prep or reflection time was protected in these weeks.");
    expect(within(kept).queryByRole("progressbar")).not.toBeInTheDocument();
  });

  it("opens the weekly table from the keyboard", async () => {
    render(shown);
    const user = userEvent.setup();
    const toggle = await screen.findByRole("button", { name: "Show the weekly figures as a table" });
    expect(toggle).toHaveAttribute("aria-expanded", "false");
    expect(screen.queryByRole("table")).not.toBeInTheDocument();
    for (let i = 0; i < 10 && document.activeElement !== toggle; i++) await user.tab();
    expect(toggle).toHaveFocus();
    await user.keyboard("{Enter}");
    expect(toggle).toHaveAttribute("aria-expanded", "true");
    expect(toggle).toHaveAccessibleName("Hide the weekly figures");
    const table = screen.getByRole("table", { name: "Protected coaching hours per week" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(13);
    expect(rows[0]).toHaveTextContent("Week ofSessions (h)Prep (h)Reflection (h)Total (h)");
    expect(rows[1]).toHaveTextContent("16 Mar0000");
    // Hours to one decimal: 5 + 1.25 + 0.83 = 7.08.
    expect(rows[12]).toHaveTextContent("1 Jun51.30.87.1");
  });

  it("below the threshold, says why nothing is shown and shows no figures", async () => {
    render({ status: "hidden", threshold: 5, reason: { code: "tooFewParticipants", message: "Team figures appear once at least 5 of your reports take part in coaching circles." } }, { theme: "contrast" });
    const section = await screen.findByRole("region", { name: "Your team" });
    expect(within(section).getByText("No team figures yet")).toBeInTheDocument();
    expect(section).toHaveTextContent("Team figures appear once at least 5 of your reports take part in coaching circles.");
    expect(within(section).queryByRole("img")).not.toBeInTheDocument();
    expect(within(section).queryByRole("list", { name: "Team figures" })).not.toBeInTheDocument();
  });

  it("withholds commitment completion on its own when too few people reviewed any", async () => {
    render({ ...shown, commitmentCompletion: { status: "hidden", reason: { code: "tooFewContributors", message: "Commitment completion appears once at least 5 of your reports have reviewed commitments in these weeks." } } }, { theme: "dark" });
    const figures = await screen.findByRole("list", { name: "Team figures" });
    expect(within(figures).getAllByRole("listitem")[1]).toHaveTextContent("Commitment completionCommitment completion appears once at least 5");
    expect(within(figures).getAllByRole("listitem")[1]).not.toHaveTextContent("%");
  });

  it("is not there at all for someone who manages nobody", async () => {
    const fetchMock = render({ status: "hidden", threshold: 5, reason: { code: "noReports", message: "Nobody reports to you in the directory, so there is no team to show." } });
    await waitFor(() => expect(fetchMock).toHaveBeenCalled());
    // Let the answer arrive and render.
    await act(async () => {
      await fetchMock.mock.results[0]?.value;
      await new Promise((r) => setTimeout(r, 20));
    });
    expect(screen.queryByRole("region", { name: "Your team" })).not.toBeInTheDocument();
    expect(screen.queryByText(/Nobody reports to you/)).not.toBeInTheDocument();
  });

  it("says what went wrong and offers a retry that recovers when the figures can't be loaded", async () => {
    let fail = true;
    vi.stubGlobal(
      "fetch",
      fakeApi({ "/api/team": () => (fail ? { status: 503, body: { error: { code: "graph_unavailable", message: "Microsoft 365 is not answering right now." } } } : { body: shown }) }),
    );
    const user = userEvent.setup();
    renderPage(<TeamSection />, fakeHost().connect);
    const section = await screen.findByRole("region", { name: "Your team" });
    expect(within(section).getByText("We couldn't load your team's figures.")).toBeInTheDocument();
    expect(section).toHaveTextContent("Microsoft 365 is not answering right now.");
    fail = false;
    await user.click(within(section).getByRole("button", { name: "Load team figures again" }));
    expect(await within(section).findByRole("list", { name: "Team figures" })).toBeInTheDocument();
  });
});
