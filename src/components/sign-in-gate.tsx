import { Button, Dropdown, Field, Option, Skeleton, SkeletonItem, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useId, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { useHost } from "../host";
import type { DemoUser, SandboxIdentity } from "../host";
import { InfoNotice, ProblemNotice } from "./problem-notice";

interface SignInState {
  /** Plain-browser sandbox mode only: forget the demo user and show the picker again. */
  switchUser?: () => void;
  /** The demo user in sandbox mode. */
  demoUpn?: string;
}

const SignInContext = createContext<SignInState>({});

export function useSignIn(): SignInState {
  return useContext(SignInContext);
}

/**
 * Renders children once the page can get a token. Inside Teams/Outlook that is immediate (SSO);
 * in a plain browser in sandbox mode the user first picks a demo user; in a plain browser in
 * Microsoft 365 mode we explain where to open the app instead.
 */
export function SignInGate({ children }: { children: ReactNode }) {
  const host = useHost();
  const { signIn } = host;
  if (signIn.kind === "host") return <SignInContext.Provider value={{}}>{children}</SignInContext.Provider>;
  if (signIn.kind === "unavailable") {
    return <InfoNotice title="Open Coaching Circles in Teams or Outlook">{signIn.message}</InfoNotice>;
  }
  return (
    <SandboxGate identity={signIn.identity}>
      {children}
    </SandboxGate>
  );
}

function SandboxGate({ identity, children }: { identity: SandboxIdentity; children: ReactNode }) {
  const [upn, setUpn] = useState(() => identity.currentUpn());
  const queryClient = useQueryClient();
  const switchUser = useCallback(() => {
    identity.signOut();
    // Nothing cached for the previous user may show for the next one.
    queryClient.clear();
    setUpn(undefined);
  }, [identity, queryClient]);
  if (!upn) {
    return (
      <DemoUserPicker
        identity={identity}
        onSignedIn={(chosen) => {
          identity.signInAs(chosen);
          setUpn(chosen);
        }}
      />
    );
  }
  return <SignInContext.Provider value={{ switchUser, demoUpn: upn }}>{children}</SignInContext.Provider>;
}

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, maxWidth: "420px" },
  actions: { display: "flex" },
});

function DemoUserPicker({ identity, onSignedIn }: { identity: SandboxIdentity; onSignedIn: (upn: string) => void }) {
  const styles = useStyles();
  const headingId = useId();
  const [users, setUsers] = useState<DemoUser[] | undefined>();
  const [error, setError] = useState<unknown>();
  const [selected, setSelected] = useState<string | undefined>();
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let cancelled = false;
    identity.listUsers().then(
      (list) => !cancelled && setUsers(list),
      (failure: unknown) => !cancelled && setError(failure),
    );
    return () => {
      cancelled = true;
    };
  }, [identity, attempt]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (selected) onSignedIn(selected);
  };

  if (error) {
    return (
      <ProblemNotice
        title="Sign-in isn't available"
        error={error}
        onRetry={() => {
          setError(undefined);
          setAttempt((n) => n + 1);
        }}
      />
    );
  }
  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby={headingId}>
      <Text as="h2" id={headingId} size={500} weight="semibold">
        Sign in to the sandbox
      </Text>
      <Text>
        You're using Coaching Circles outside Teams, against the built-in sandbox organisation. Pick a demo person to
        act as.
      </Text>
      {users ? (
        <Field label="Demo user" required>
          <Dropdown
            placeholder="Choose a person"
            onOptionSelect={(_, data) => setSelected(data.optionValue)}
            selectedOptions={selected ? [selected] : []}
          >
            {users.map((user) => (
              <Option key={user.id} value={user.userPrincipalName} text={user.displayName}>
                {user.displayName}
                {user.jobTitle ? ` — ${user.jobTitle}` : ""}
              </Option>
            ))}
          </Dropdown>
        </Field>
      ) : (
        <Skeleton aria-label="Loading demo users">
          <SkeletonItem size={32} />
        </Skeleton>
      )}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={!selected}>
          Sign in
        </Button>
      </div>
    </form>
  );
}
