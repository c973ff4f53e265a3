import "../../layout-shim";
import { cleanup, screen, waitFor, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import { TabPage } from "../../../../../src/app/tab/tab-page";
import { ada, fakeApi, fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const circle = {
  id: "c1",
  name: "New managers circle",
  purpose: "Practise hard conversations",
  cadence: "every-2-weeks",
  sessionMinutes: 60,
  memberCount: 5,
  timeZone: "Europe/London",
};

// Fluent in jsdom is slow on a busy 2-core CI box; these tests click through real components.
describe("personal tab", { timeout: 20_000 }, () => {
  it("greets the signed-in user with their time zone and explains circles when there are none", async () => {
    const fetchMock = fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [] } } });
    vi.stubGlobal("fetch", fetchMock);
    renderPage(<TabPage />, fakeHost().connect);

    expect(await screen.findByRole("heading", { level: 1, name: "Coaching Circles" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toBeInTheDocument();
    expect(await screen.findByText("Ada Lovelace")).toBeInTheDocument();
    expect(screen.getByText(/Europe\/London/)).toBeInTheDocument();
    expect(await screen.findByRole("heading", { name: "You're not in a circle yet" })).toBeInTheDocument();
    expect(screen.getByRole("button", { name: "Create a circle" })).toBeInTheDocument();
    // The host's token went to the API.
    const init = fetchMock.mock.calls[0]?.[1];
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer test-token");
  });

  it("puts the member's prep and reflection blocks in place once they are signed in, once per visit", async () => {
    const sync = { circles: [{ circleId: "c1", status: "synced", created: 6, updated: 0, deleted: 0, blocks: 6 }] };
    const fetchMock = fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [] } }, "/api/protected-time/sync": { body: sync } });
    vi.stubGlobal("fetch", fetchMock);
    renderPage(<TabPage />, fakeHost().connect);

    await waitFor(() => expect(fetchMock.mock.calls.filter(([url]) => String(url).endsWith("/api/protected-time/sync"))).toHaveLength(1));
    const [, init] = fetchMock.mock.calls.find(([url]) => String(url).endsWith("/api/protected-time/sync")) ?? [];
    expect(init?.method).toBe("POST");
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer test-token");
  });

  it("opens the create-circle form as an accessible dialog and closes it from the keyboard", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [] } }, "/api/formats": { body: { formats: [] } } }));
    const user = userEvent.setup();
    renderPage(<TabPage />, fakeHost().connect);

    const trigger = await screen.findByRole("button", { name: "Create a circle" });
    await user.click(trigger);
    const dialog = await screen.findByRole("dialog", { name: "Create a circle" });
    expect(within(dialog).getByText(/3–8 colleagues/)).toBeInTheDocument();
    expect(within(dialog).getByRole("textbox", { name: /Name/ })).toHaveFocus();
    await user.keyboard("{Escape}");
    await waitFor(() => expect(screen.queryByRole("dialog")).not.toBeInTheDocument());
    await waitFor(() => expect(trigger).toHaveFocus());
  });

  it("opens a circle from the list and comes back", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "/api/me": { body: ada },
        "/api/circles": { body: { circles: [circle] } },
        "/api/circles/c1": {
          body: {
            ...circle,
            cadence: "biweekly",
            charter: ["Confidentiality"],
            formatId: "coaching-circle",
            sessionCount: 6,
            rotateRoles: true,
            organizerId: ada.id,
            members: [{ id: ada.id, upn: ada.userPrincipalName, displayName: ada.displayName, role: "organizer", timeZone: "Europe/London" }],
            createdAt: "2030-01-01T00:00:00Z",
          },
        },
      }),
    );
    const user = userEvent.setup();
    renderPage(<TabPage />, fakeHost().connect);

    await user.click(await screen.findByRole("button", { name: "New managers circle" }));
    expect(await screen.findByRole("heading", { level: 2, name: "New managers circle" })).toHaveFocus();
    expect(screen.getByText("Confidentiality")).toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Your circles" }));
    expect(await screen.findByRole("heading", { name: "Your circles" })).toBeInTheDocument();
  });

  it("opens the circle a nudge links to (Teams passes it as page.subPageId), and goes back to the list", async () => {
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "/api/me": { body: ada },
        "/api/circles": { body: { circles: [circle] } },
        "/api/circles/c1": {
          body: {
            ...circle,
            cadence: "biweekly",
            charter: ["Confidentiality"],
            formatId: "coaching-circle",
            sessionCount: 6,
            rotateRoles: true,
            organizerId: ada.id,
            members: [{ id: ada.id, upn: ada.userPrincipalName, displayName: ada.displayName, role: "organizer", timeZone: "Europe/London" }],
            createdAt: "2030-01-01T00:00:00Z",
          },
        },
      }),
    );
    const user = userEvent.setup();
    renderPage(<TabPage />, fakeHost({ context: { subPageId: "circle:c1" } }).connect);

    // Straight to the circle, without going through the list (patient: jsdom is slow on a busy box).
    expect(await screen.findByRole("heading", { level: 2, name: "New managers circle" }, { timeout: 10_000 })).toBeInTheDocument();
    expect(screen.getByText("Confidentiality")).toBeInTheDocument();
    expect(screen.queryByRole("heading", { name: "Your circles" })).not.toBeInTheDocument();
    await user.click(screen.getByRole("button", { name: "Your circles" }));
    expect(await screen.findByRole("heading", { name: "Your circles" }, { timeout: 10_000 })).toBeInTheDocument();
  });

  it("opens the list when the sub-page is not a circle link", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [circle] } } }));
    renderPage(<TabPage />, fakeHost({ context: { subPageId: "settings" } }).connect);
    expect(await screen.findByRole("heading", { name: "Your circles" }, { timeout: 10_000 })).toBeInTheDocument();
  });

  it("lists the user's circles with cadence and size", async () => {
    vi.stubGlobal("fetch", fakeApi({ "/api/me": { body: ada }, "/api/circles": { body: { circles: [circle] } } }));
    renderPage(<TabPage />, fakeHost().connect);

    const list = await screen.findByRole("list");
    const item = within(list).getByRole("listitem");
    expect(within(item).getByRole("heading", { name: "New managers circle" })).toBeInTheDocument();
    expect(within(item).getByText("Every 2 weeks · 60 min · 5 members")).toBeInTheDocument();
    expect(screen.queryByText("You're not in a circle yet")).not.toBeInTheDocument();
  });

  it("shows the API's message with a retry that recovers", async () => {
    let circlesFail = true;
    vi.stubGlobal(
      "fetch",
      fakeApi({
        "/api/me": { body: ada },
        "/api/circles": () =>
          circlesFail
            ? { status: 503, body: { error: { code: "graph_unavailable", message: "Microsoft 365 isn't answering. Try again in a minute." } } }
            : { body: { circles: [circle] } },
      }),
    );
    const user = userEvent.setup();
    renderPage(<TabPage />, fakeHost().connect);

    expect(await screen.findByText("Microsoft 365 isn't answering. Try again in a minute.")).toBeInTheDocument();
    expect(screen.getByText("We couldn't load your circles.")).toBeInTheDocument();
    circlesFail = false;
    await user.click(screen.getByRole("button", { name: "Try again" }));
    expect(await screen.findByText("New managers circle")).toBeInTheDocument();
  });

  it("asks a plain-browser sandbox user to pick a demo user, then loads their data", async () => {
    sessionStorage.clear();
    const fetchMock = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
      const url = String(input);
      if (url === "http://localhost:3001/identity/users") {
        return Response.json({ value: [{ id: "1", displayName: "Ada Lovelace", userPrincipalName: "ada@contoso.test", jobTitle: "Engineer" }] });
      }
      if (url === "http://localhost:3001/identity/token") {
        expect(JSON.parse(String(init?.body))).toEqual({ upn: "ada@contoso.test" });
        return Response.json({ access_token: "sandbox-token", token_type: "Bearer", expires_in: 3600 });
      }
      if (url === "/api/health") return Response.json({ status: "ok", mode: "sandbox", storage: "sqlite", sandboxUrl: "http://localhost:3001" });
      if (url === "/api/me") return Response.json(ada);
      if (url === "/api/circles") return Response.json({ circles: [] });
      return Response.json({ error: { code: "not_found", message: url } }, { status: 404 });
    });
    vi.stubGlobal("fetch", fetchMock);
    const { connectHost } = await import("../../../../../src/host");
    const user = userEvent.setup();
    renderPage(<TabPage />, () => connectHost({ window }));

    await user.click(await screen.findByRole("combobox", { name: /Demo user/ }));
    await user.click(await screen.findByRole("option", { name: /Ada Lovelace/ }));
    await user.click(screen.getByRole("button", { name: "Sign in" }));

    expect(await screen.findByText("You're not in a circle yet")).toBeInTheDocument();
    const meCall = fetchMock.mock.calls.find(([url]) => url === "/api/me");
    expect(new Headers(meCall?.[1]?.headers).get("Authorization")).toBe("Bearer sandbox-token");
    expect(sessionStorage.getItem("coaching-circles.sandbox-upn")).toBe("ada@contoso.test");
  });

  it("explains where to open the app in a plain browser in Microsoft 365 mode", async () => {
    vi.stubGlobal("fetch", fakeApi({}));
    renderPage(<TabPage />, fakeHost({ context: { kind: "browser" }, signIn: { kind: "unavailable", message: "Open Coaching Circles in Teams or Outlook to sign in." } }).connect);
    expect(await screen.findByText("Open Coaching Circles in Teams or Outlook to sign in.")).toBeInTheDocument();
  });
});
