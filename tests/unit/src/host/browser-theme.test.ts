import { describe, expect, it } from "vitest";
import { readBrowserTheme, watchBrowserTheme } from "../../../../src/host/browser-theme";

function fakeMedia(initial: { dark?: boolean; forced?: boolean }) {
  const state = { dark: initial.dark ?? false, forced: initial.forced ?? false };
  const listeners = new Set<() => void>();
  const matchMedia = (query: string) =>
    ({
      get matches() {
        return query.includes("forced-colors") ? state.forced : state.dark;
      },
      addEventListener: (_: string, cb: () => void) => listeners.add(cb),
      removeEventListener: (_: string, cb: () => void) => listeners.delete(cb),
    }) as unknown as MediaQueryList;
  return {
    matchMedia,
    set(next: { dark?: boolean; forced?: boolean }) {
      Object.assign(state, next);
      for (const cb of listeners) cb();
    },
    listenerCount: () => listeners.size,
  };
}

describe("browser theme", () => {
  it.each([
    [{}, "default"],
    [{ dark: true }, "dark"],
    [{ forced: true }, "contrast"],
    [{ dark: true, forced: true }, "contrast"],
  ] as const)("maps %o to %s", (media, theme) => {
    expect(readBrowserTheme(fakeMedia(media).matchMedia)).toBe(theme);
  });

  it("follows the OS when it switches to dark mode, until unsubscribed", () => {
    const media = fakeMedia({});
    const seen: string[] = [];
    const stop = watchBrowserTheme((t) => seen.push(t), media.matchMedia);
    media.set({ dark: true });
    stop();
    media.set({ dark: false });
    expect(seen).toEqual(["dark"]);
    expect(media.listenerCount()).toBe(0);
  });

  it("is the light theme where matchMedia does not exist", () => {
    expect(readBrowserTheme(undefined)).toBe("default");
  });
});
