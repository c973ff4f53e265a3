import { Body1, Button, Field, Input, MessageBar, MessageBarBody, MessageBarTitle, ProgressBar, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useEffect, useId, useRef, useState } from "react";
import type { FormEvent } from "react";
import { ErrorNotice } from "../../components/error-notice";
import { ProblemNotice } from "../../components/problem-notice";
import type { CohortBooking, Program } from "./program-api";
import { useBookProgram, useProgramBooking } from "./use-programs";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  start: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM },
  date: { flex: "1 1 180px", maxWidth: "260px", minWidth: 0 },
});

const DAY_MS = 86_400_000;

/** YYYY-MM-DD of the viewer's local day `days` from today. */
function localDate(days: number): string {
  const d = new Date(Date.now() + days * DAY_MS);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, "0")}-${String(d.getDate()).padStart(2, "0")}`;
}

/** One sentence for the live region: where the cohort booking stands. */
export function describeCohortBooking(booking: CohortBooking): string {
  const { done, total } = booking.progress;
  if (booking.status === "succeeded") return `All ${total} circles are booked. Every member has their circle's series in Outlook and Teams.`;
  if (booking.status === "failed") return `Booking stopped with ${done} of ${total} circles booked.`;
  return `Booking circles: ${done} of ${total} booked…`;
}

/**
 * Book the whole cohort (one durable job on the server) and follow it: a progress bar polled
 * from getProgramBooking, a polite live region, and on failure what to do. Booking again resumes
 * where it stopped and never books a circle twice.
 */
export function CohortBookingPanel({ program, onBooked }: { program: Program; onBooked?: () => void }) {
  const styles = useStyles();
  const headingId = useId();
  const book = useBookProgram(program.id);
  const booking = useProgramBooking(program.id, program.booking !== null || book.isSuccess);
  const [startOn, setStartOn] = useState(() => localDate(7));
  const [dateError, setDateError] = useState<string>();
  const circles = program.draft?.circles.length ?? 0;
  const data = booking.data ?? program.booking ?? undefined;
  const reported = useRef(false);

  useEffect(() => {
    if (data?.status === "succeeded" && !reported.current) {
      reported.current = true;
      onBooked?.();
    }
  }, [data?.status, onBooked]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!/^\d{4}-\d{2}-\d{2}$/.test(startOn) || startOn <= localDate(0)) {
      setDateError("Choose a day after today.");
      return;
    }
    setDateError(undefined);
    book.mutate({ startOn });
  };

  const startForm = (label: string) => (
    <form className={styles.start} onSubmit={submit} noValidate aria-label="Book the cohort">
      <Field className={styles.date} label="First day sessions may start" validationMessage={dateError} hint="Each circle meets every two weeks at its shared working time.">
        <Input type="date" value={startOn} min={localDate(1)} onChange={(_, d) => setStartOn(d.value)} />
      </Field>
      <Button appearance="primary" type="submit" disabled={book.isPending}>
        {book.isPending ? "Starting…" : label}
      </Button>
    </form>
  );

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        3. Book the cohort
      </Subtitle2>
      {!data && (
        <>
          <Body1>
            You organise every circle: each gets one recurring Teams meeting, with the agenda and the app ready in its chat. It runs in the background; you can leave this page and
            come back.
          </Body1>
          {startForm(`Book all ${circles} circles`)}
        </>
      )}
      {book.isError && <ErrorNotice title="Booking didn't start." error={book.error} />}
      {booking.isError && <ProblemNotice title="We couldn't check the booking's progress." error={booking.error} onRetry={() => void booking.refetch()} />}
      {data && (
        <>
          <Field label="Circles booked" validationState="none" validationMessage={`${data.progress.done} of ${data.progress.total} circles`}>
            <ProgressBar
              value={data.progress.done}
              max={Math.max(data.progress.total, 1)}
              color={data.status === "failed" ? "error" : data.status === "succeeded" ? "success" : "brand"}
              thickness="large"
            />
          </Field>
          <div role="status" aria-live="polite" aria-atomic="true">
            <Text weight="semibold">{describeCohortBooking(data)}</Text>
          </div>
          {data.status === "failed" && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>Some circles aren't booked yet.</MessageBarTitle> Microsoft 365 refused or didn't answer for {data.progress.total - data.progress.done} of them (often
                a busy service or a member whose mailbox can't be reached). Book again to continue where it stopped: circles already booked are not booked twice.
              </MessageBarBody>
            </MessageBar>
          )}
          {data.status === "failed" && startForm("Book the rest")}
        </>
      )}
    </section>
  );
}
