import { MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { describeProblem } from "./describe-problem";

/**
 * A failed action, said plainly: the title says what did not happen, the body what went wrong and
 * what to do (`describeProblem`). `actions` holds a retry with its own label where the page may
 * already have a "Try again"; `role="alert"` for a failure the user should hear at once.
 */
export function ErrorNotice({ title, error, actions, role }: { title: string; error: unknown; actions?: ReactNode; role?: "alert" }) {
  return (
    <MessageBar intent="error" layout="multiline" {...(role ? { role } : {})}>
      <MessageBarBody>
        <MessageBarTitle>{title}</MessageBarTitle> {describeProblem(error)}
      </MessageBarBody>
      {actions && <MessageBarActions>{actions}</MessageBarActions>}
    </MessageBar>
  );
}
