import type { ThemeName } from "./host-context";

type MatchMedia = (query: string) => MediaQueryList;

const forcedColors = "(forced-colors: active)";
const darkScheme = "(prefers-color-scheme: dark)";

/** Outside a host the OS decides: forced colours (Windows high contrast) win over dark mode. */
export function readBrowserTheme(matchMedia: MatchMedia | undefined = globalThis.matchMedia): ThemeName {
  if (typeof matchMedia !== "function") return "default";
  if (matchMedia(forcedColors).matches) return "contrast";
  if (matchMedia(darkScheme).matches) return "dark";
  return "default";
}

/** Calls `cb` whenever the OS theme changes; returns the unsubscribe function. */
export function watchBrowserTheme(
  cb: (theme: ThemeName) => void,
  matchMedia: MatchMedia | undefined = globalThis.matchMedia,
): () => void {
  if (typeof matchMedia !== "function") return () => undefined;
  const lists = [matchMedia(forcedColors), matchMedia(darkScheme)];
  const onChange = () => cb(readBrowserTheme(matchMedia));
  for (const list of lists) list.addEventListener("change", onChange);
  return () => {
    for (const list of lists) list.removeEventListener("change", onChange);
  };
}
