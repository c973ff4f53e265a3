import { Body1, Caption1, MessageBar, MessageBarBody, Text } from "@fluentui/react-components";
import type { RunState, SessionView } from "../session-api";
import { formatClock, segmentClock, spokenClock } from "../use-live-session";
import { usePanelStyles } from "./panel-layout";

/** The current segment, its place in the format and its server-time timer (overtime in red). */
export function SegmentClock({ state, serverNow, large = false }: { state: RunState; serverNow: number; large?: boolean }) {
  const styles = usePanelStyles();
  const segment = state.segments[state.currentSegmentIndex]!;
  const clock = segmentClock(state, serverNow);
  const over = clock.overtimeSeconds > 0;
  const status = state.status === "notStarted" ? "Not started" : state.status === "paused" ? "Paused" : state.status === "ended" ? "Session ended" : over ? "Over time" : "Running";
  return (
    <section className={styles.section} aria-label="Current segment">
      <Text as={large ? "h1" : "h2"} size={large ? 900 : 500} weight="semibold" className={styles.heading}>
        {segment.name}
      </Text>
      <Caption1>
        Segment {state.currentSegmentIndex + 1} of {state.segments.length} · {segment.minutes + state.segmentExtendedMinutes} min · {status}
      </Caption1>
      <div
        role="timer"
        aria-label={over ? `${spokenClock(clock.overtimeSeconds)} over time` : `${spokenClock(clock.remainingSeconds)} left`}
        className={over ? `${styles.timer} ${styles.overtime}` : styles.timer}
      >
        {over ? `+${formatClock(clock.overtimeSeconds)} over` : formatClock(clock.remainingSeconds)}
      </div>
    </section>
  );
}

/** What the current segment is for and its prompts, from the format's guide. */
export function SegmentGuide({ state, guide }: { state: RunState; guide: SessionView["guide"] }) {
  const styles = usePanelStyles();
  const segment = state.segments[state.currentSegmentIndex]!;
  const entry = guide.find((g) => g.id === segment.id);
  if (!entry) return null;
  return (
    <div className={styles.section}>
      <Body1>{entry.purpose}</Body1>
      {entry.prompts.length > 0 ? (
        <ul className={styles.list} aria-label="Prompts">
          {entry.prompts.map((p, i) => (
            <li key={i}>{p}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** During the question storm: the case owner listens (said to them, and to everyone else). */
export function CaseOwnerListens({ state, me, nameOf }: { state: RunState; me: string; nameOf: (id: string) => string }) {
  const segment = state.segments[state.currentSegmentIndex]!;
  if (segment.kind !== "question-storm" || !state.roles.caseOwner) return null;
  return (
    <MessageBar intent="info" layout="multiline">
      <MessageBarBody>{state.roles.caseOwner === me ? "You're the case owner: listen and note the questions that land; answer later." : `${nameOf(state.roles.caseOwner)} listens now: ask open questions, no advice.`}</MessageBarBody>
    </MessageBar>
  );
}
