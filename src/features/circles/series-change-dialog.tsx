import {
  Button,
  Checkbox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Spinner,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useState } from "react";
import type { FormEvent } from "react";
import { describeProblem } from "../../components/describe-problem";
import { useApi } from "../../lib/api-context";
import type { CircleDetail, SeriesOccurrence } from "../../lib/api-schemas";
import { formatDateTime, fromLocalInputValue, toLocalDate, toLocalInputValue } from "../../lib/zoned-time";
import { useSeriesChange } from "./use-circle";

export type SeriesChange = { kind: "skip"; occurrence: SeriesOccurrence } | { kind: "move"; occurrence: SeriesOccurrence } | { kind: "cancel" };

const useStyles = makeStyles({
  surface: { width: "min(480px, calc(100vw - 16px))", maxWidth: "100%", boxSizing: "border-box" },
  content: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
});

const titles = { skip: "Skip this session?", move: "Move this session", cancel: "Cancel the whole series?" } as const;

/**
 * Confirms one change to the booked series and sends it. The dialog stays open with the API's
 * message when the change fails, so nothing typed is lost; on success the page shows the circle
 * as the API read it back from Outlook.
 */
export function SeriesChangeDialog({
  circle,
  change,
  viewerTimeZone,
  onClose,
  onDone,
}: {
  circle: CircleDetail;
  change: SeriesChange;
  viewerTimeZone: string;
  onClose: () => void;
  onDone: (summary: string) => void;
}) {
  const styles = useStyles();
  const api = useApi();
  const [message, setMessage] = useState("");
  const [when, setWhen] = useState(() => (change.kind === "move" ? toLocalInputValue(change.occurrence.start, viewerTimeZone) : ""));
  const [alsoLater, setAlsoLater] = useState(false);
  const [whenError, setWhenError] = useState<string>();
  const mutation = useSeriesChange(circle.id, (run: () => Promise<CircleDetail>) => run());

  const occurrenceLabel = change.kind === "cancel" ? "" : formatDateTime(change.occurrence.start, viewerTimeZone);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const note = message.trim() ? { message: message.trim() } : {};
    if (change.kind === "skip") {
      mutation.mutate(() => api.skipOccurrence(circle.id, change.occurrence.id, note), { onSuccess: () => onDone(`The session on ${occurrenceLabel} was skipped.`) });
    } else if (change.kind === "cancel") {
      mutation.mutate(() => api.cancelSeries(circle.id, note), { onSuccess: () => onDone("The series was cancelled.") });
    } else {
      const start = fromLocalInputValue(when, viewerTimeZone);
      if (!start) {
        setWhenError(`Enter a date and time that exists in ${viewerTimeZone}.`);
        return;
      }
      setWhenError(undefined);
      const summary = `Moved to ${formatDateTime(start, viewerTimeZone)}.`;
      const { occurrence } = change;
      mutation.mutate(
        alsoLater
          ? () => api.moveSeries(circle.id, { fromDate: toLocalDate(occurrence.start, circle.timeZone), start })
          : () => api.moveOccurrence(circle.id, occurrence.id, { start }),
        { onSuccess: () => onDone(summary) },
      );
    }
  };

  const confirmLabel = change.kind === "skip" ? "Skip session" : change.kind === "move" ? "Move" : "Cancel series";
  return (
    <Dialog open modalType="alert" onOpenChange={(_, data) => !data.open && !mutation.isPending && onClose()}>
      <DialogSurface className={styles.surface}>
        <form onSubmit={submit} noValidate>
          <DialogBody>
            <DialogTitle>{titles[change.kind]}</DialogTitle>
            <DialogContent className={styles.content}>
              {change.kind === "skip" && <Text>{`The session on ${occurrenceLabel} (your time) is removed from every member's calendar. The rest of the series stays.`}</Text>}
              {change.kind === "cancel" && <Text>Every remaining session is removed from every member's calendar. Past sessions and your circle stay.</Text>}
              {change.kind === "move" && (
                <>
                  <Text>{`Currently ${occurrenceLabel} (your time).`}</Text>
                  <Field label={`New start (your time, ${viewerTimeZone})`} required validationMessage={whenError}>
                    <Input type="datetime-local" value={when} onChange={(_, d) => setWhen(d.value)} />
                  </Field>
                  <Checkbox checked={alsoLater} onChange={(_, d) => setAlsoLater(Boolean(d.checked))} label="Also move every later session to this weekday and time" />
                </>
              )}
              {change.kind !== "move" && (
                <Field label="Message to members (optional)" hint="Sent with the update. Don't include anything confidential.">
                  <Textarea value={message} onChange={(_, d) => setMessage(d.value)} resize="vertical" />
                </Field>
              )}
              {mutation.isError && (
                <MessageBar intent="error" role="alert" layout="multiline">
                  <MessageBarBody>
                    <MessageBarTitle>Nothing was changed.</MessageBarTitle> {describeProblem(mutation.error)}
                  </MessageBarBody>
                </MessageBar>
              )}
            </DialogContent>
            <DialogActions fluid>
              <Button appearance="secondary" onClick={onClose} disabled={mutation.isPending}>
                {change.kind === "cancel" ? "Keep the series" : "Back"}
              </Button>
              <Button appearance="primary" type="submit" disabled={mutation.isPending} icon={mutation.isPending ? <Spinner size="tiny" /> : undefined}>
                {confirmLabel}
              </Button>
            </DialogActions>
          </DialogBody>
        </form>
      </DialogSurface>
    </Dialog>
  );
}
