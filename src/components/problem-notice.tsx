import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { isHostError } from "../host";
import { describeProblem } from "./describe-problem";
import { useSignIn } from "./sign-in-gate";

/** An error the user can do something about: what happened, and a retry when one makes sense. */
export function ProblemNotice({ title, error, onRetry }: { title: string; error: unknown; onRetry?: () => void }) {
  const { switchUser } = useSignIn();
  // A sandbox demo user that can no longer sign in needs a new pick, not a retry.
  const needsNewUser = isHostError(error) && error.code === "sign_in_required" && switchUser;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {describeProblem(error)}
      </MessageBarBody>
      {needsNewUser ? (
        <MessageBarActions>
          <Button onClick={switchUser}>Pick a demo user</Button>
        </MessageBarActions>
      ) : (
        onRetry && (
          <MessageBarActions>
            <Button onClick={onRetry}>Try again</Button>
          </MessageBarActions>
        )
      )}
    </MessageBar>
  );
}

/** Information, not failure: "open this in Teams", "this meeting isn't linked yet". */
export function InfoNotice({ title, children }: { title: string; children: ReactNode }) {
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {children}
      </MessageBarBody>
    </MessageBar>
  );
}
