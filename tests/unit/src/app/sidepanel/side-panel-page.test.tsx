import { cleanup, screen } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { SidePanelPage } from "../../../../../src/app/sidepanel/side-panel-page";
import type { HostContext } from "../../../../../src/host";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

afterEach(cleanup);

const member = { id: "oid-ada", upn: "ada@contoso.test", tenantId: "tid" };

const cases: Array<[string, Partial<HostContext>, RegExp]> = [
  ["a plain browser", { kind: "browser", frameContext: "none" }, /Open this panel in a Teams meeting/],
  ["a Teams tab outside a meeting", { kind: "teams", frameContext: "content", user: member }, /Open this panel in a Teams meeting/],
  ["a guest in a meeting", { kind: "teams", frameContext: "sidePanel", meetingId: "MCMx", chatId: "19:x" }, /for members of this organisation/],
  ["a member in an unlinked meeting", { kind: "teams", frameContext: "sidePanel", meetingId: "MCMx", chatId: "19:x", user: member }, /This meeting isn't linked to a circle yet/],
];

describe("meeting side panel", () => {
  it.each(cases)("in %s, says where the user stands", async (_name, context, message) => {
    renderPage(<SidePanelPage />, fakeHost({ context }).connect);
    expect(await screen.findByRole("heading", { level: 1, name: "Coaching circle" })).toBeInTheDocument();
    expect(screen.getByRole("main")).toHaveTextContent(message);
    expect(screen.getAllByRole("heading", { level: 1 })).toHaveLength(1);
  });
});
