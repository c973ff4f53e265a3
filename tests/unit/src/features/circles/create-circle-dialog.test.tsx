import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TabPage } from "../../../../../src/app/tab/tab-page";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";
import { circleDetail, clearStaleModalHiding, fakeApiByMethod, formats, people, priyaMe } from "../fake-api";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function directory(q: string) {
  const needle = q.toLowerCase();
  return Object.values(people).filter((p) => p.displayName.toLowerCase().startsWith(needle));
}

function setup(createAnswers: Array<{ status: number; body: unknown }>) {
  const api = fakeApiByMethod({
    "GET /api/me": { body: priyaMe },
    "GET /api/circles": { body: { circles: [] } },
    "GET /api/formats": { body: { formats } },
    "GET /api/people": ({ query }) => ({ body: { people: directory(query.get("q") ?? "") } }),
    "POST /api/circles": () => createAnswers.shift() ?? { status: 500, body: { error: { code: "x", message: "unexpected" } } },
    "GET /api/circles/c1": { body: circleDetail() },
    "POST /api/circles/c1/slots": { body: { slots: [] } },
  });
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<TabPage />, fakeHost().connect);
  return api;
}

async function openDialog() {
  const user = userEvent.setup();
  // The tab loads the profile and the circle list first; a cold, busy jsdom can take a while.
  await user.click(await screen.findByRole("button", { name: "Create a circle" }, { timeout: 10_000 }));
  const dialog = await screen.findByRole("dialog", { name: "Create a circle" });
  return { user, dialog };
}

async function addMember(user: ReturnType<typeof userEvent.setup>, dialog: HTMLElement, typed: string, name: string) {
  await user.type(within(dialog).getByRole("combobox", { name: /^Members/ }), typed);
  await user.click(await screen.findByRole("option", { name: new RegExp(name) }));
}

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("creating a circle from the personal tab", { timeout: 90_000 }, () => {
  it("says what is missing before sending anything, and puts focus on the first problem", async () => {
    const api = setup([]);
    const { user, dialog } = await openDialog();
    // The viewer's zone and the first format are filled in for them.
    await waitFor(() => expect(within(dialog).getByRole("combobox", { name: /Time zone/ })).toHaveValue("Europe/London"));
    expect(await within(dialog).findByRole("combobox", { name: /Format/ })).toHaveTextContent("Coaching circle");

    await user.click(within(dialog).getByRole("button", { name: "Create circle" }));
    expect(within(dialog).getByText("Give the circle a name.")).toBeInTheDocument();
    expect(within(dialog).getByText(/A circle needs at least 3 people including you: add 2 more/)).toBeInTheDocument();
    expect(within(dialog).getByText("Fix 2 things above before creating the circle.")).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: /Name/ })).toHaveFocus();

    const minutes = within(dialog).getByRole("spinbutton", { name: /Session length/ });
    await user.clear(minutes);
    await user.type(minutes, "15");
    expect(within(dialog).getByText("Enter a session length from 20 to 90 minutes.")).toBeInTheDocument();
    await user.click(within(dialog).getByRole("radio", { name: /Pair/ }));
    expect(within(dialog).getByText("Add the person you'll pair with.")).toBeInTheDocument();
    expect(api.sent("POST /api/circles")).toHaveLength(0);
  });

  it("shows segments of the chosen format fitted to the session length", async () => {
    setup([]);
    const { user, dialog } = await openDialog();
    const agenda = await within(dialog).findByRole("list", { name: "Agenda of Coaching circle" });
    expect(within(agenda).getByText("check-in round · 8 min")).toBeInTheDocument();
    const minutes = within(dialog).getByRole("spinbutton", { name: /Session length/ });
    await user.clear(minutes);
    await user.type(minutes, "30");
    expect(within(agenda).getByText("check-in round · 4 min")).toBeInTheDocument();
    expect(within(agenda).getByText("question storm · 15 min")).toBeInTheDocument();
  });

  it("shows the API's refusal inline, keeps everything typed, and opens the new circle once it is created", async () => {
    const api = setup([
      { status: 400, body: { error: { code: "unknown_member", message: "No one in your directory has the address alex.wilber@contoso.example." } } },
      { status: 201, body: circleDetail() },
    ]);
    const { user, dialog } = await openDialog();
    await user.type(within(dialog).getByRole("textbox", { name: /Name/ }), "New managers");
    await user.type(within(dialog).getByRole("textbox", { name: /Purpose/ }), "Practise hard conversations");
    await addMember(user, dialog, "Meg", "Megan Bowen");
    await addMember(user, dialog, "Ale", "Alex Wilber");
    await user.click(within(dialog).getByRole("radio", { name: "Every 4 weeks" }));
    await user.click(within(dialog).getByRole("button", { name: "Create circle" }));

    expect(await within(dialog).findByText("No one in your directory has the address alex.wilber@contoso.example.")).toBeInTheDocument();
    expect(within(dialog).getByText("The circle wasn't created.")).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: /Name/ })).toHaveValue("New managers");
    expect(within(dialog).getByText("Alex Wilber")).toBeInTheDocument();

    await user.click(within(dialog).getByRole("button", { name: "Create circle" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    clearStaleModalHiding();
    const [, second] = api.sent("POST /api/circles");
    expect(second?.body).toEqual({
      name: "New managers",
      purpose: "Practise hard conversations",
      members: [people.megan.upn, people.alex.upn],
      formatId: "coaching-circle",
      cadence: "every4weeks",
      sessionMinutes: 60,
      sessionCount: 12,
      timeZone: "Europe/London",
      charter: expect.arrayContaining([expect.stringMatching(/^Confidentiality/)]),
      rotateRoles: true,
    });
    // The people picker searched the directory with what was typed.
    expect(api.sent("GET /api/people").map((r) => r.query.get("q"))).toEqual(expect.arrayContaining(["Meg", "Ale"]));
    // The new circle opens on its fair-time step.
    const heading = await screen.findByRole("heading", { name: "New managers" });
    // Keyboard and screen reader land on the new circle, not on the body.
    expect(heading).toHaveFocus();
    expect(await screen.findByRole("heading", { name: "Find a fair time" })).toBeInTheDocument();
  });

  it("offers an end date instead of a number of sessions, and sends only the date", async () => {
    const api = setup([{ status: 201, body: circleDetail({ endsOn: "2030-06-28" }) }]);
    const { user, dialog } = await openDialog();
    await user.type(within(dialog).getByRole("textbox", { name: /Name/ }), "Until summer");
    await addMember(user, dialog, "Meg", "Megan Bowen");
    await addMember(user, dialog, "Ale", "Alex Wilber");
    expect(within(dialog).getByRole("radio", { name: "Number of sessions" })).toBeChecked();
    await user.click(within(dialog).getByRole("radio", { name: "Until (date)" }));
    expect(within(dialog).queryByRole("spinbutton", { name: /Number of sessions/ })).not.toBeInTheDocument();
    const date = within(dialog).getByLabelText(/Last session on or before/);

    // A missing or past date is caught before anything is sent.
    await user.click(within(dialog).getByRole("button", { name: "Create circle" }));
    expect(within(dialog).getByText("Choose the date of the last session, e.g. 2026-12-18.")).toBeInTheDocument();
    expect(date).toHaveFocus();
    await user.type(date, "2020-01-31");
    expect(within(dialog).getByText("Choose a date after today: sessions can start tomorrow at the earliest.")).toBeInTheDocument();
    expect(api.sent("POST /api/circles")).toHaveLength(0);

    await user.clear(date);
    await user.type(date, "2030-06-28");
    await user.click(within(dialog).getByRole("button", { name: "Create circle" }));
    await waitFor(() => expect(api.sent("POST /api/circles")).toHaveLength(1));
    const body = api.sent("POST /api/circles")[0]?.body as Record<string, unknown>;
    expect(body).toMatchObject({ name: "Until summer", endsOn: "2030-06-28" });
    expect(body).not.toHaveProperty("sessionCount");
  });
});
