import {
  Button,
  Field,
  MessageBar,
  MessageBarActions,
  MessageBarBody,
  MessageBarTitle,
  ProgressBar,
  Skeleton,
  SkeletonItem,
  Subtitle2,
  Text,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { CheckmarkCircle16Filled, Circle16Regular, DismissCircle16Filled, ArrowSync16Regular } from "@fluentui/react-icons";
import { useEffect, useRef } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import { describeProblem } from "../../components/describe-problem";
import type { Job, JobStep } from "../../lib/api-schemas";
import { useJob } from "./use-booking";

const useStyles = makeStyles({
  progress: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  title: { margin: 0 },
  steps: { listStyleType: "none", margin: 0, padding: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  step: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalS },
  done: { color: tokens.colorPaletteGreenForeground1 },
  failed: { color: tokens.colorPaletteRedForeground1 },
  pending: { color: tokens.colorNeutralForeground3 },
  running: { color: tokens.colorBrandForeground1 },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

const stepWords: Record<JobStep["status"], string> = { pending: "waiting", running: "in progress", done: "done", failed: "failed" };

/** One sentence for the live region: what the booking is doing right now. */
export function describeJob(job: Job): string {
  const { done, total } = job.progress;
  if (job.status === "succeeded") return "Booked. Every member has the series in Outlook and Teams.";
  if (job.status === "failed") return `Booking stopped after ${done} of ${total} steps.`;
  const current = job.steps.find((s) => s.status === "running") ?? job.steps.find((s) => s.status === "pending");
  if (job.status === "queued") return "Booking is about to start…";
  return current ? `Step ${Math.min(done + 1, total)} of ${total}: ${current.label}…` : `Booking: ${done} of ${total} steps done…`;
}

/**
 * Progress of the booking job, polled until it ends: a progress bar, every step with its state,
 * and a polite live region so screen readers hear each step. A failure says what happened and
 * offers a retry (booking again continues the same job; it never books twice).
 */
export function BookingProgress({
  jobId,
  onRetry,
  retrying,
  retryError,
  onSucceeded,
  onChooseAgain,
  onFinished,
}: {
  jobId: string;
  /** Absent when the time that was booked isn't known here (the user then chooses again). */
  onRetry?: () => void;
  retrying?: boolean;
  retryError?: unknown;
  /** "See upcoming sessions": shown once the booking succeeded. */
  onSucceeded: () => void;
  onChooseAgain?: () => void;
  /** Called once when the job reaches succeeded or failed (e.g. to refresh lists). */
  onFinished?: (job: Job) => void;
}) {
  const styles = useStyles();
  const job = useJob(jobId);
  const reported = useRef<string>();
  const data = job.data;
  useEffect(() => {
    if (!data || (data.status !== "succeeded" && data.status !== "failed")) return;
    const key = `${data.id}:${data.status}`;
    if (reported.current === key) return;
    reported.current = key;
    onFinished?.(data);
  }, [data, onFinished]);

  return (
    <section className={styles.progress} aria-label="Booking progress">
      <Subtitle2 as="h3" className={styles.title}>
        Booking the series
      </Subtitle2>
      {job.isPending && (
        <Skeleton aria-label="Loading the booking's progress">
          <SkeletonItem size={16} />
        </Skeleton>
      )}
      {job.isError && <ProblemNotice title="We couldn't check the booking." error={job.error} onRetry={() => void job.refetch()} />}
      {data && (
        <>
          <Field label="Progress" validationState="none" validationMessage={`${data.progress.done} of ${data.progress.total} steps`}>
            <ProgressBar
              value={data.progress.total > 0 ? data.progress.done : undefined}
              max={Math.max(data.progress.total, 1)}
              color={data.status === "failed" ? "error" : data.status === "succeeded" ? "success" : "brand"}
              thickness="large"
            />
          </Field>
          <div role="status" aria-live="polite" aria-atomic="true">
            <Text weight="semibold">{describeJob(data)}</Text>
          </div>
          {data.steps.length > 0 && (
            <ol className={styles.steps} aria-label="Steps">
              {data.steps.map((step) => (
                <li key={step.name} className={styles.step}>
                  <StepIcon status={step.status} />
                  <Text>{step.label}</Text>
                  <Text size={200} className={styles[step.status]}>{`(${stepWords[step.status]})`}</Text>
                </li>
              ))}
            </ol>
          )}
          {data.status === "failed" && (
            <MessageBar intent="error" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The booking didn't finish.</MessageBarTitle>{" "}
                {data.error?.message ?? "Something went wrong while booking. Retrying continues where it stopped; nothing is booked twice."}
                {retryError != null && ` ${describeProblem(retryError)}`}
              </MessageBarBody>
              <MessageBarActions>
                {onRetry ? (
                  <Button onClick={onRetry} disabled={retrying}>
                    {retrying ? "Retrying…" : "Retry"}
                  </Button>
                ) : (
                  onChooseAgain && <Button onClick={onChooseAgain}>Choose a time again</Button>
                )}
              </MessageBarActions>
            </MessageBar>
          )}
          {data.status === "succeeded" && (
            <div className={styles.actions}>
              <Button appearance="primary" onClick={onSucceeded}>
                See upcoming sessions
              </Button>
            </div>
          )}
        </>
      )}
    </section>
  );
}

function StepIcon({ status }: { status: JobStep["status"] }) {
  const styles = useStyles();
  if (status === "done") return <CheckmarkCircle16Filled aria-hidden className={styles.done} />;
  if (status === "failed") return <DismissCircle16Filled aria-hidden className={styles.failed} />;
  if (status === "running") return <ArrowSync16Regular aria-hidden className={styles.running} />;
  return <Circle16Regular aria-hidden className={styles.pending} />;
}
