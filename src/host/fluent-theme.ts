import { teamsDarkTheme, teamsHighContrastTheme, teamsLightTheme } from "@fluentui/react-components";
import type { Theme } from "@fluentui/react-components";
import type { ThemeName } from "./host-context";

/** The Teams themes Fluent ships, keyed by the host's theme name. */
export const fluentThemes: Record<ThemeName, Theme> = {
  default: teamsLightTheme,
  dark: teamsDarkTheme,
  contrast: teamsHighContrastTheme,
};
