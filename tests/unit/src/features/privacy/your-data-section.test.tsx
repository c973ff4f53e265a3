import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { YourDataSection } from "../../../../../src/features/privacy/your-data-section";
import { fakeApiByMethod } from "../fake-api";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

const exported = {
  format: "coaching-circles/my-data",
  version: 1,
  exportedAt: "2026-11-23T12:00:00.000Z",
  profile: { userId: "u-priya", userPrincipalName: "priya.raman@contoso.example" },
  notes: [{ text: "My private note" }],
};

const zeros = { profile: 0, circleMemberships: 0, notes: 0, commitments: 0, insights: 0, sharedInsightCopies: 0, questions: 0, protectedTimeSettings: 0, protectedTimeBlocks: 0, protectedTimeOverrides: 0, nudgeSettings: 0, nudgeDeliveries: 0, calendarSubscriptions: 0, programEnrolments: 0, formats: 0, sessionDeclines: 0, seriesCopies: 0 };
const noneAnonymised = { commitments: 0, pulses: 0, attendance: 0, sessions: 0, circlesHandedOver: 0, formats: 0, meetingLinks: 0, jobs: 0 };
const deleted = {
  status: "deleted",
  deletedAt: "2026-11-23T12:01:00.000Z",
  removed: { ...zeros, profile: 1, circleMemberships: 2, notes: 3, insights: 1, sessionDeclines: 2 },
  anonymised: { ...noneAnonymised, commitments: 1, pulses: 2, sessions: 2 },
  microsoft365: { protectedBlocksRemoved: 4, subscriptionsDeleted: 1, seriesAttendeesUpdated: 2, problems: [] },
  kept: ["The Outlook series of \"<b>Leads</b>\" is in your calendar."],
};

let saved: Blob[] = [];
beforeEach(() => {
  saved = [];
  vi.stubGlobal("URL", Object.assign(URL, { createObjectURL: vi.fn((blob: Blob) => (saved.push(blob), "blob:test")), revokeObjectURL: vi.fn() }));
});
afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** jsdom's Blob has no text(): read it as the browser's FileReader would. */
function readBlob(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error);
    reader.readAsText(blob);
  });
}

function render(routes: Parameters<typeof fakeApiByMethod>[0], theme: "default" | "dark" | "contrast" = "default") {
  const api = fakeApiByMethod(routes);
  vi.stubGlobal("fetch", api.fetchMock);
  renderPage(<YourDataSection />, fakeHost({ context: { theme } }).connect);
  return api;
}

describe("Your data", { timeout: 20_000 }, () => {
  it("downloads my data as a JSON file named after the day", async () => {
    const clicked: string[] = [];
    const click = vi.spyOn(HTMLAnchorElement.prototype, "click").mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    const api = render({ "GET /api/me/data": { body: exported } });
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Your data" });
    await user.click(within(section).getByRole("button", { name: "Download my data" }));
    expect(await within(section).findByText("Your file coaching-circles-my-data-2026-11-23.json is downloading.")).toBeInTheDocument();
    expect(clicked).toEqual(["coaching-circles-my-data-2026-11-23.json"]);
    expect(JSON.parse(await readBlob(saved[0]!))).toEqual(exported);
    expect(api.sent("GET /api/me/data")).toHaveLength(1);
    click.mockRestore();
  });

  it("says what to do when the download fails", async () => {
    render({ "GET /api/me/data": { status: 503, body: { error: { code: "service_unavailable", message: "Coaching Circles is restarting." } } } }, "dark");
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Your data" });
    await user.click(within(section).getByRole("button", { name: "Download my data" }));
    expect(await within(section).findByText("We couldn't prepare your file.")).toBeInTheDocument();
    expect(section).toHaveTextContent("Coaching Circles is restarting. Then choose Download my data again.");
  });

  it("deletes only after the confirmation is typed, from the keyboard, and shows what was done", async () => {
    const api = render({ "DELETE /api/me/data": { body: deleted } }, "contrast");
    const user = userEvent.setup();
    const section = await screen.findByRole("region", { name: "Your data" });
    await user.click(within(section).getByRole("button", { name: "Delete my data" }));

    const dialog = await screen.findByRole("dialog", { name: "Delete your data?" });
    expect(dialog).toHaveTextContent("You leave every circle.");
    expect(dialog).toHaveTextContent('Our "Coaching (protected)" blocks are removed from your calendar');
    const confirm = within(dialog).getByRole("button", { name: "Delete my data" });
    expect(confirm).toBeDisabled();
    const input = within(dialog).getByRole("textbox", { name: 'Type "delete my data" to confirm' });
    await user.type(input, "delete my dat");
    expect(confirm).toBeDisabled();
    await user.type(input, "a{Enter}");

    const done = await screen.findByRole("dialog", { name: "Your data is deleted" });
    expect(api.sent("DELETE /api/me/data").map((r) => r.body)).toEqual([{ confirm: "delete my data" }]);
    const list = within(done).getByRole("list", { name: "What was deleted" });
    const items = within(list).getAllByRole("listitem").map((li) => li.textContent);
    expect(items).toEqual(["2 circle memberships", "3 notes", "1 commitment card", "1 insight", "2 recorded declines", "4 protected blocks removed from your calendar", "Your profile and settings"]);
    // The API's sentences are shown as text, never as markup.
    expect(within(done).getByRole("list", { name: "What stays" })).toHaveTextContent('The Outlook series of "<b>Leads</b>" is in your calendar.');
    await user.click(within(done).getByRole("button", { name: "Done" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
  });

  it("keeps everything when cancelled, and says nothing was deleted when the API refuses", async () => {
    const api = render({ "DELETE /api/me/data": { status: 400, body: { error: { code: "bad_request", message: 'Type "delete my data" exactly.' } } } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete my data" }));
    let dialog = await screen.findByRole("dialog", { name: "Delete your data?" });
    await user.click(within(dialog).getByRole("button", { name: "Keep my data" }));
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    expect(api.sent("DELETE /api/me/data")).toHaveLength(0);

    await user.click(await screen.findByRole("button", { name: "Delete my data" }));
    dialog = await screen.findByRole("dialog", { name: "Delete your data?" });
    await user.type(within(dialog).getByRole("textbox"), "delete my data");
    await user.click(within(dialog).getByRole("button", { name: "Delete my data" }));
    expect(await within(dialog).findByText("Nothing was deleted.")).toBeInTheDocument();
    expect(dialog).toHaveTextContent('Type "delete my data" exactly. Then try again.');
  });

  it("says so when there was nothing left to delete", async () => {
    render({ "DELETE /api/me/data": { body: { ...deleted, status: "nothingToDelete", removed: zeros, anonymised: noneAnonymised, microsoft365: { protectedBlocksRemoved: 0, subscriptionsDeleted: 0, seriesAttendeesUpdated: 0, problems: [] }, kept: [] } } });
    const user = userEvent.setup();
    await user.click(await screen.findByRole("button", { name: "Delete my data" }));
    const dialog = await screen.findByRole("dialog", { name: "Delete your data?" });
    await user.type(within(dialog).getByRole("textbox"), "delete my data{Enter}");
    const done = await screen.findByRole("dialog", { name: "Your data is deleted" });
    expect(done).toHaveTextContent("There was nothing left to delete: Coaching Circles holds no data about you.");
  });
});
