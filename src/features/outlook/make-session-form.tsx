import { Button, MessageBar, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { AppointmentComposer } from "../../host";
import { useApi } from "../../lib/api-context";
import { rememberAppointmentLink } from "./appointment-links";
import { SESSION_STEP_LABELS, markAsSession } from "./mark-as-session";
import type { SessionStep } from "./mark-as-session";
import { planSession } from "./session-plan";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

type Status =
  | { kind: "idle" }
  | { kind: "working"; step: SessionStep | "loading" }
  | { kind: "done"; itemId: string; note?: string }
  | { kind: "failed"; error: unknown };

/**
 * "Make this a coaching session" for the appointment being composed: subject (if empty),
 * recurrence, attendees, agenda, category and the circle id, then the draft is saved and linked.
 * The circle and format pickers are passed in by the page (features don't import each other).
 */
export function MakeSessionForm({
  composer,
  circleId,
  formatId,
  viewer,
  circlePicker,
  formatPicker,
}: {
  composer: AppointmentComposer;
  circleId: string | undefined;
  formatId: string | undefined;
  /** The signed-in organiser; their mailbox zone is the recurrence's zone. */
  viewer: { upn: string; timeZone: string } | undefined;
  circlePicker: ReactNode;
  formatPicker?: ReactNode;
}) {
  const styles = useStyles();
  const api = useApi();
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  const run = async (chosenCircleId: string) => {
    setStatus({ kind: "working", step: "loading" });
    const [circle, formats, start] = await Promise.all([api.getCircle(chosenCircleId), api.listFormats(), composer.getStart()]);
    const format = formats.find((f) => f.id === (formatId || circle.formatId));
    const plan = planSession({
      circle,
      format,
      appointmentStart: start,
      organizerUpn: viewer?.upn,
      organizerTimeZone: viewer?.timeZone ?? circle.timeZone,
    });
    const itemId = await markAsSession(composer, plan, (step) => setStatus({ kind: "working", step }));
    rememberAppointmentLink({ itemId, circleId: circle.id, linkedAt: new Date().toISOString() });
    setStatus({ kind: "done", itemId, note: plan.recurrenceNote });
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!circleId) return;
    run(circleId).catch((error: unknown) => setStatus({ kind: "failed", error }));
  };
  const working = status.kind === "working";
  return (
    <form className={styles.form} onSubmit={submit} aria-labelledby="make-session-heading">
      <Text as="h2" id="make-session-heading" size={500} weight="semibold">
        Make this a coaching session
      </Text>
      <Text>
        Turns this appointment into your circle's recurring session: members invited, the agenda in the body, marked as protected coaching time. The
        first session is this appointment's start.
      </Text>
      {circlePicker}
      {circleId && formatPicker}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={!circleId || working}>
          Make this a coaching session
        </Button>
      </div>
      <div role="status" aria-live="polite">
        {working && <Spinner size="tiny" label={status.step === "loading" ? "Reading the circle…" : `${SESSION_STEP_LABELS[status.step]}…`} />}
      </div>
      {status.kind === "done" && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This appointment is now a coaching session.</MessageBarTitle> It's saved and linked to the circle. Send it when you're ready.
            {status.note && ` ${status.note}`}
          </MessageBarBody>
        </MessageBar>
      )}
      {status.kind === "failed" && <ProblemNotice title="The appointment wasn't fully changed." error={status.error} />}
    </form>
  );
}
