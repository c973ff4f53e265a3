import { Button, MessageBar, MessageBarBody, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { AppointmentComposer } from "../../host";
import { markAsSession } from "./mark-as-session";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS },
});

type Status = { kind: "idle" } | { kind: "working" } | { kind: "done" } | { kind: "failed"; error: unknown };

/**
 * "Make this a coaching session" for the appointment being composed. The circle picker is passed
 * in by the page (features don't import each other).
 */
export function MakeSessionForm({
  composer,
  circleId,
  circlePicker,
}: {
  composer: AppointmentComposer;
  circleId: string | undefined;
  circlePicker: ReactNode;
}) {
  const styles = useStyles();
  const [status, setStatus] = useState<Status>({ kind: "idle" });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!circleId) return;
    setStatus({ kind: "working" });
    markAsSession(composer, circleId).then(
      () => setStatus({ kind: "done" }),
      (error: unknown) => setStatus({ kind: "failed", error }),
    );
  };
  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby="make-session-heading">
      <Text as="h2" id="make-session-heading" size={500} weight="semibold">
        Make this a coaching session
      </Text>
      <Text>Link this appointment to one of your circles. Choosing a format and the agenda comes next.</Text>
      {circlePicker}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={!circleId || status.kind === "working"}>
          Make this a coaching session
        </Button>
        {status.kind === "working" && <Spinner size="tiny" label="Updating the appointment…" />}
      </div>
      {status.kind === "done" && (
        <MessageBar intent="success">
          <MessageBarBody>This appointment is now a coaching session. Send it when you're ready.</MessageBarBody>
        </MessageBar>
      )}
      {status.kind === "failed" && <ProblemNotice title="The appointment wasn't changed." error={status.error} />}
    </form>
  );
}
