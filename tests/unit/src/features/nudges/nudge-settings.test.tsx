import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { NudgeSettings } from "../../../../../src/features/nudges/nudge-settings";
import { fakeHost } from "../../fake-host";
import { fakeApiByMethod } from "../fake-api";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const allOn = { prepReminder: true, reflectionPrompt: true, momentumFading: true, protectedTimeConflict: true, sessionDeclined: true };

/** A fake API that keeps the switches like the real one (PATCH changes only what it names), or refuses. */
function render(opts: { initial?: typeof allOn; patchStatus?: number; theme?: "default" | "dark" | "contrast" } = {}) {
  let stored = { ...(opts.initial ?? allOn) };
  const api = fakeApiByMethod({
    "GET /api/me/nudges": () => ({ body: stored }),
    "PATCH /api/me/nudges": (req) => {
      if (opts.patchStatus) return { status: opts.patchStatus, body: { error: { code: "service_unavailable", message: "Coaching Circles is busy. Try again in a minute." } } };
      stored = { ...stored, ...(req.body as Partial<typeof allOn>) };
      return { body: stored };
    },
  });
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<NudgeSettings />, fakeHost({ context: { theme: opts.theme ?? "default" } }).connect);
  return api;
}

describe("the personal tab's nudge switches", { timeout: 20_000 }, () => {
  it("lists each nudge as a labelled switch with what it does, showing what is saved", async () => {
    render({ initial: { ...allOn, momentumFading: false } });
    const section = await screen.findByRole("region", { name: "Nudges" });
    const list = await within(section).findByRole("list", { name: "Nudges" });
    const switches = within(list).getAllByRole("switch");
    expect(switches).toHaveLength(5);
    expect(within(section).getByRole("switch", { name: "Prep reminder the day before" })).toBeChecked();
    expect(within(section).getByRole("switch", { name: "Prep reminder the day before" })).toHaveAccessibleDescription(/At 09:00 your time: your last commitments/);
    expect(within(section).getByRole("switch", { name: "Reflection prompt after each session" })).toBeChecked();
    expect(within(section).getByRole("switch", { name: "Momentum fading" })).not.toBeChecked();
    expect(within(section).getByRole("switch", { name: "Meetings on your protected time" })).toBeChecked();
    // Declines have a switch of their own, separate from protected-time conflicts.
    expect(within(section).getByRole("switch", { name: "Sessions you decline" })).toBeChecked();
    expect(within(section).getByRole("switch", { name: "Sessions you decline" })).toHaveAccessibleDescription(/let your circle know/);
  });

  it("switches declined-session nudges off on their own", async () => {
    const api = render();
    const user = userEvent.setup();
    await user.click(await screen.findByRole("switch", { name: "Sessions you decline" }));
    await waitFor(() => expect(api.sent("PATCH /api/me/nudges")).toHaveLength(1));
    expect(api.sent("PATCH /api/me/nudges")[0]!.body).toEqual({ sessionDeclined: false });
    expect(await screen.findByRole("status")).toHaveTextContent("Sessions you decline turned off.");
    expect(screen.getByRole("switch", { name: "Meetings on your protected time" })).toBeChecked();
  });

  it("saves a switch from the keyboard, sending only that switch, and says it was saved", async () => {
    const api = render();
    const user = userEvent.setup();
    const prep = await screen.findByRole("switch", { name: "Prep reminder the day before" });
    for (let i = 0; i < 10 && document.activeElement !== prep; i++) await user.tab();
    expect(prep).toHaveFocus();
    await user.keyboard(" ");
    await waitFor(() => expect(api.sent("PATCH /api/me/nudges")).toHaveLength(1));
    expect(api.sent("PATCH /api/me/nudges")[0]!.body).toEqual({ prepReminder: false });
    expect(await screen.findByRole("status")).toHaveTextContent("Prep reminder the day before turned off.");
    expect(prep).not.toBeChecked();
    expect(screen.getByRole("switch", { name: "Momentum fading" })).toBeChecked();
  });

  it("moves the switch back and says what to do when saving fails", async () => {
    const api = render({ patchStatus: 503, theme: "contrast" });
    const user = userEvent.setup();
    const momentum = await screen.findByRole("switch", { name: "Momentum fading" });
    await user.click(momentum);
    expect(await screen.findByText("Your change was not saved.")).toBeInTheDocument();
    expect(api.sent("PATCH /api/me/nudges")[0]!.body).toEqual({ momentumFading: false });
    expect(screen.getByText(/Coaching Circles is busy\. Try again in a minute\./)).toBeInTheDocument();
    await waitFor(() => expect(momentum).toBeChecked());
  });

  it("offers to load again when the settings cannot be read", async () => {
    const api = fakeApiByMethod({ "GET /api/me/nudges": { status: 500, body: { error: { code: "internal", message: "Something went wrong on our side. Try again." } } } });
    vi.stubGlobal("fetch", api.fetchMock);
    renderPage(<NudgeSettings />, fakeHost().connect);
    expect(await screen.findByText("We couldn't load your nudge settings.")).toBeInTheDocument();
    expect(screen.queryByRole("switch")).not.toBeInTheDocument();
    const user = userEvent.setup();
    await user.click(screen.getByRole("button", { name: "Load nudge settings again" }));
    await waitFor(() => expect(api.sent("GET /api/me/nudges")).toHaveLength(2));
  });
});
