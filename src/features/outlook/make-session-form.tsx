import { Button, MessageBar, MessageBarActions, MessageBarBody, MessageBarTitle, Spinner, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { ProblemNotice } from "../../components/problem-notice";
import type { AppointmentComposer } from "../../host";
import { useApi } from "../../lib/api-context";
import type { CircleDetail } from "../../lib/api-schemas";
import type { LinkedAppointment } from "./outlook-api";
import { SESSION_STEP_LABELS, markAsSession } from "./mark-as-session";
import type { SessionStep } from "./mark-as-session";
import { linkWhenSynced, useOutlookApi } from "./outlook-api";
import { planSession } from "./session-plan";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  actions: { display: "flex", alignItems: "center", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
});

type Step = SessionStep | "loading" | "link";
const STEP_LABELS: Record<Step, string> = { ...SESSION_STEP_LABELS, loading: "Reading the circle", link: "Making it the circle's series in Coaching Circles" };

type Status =
  | { kind: "idle" }
  | { kind: "working"; step: Step }
  | { kind: "done"; circle: LinkedAppointment; eventId: string; note?: string | undefined }
  | { kind: "failed"; error: unknown }
  /** The appointment is changed and saved; only the link to the circle is missing. */
  | { kind: "linkFailed"; error: unknown; circleId: string; eventId: string; note?: string | undefined };

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
  onLinked,
  renderChatSetup,
}: {
  composer: AppointmentComposer;
  circleId: string | undefined;
  formatId: string | undefined;
  /** The signed-in organiser; their mailbox zone is the recurrence's zone. */
  viewer: { upn: string; timeZone: string } | undefined;
  circlePicker: ReactNode;
  formatPicker?: ReactNode;
  /** The circle now has the appointment as its series (the page refreshes what it shows). */
  onLinked?: (circle: CircleDetail) => void;
  /**
   * Progress of the job that sets up the linked Teams meeting's chat (recording off, app, tab,
   * welcome); the page passes booking's progress view. `relink` links again: a failed job resumes.
   */
  renderChatSetup?: (setup: { circleId: string; jobId: string; relink: () => Promise<void> }) => ReactNode;
}) {
  const styles = useStyles();
  const api = useApi();
  const outlook = useOutlookApi();
  const [status, setStatus] = useState<Status>({ kind: "idle" });

  const link = async (circleId: string, eventId: string, note: string | undefined) => {
    setStatus({ kind: "working", step: "link" });
    try {
      const linked = await linkWhenSynced(() => outlook.linkOutlookAppointment(circleId, eventId));
      setStatus({ kind: "done", circle: linked, eventId, note });
      onLinked?.(linked);
    } catch (error) {
      setStatus({ kind: "linkFailed", error, circleId, eventId, note });
    }
  };

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
    // Graph knows the saved appointment by its REST id, not Outlook's EWS item id.
    await link(circle.id, composer.toRestId(itemId), plan.recurrenceNote);
  };

  /** After the organiser turned "Teams meeting" on: save the appointment again, then link it again. */
  const saveAndLinkAgain = async (circleId: string, note: string | undefined) => {
    setStatus({ kind: "working", step: "save" });
    let eventId: string;
    try {
      eventId = composer.toRestId(await composer.save());
    } catch (error) {
      setStatus({ kind: "failed", error });
      return;
    }
    await link(circleId, eventId, note);
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
        {working && <Spinner size="tiny" label={`${STEP_LABELS[status.step]}…`} />}
      </div>
      {status.kind === "done" && (
        <MessageBar intent="success" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>This appointment is now {status.circle.name}'s series.</MessageBarTitle> {describeSeries(status.circle, viewer?.timeZone)} Send it
            when you're ready.
            {status.note && ` ${status.note}`}
          </MessageBarBody>
        </MessageBar>
      )}
      {status.kind === "done" &&
        status.circle.jobId &&
        renderChatSetup?.({ circleId: status.circle.id, jobId: status.circle.jobId, relink: () => link(status.circle.id, status.eventId, status.note) })}
      {status.kind === "done" && status.circle.warning && (
        <MessageBar intent="warning" layout="multiline">
          <MessageBarBody>
            <MessageBarTitle>The Teams meeting chat isn't set up.</MessageBarTitle> {status.circle.warning.message}
          </MessageBarBody>
          <MessageBarActions>
            <Button onClick={() => void saveAndLinkAgain(status.circle.id, status.note)}>Save and link again</Button>
          </MessageBarActions>
        </MessageBar>
      )}
      {status.kind === "failed" && <ProblemNotice title="The appointment wasn't fully changed." error={status.error} />}
      {status.kind === "linkFailed" && (
        <ProblemNotice
          title="The appointment is saved, but it isn't the circle's series yet."
          error={status.error}
          onRetry={() => void link(status.circleId, status.eventId, status.note)}
        />
      )}
    </form>
  );
}

/** "6 sessions, the first on Tue 12 Mar, 15:00." in the viewer's zone, as Outlook now has them. */
function describeSeries(circle: CircleDetail, timeZone: string | undefined): string {
  const sessions = (circle.series?.occurrences ?? []).filter((o) => o.status !== "cancelled");
  const first = sessions[0];
  if (!first) return "It's saved and linked to the circle.";
  const when = new Intl.DateTimeFormat(undefined, { weekday: "short", day: "numeric", month: "short", hour: "2-digit", minute: "2-digit", ...(timeZone ? { timeZone } : {}) }).format(new Date(first.start));
  return `It's saved and linked: ${sessions.length} ${sessions.length === 1 ? "session" : "sessions"}, the first on ${when}.`;
}
