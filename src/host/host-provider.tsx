import { FluentProvider, Spinner, makeStaticStyles, makeStyles, tokens } from "@fluentui/react-components";
import { createContext, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { readBrowserTheme } from "./browser-theme";
import type { Host } from "./connect-host";
import { fluentThemes } from "./fluent-theme";
import type { HostContext, ThemeName } from "./host-context";

interface HostState {
  host: Host;
  context: HostContext;
}

const HostReactContext = createContext<HostState | undefined>(undefined);

// The host frames us edge to edge; the browser's default body margin would add a scrollbar.
const useBodyStyles = makeStaticStyles({ body: { margin: 0 } });

const useStyles = makeStyles({
  root: { minHeight: "100vh", backgroundColor: tokens.colorNeutralBackground1, color: tokens.colorNeutralForeground1 },
  starting: { display: "flex", justifyContent: "center", paddingTop: tokens.spacingVerticalXXXL },
});

/**
 * Connects to the host once, then themes everything below it with the host's Teams theme and
 * follows theme changes live. The current theme name is mirrored on `<html data-theme>`.
 */
export function HostProvider({ connect, children }: { connect: () => Promise<Host>; children: ReactNode }) {
  const [host, setHost] = useState<Host | undefined>();
  const [theme, setTheme] = useState<ThemeName>(() => readBrowserTheme());

  useEffect(() => {
    let cancelled = false;
    void connect().then((connected) => {
      if (cancelled) return;
      setHost(connected);
      setTheme(connected.getHostContext().theme);
    });
    return () => {
      cancelled = true;
    };
  }, [connect]);

  useEffect(() => (host ? host.onThemeChange(setTheme) : undefined), [host]);

  const state = useMemo<HostState | undefined>(
    () => (host ? { host, context: { ...host.getHostContext(), theme } } : undefined),
    [host, theme],
  );

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);
  useEffect(() => {
    if (state?.context.locale) document.documentElement.lang = state.context.locale;
  }, [state?.context.locale]);

  useBodyStyles();
  const styles = useStyles();
  return (
    <FluentProvider theme={fluentThemes[theme]}>
      {/* Not the provider's className: Fluent copies that onto every portal (menus, listboxes,
          dialogs), and a full-height painted portal would cover the page and swallow clicks. */}
      <div className={styles.root}>
        {state ? (
          <HostReactContext.Provider value={state}>{children}</HostReactContext.Provider>
        ) : (
          <div className={styles.starting}>
            <Spinner label="Starting Coaching Circles…" />
          </div>
        )}
      </div>
    </FluentProvider>
  );
}

/** The connected host. Throws when rendered outside HostProvider (a wiring bug). */
export function useHost(): Host {
  return useHostState().host;
}

/** The host context, with the live theme. */
export function useHostContext(): HostContext {
  return useHostState().context;
}

function useHostState(): HostState {
  const state = useContext(HostReactContext);
  if (!state) throw new Error("useHost() needs a <HostProvider> above it");
  return state;
}
