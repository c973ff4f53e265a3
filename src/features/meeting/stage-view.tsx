import { LargeTitle, Text, Title1, Title3, makeStyles, tokens } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useHostContext } from "../../host";
import { SegmentClock } from "./panel/segment-clock";
import type { SessionApi, SessionView } from "./session-api";
import { useLiveSession, useServerNow, useSessionApi } from "./use-live-session";

const useStyles = makeStyles({
  stage: {
    boxSizing: "border-box",
    minHeight: "100vh",
    display: "flex",
    flexDirection: "column",
    justifyContent: "center",
    alignItems: "center",
    textAlign: "center",
    rowGap: tokens.spacingVerticalXXL,
    padding: tokens.spacingHorizontalXXL,
    overflowWrap: "anywhere",
  },
  title: { margin: 0 },
  status: { margin: 0, color: tokens.colorNeutralForeground2, maxWidth: "24em" },
  agenda: { margin: 0, padding: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, fontSize: tokens.fontSizeBase500 },
  current: { fontWeight: tokens.fontWeightBold },
  questions: { margin: 0, paddingLeft: tokens.spacingHorizontalXXL, textAlign: "left", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, fontSize: tokens.fontSizeBase500, maxWidth: "40em" },
});

/**
 * The shared meeting stage: read-only and legible across a room — large type, the current segment
 * and its timer, the agenda and the question board. "Waiting for the facilitator" is a real state:
 * it shows until the session can be read (and for people the panel can't sign in).
 */
export function StageView() {
  const context = useHostContext();
  const ready = context.kind !== "browser" && !!context.meetingId && !!context.user;
  return ready ? <StageSession chatId={context.chatId} meetingId={context.meetingId!} /> : <Waiting />;
}

function Waiting({ message = "Waiting for the facilitator to share the agenda" }: { message?: string }) {
  const styles = useStyles();
  return (
    <main className={styles.stage}>
      <LargeTitle as="h1" className={styles.title}>
        Coaching circle
      </LargeTitle>
      <Title1 as="p" role="status" className={styles.status}>
        {message}
      </Title1>
    </main>
  );
}

function StageSession({ chatId, meetingId }: { chatId?: string; meetingId: string }) {
  const api = useSessionApi();
  const found = useQuery({ queryKey: ["stage-session", chatId ?? "", meetingId], queryFn: () => api.findMeetingSession({ ...(chatId ? { chatId } : {}), meetingId }), staleTime: Infinity });
  if (found.isPending) return <Waiting />;
  if (found.isError) return <Waiting message={found.error instanceof Error ? found.error.message : "The session isn't available."} />;
  if (found.data.status !== "linked") return <Waiting message="This meeting isn't linked to a circle yet." />;
  return <LiveStage api={api} session={found.data.session} />;
}

function LiveStage({ api, session }: { api: SessionApi; session: SessionView }) {
  const styles = useStyles();
  const { state, offsetMs } = useLiveSession(api, session);
  const serverNow = useServerNow(offsetMs);
  const segment = state.segments[state.currentSegmentIndex]!;
  return (
    <main className={styles.stage}>
      <Title3 as="p" className={styles.title}>
        {session.circle.name}
      </Title3>
      <SegmentClock state={state} serverNow={serverNow} large />
      {segment.kind === "question-storm" || state.questions.length > 0 ? (
        <section aria-label="Question board">
          <Title1 as="h2" className={styles.title}>
            Questions
          </Title1>
          <ol className={styles.questions}>
            {state.questions.map((q) => (
              <li key={q.id}>{q.text}</li>
            ))}
          </ol>
        </section>
      ) : null}
      <section aria-label="Agenda">
        <ol className={styles.agenda}>
          {state.segments.map((s, i) => (
            <li key={s.id} className={i === state.currentSegmentIndex ? styles.current : undefined} aria-current={i === state.currentSegmentIndex ? "step" : undefined}>
              <Text size={500} weight={i === state.currentSegmentIndex ? "bold" : "regular"}>
                {s.name} · {s.minutes} min
              </Text>
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
