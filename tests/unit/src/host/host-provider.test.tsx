import { act, cleanup, render, screen, waitFor } from "@testing-library/react";
import { afterEach, describe, expect, it } from "vitest";
import { HostProvider, fluentThemes, useHostContext } from "../../../../src/host";
import { connectHost } from "../../../../src/host";
import { fakeHost } from "../fake-host";
import { fakeTeams, iframeWindow, meetingContext, sandboxHealth } from "./fake-teams";
import { fakeApi } from "../fake-host";

afterEach(cleanup);

function ThemeProbe() {
  return <p>theme is {useHostContext().theme}</p>;
}

describe("HostProvider themes the page like the host", () => {
  it.each(["default", "dark", "contrast"] as const)("uses the Teams %s theme", async (theme) => {
    const { connect } = fakeHost({ context: { theme } });
    render(
      <HostProvider connect={connect}>
        <ThemeProbe />
      </HostProvider>,
    );
    expect(await screen.findByText(`theme is ${theme}`)).toBeInTheDocument();
    // The <html> attribute is set in an effect after the render the probe shows.
    await waitFor(() => expect(document.documentElement.dataset.theme).toBe(theme));
  });

  it("maps each host theme to its Teams Fluent theme", () => {
    expect(fluentThemes.default.colorNeutralBackground1).not.toBe(fluentThemes.dark.colorNeutralBackground1);
    expect(fluentThemes.contrast.colorNeutralBackground1).toBe(fluentThemes.contrast.colorNeutralBackground1);
    expect(new Set(Object.values(fluentThemes)).size).toBe(3);
  });

  it("re-themes live when Teams sends a theme change", async () => {
    const teams = fakeTeams({ context: meetingContext });
    const connect = () =>
      connectHost({ window: iframeWindow(), loadTeams: async () => teams.sdk, fetchImpl: fakeApi({ "/api/health": { body: sandboxHealth } }) });
    render(
      <HostProvider connect={connect}>
        <ThemeProbe />
      </HostProvider>,
    );
    expect(await screen.findByText("theme is default")).toBeInTheDocument();
    act(() => teams.emitTheme("dark"));
    expect(screen.getByText("theme is dark")).toBeInTheDocument();
    expect(document.documentElement.dataset.theme).toBe("dark");
    act(() => teams.emitTheme("contrast"));
    expect(document.documentElement.dataset.theme).toBe("contrast");
  });

  it("sets the page language from the host's locale", async () => {
    const { connect } = fakeHost({ context: { locale: "de-de" } });
    render(
      <HostProvider connect={connect}>
        <ThemeProbe />
      </HostProvider>,
    );
    await screen.findByText(/theme is/);
    expect(document.documentElement.lang).toBe("de-de");
  });
});
