import { cleanup, screen } from "@testing-library/react";
import { afterEach, expect, it } from "vitest";
import { StageView } from "../../../../../src/features/meeting/stage-view";
import { fakeHost } from "../../fake-host";
import { renderPage } from "../../render-page";

afterEach(cleanup);

it("shows the stage waiting for the facilitator, announced as status", async () => {
  renderPage(<StageView />, fakeHost({ context: { frameContext: "meetingStage", meetingId: "MCMx" } }).connect);
  expect(await screen.findByRole("heading", { level: 1, name: "Coaching circle" })).toBeInTheDocument();
  expect(screen.getByRole("status")).toHaveTextContent("Waiting for the facilitator to share the agenda");
  expect(screen.getByRole("main")).toBeInTheDocument();
});
