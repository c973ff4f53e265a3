import {
  Accordion,
  AccordionHeader,
  AccordionItem,
  AccordionPanel,
  Badge,
  Body1,
  Button,
  Caption1,
  Checkbox,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  Radio,
  RadioGroup,
  Select,
  Text,
  Textarea,
  ToggleButton,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useId, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { useHost } from "../../host";
import { describeError } from "../../lib/api-error";
import type { Commitment, Intent, NamedRole, ReviewStatus, RunState, SessionApi, SessionView } from "./session-api";
import { formatClock, segmentClock, spokenClock, useLiveSession, useServerNow } from "./use-live-session";

const useStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL, minWidth: 0 },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { margin: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  timer: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: "tabular-nums" },
  overtime: { color: tokens.colorPaletteRedForeground1 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  plainList: { margin: 0, padding: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  bar: { height: "8px", borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorBrandBackground, minWidth: "2px" },
  barTrack: { flexGrow: 1, backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusSmall },
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
});

export const ROLE_LABELS: Record<NamedRole | "coach", string> = {
  facilitator: "Facilitator",
  caseOwner: "Case owner",
  timekeeper: "Timekeeper & note-taker",
  observer: "Observer",
  coach: "Coach",
};

const REVIEW_LABELS: Record<ReviewStatus, string> = { done: "Done", partly: "Partly", notDone: "Not done", changed: "Changed" };

function roleOf(state: RunState, memberId: string): NamedRole | "coach" {
  const roles: NamedRole[] = ["facilitator", "caseOwner", "timekeeper", "observer"];
  return roles.find((r) => state.roles[r] === memberId) ?? "coach";
}

/** Runs intents with one pending flag and one error message for the whole panel. */
function useIntentRunner(send: (intent: Intent) => Promise<unknown>) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const run = async (intent: Intent): Promise<boolean> => {
    setPending(true);
    setError(undefined);
    try {
      await send(intent);
      return true;
    } catch (err) {
      setError(describeError(err));
      return false;
    } finally {
      setPending(false);
    }
  };
  return { run, pending, error };
}

/** The live session in the side panel: everyone sees the same run; controls follow each person's role. */
export function LiveSessionPanel({ api, initial, stageUrl }: { api: SessionApi; initial: SessionView; stageUrl?: string }) {
  const styles = useStyles();
  const { state, offsetMs, connection, send } = useLiveSession(api, initial);
  const serverNow = useServerNow(offsetMs);
  const intents = useIntentRunner(send);
  const me = initial.me;
  const nameOf = (id: string) => (id === me ? "You" : (initial.members.find((m) => m.id === id)?.displayName ?? "A former member"));
  const isFacilitator = state.roles.facilitator === me;
  const keepsTime = isFacilitator || state.roles.timekeeper === me;
  const segment = state.segments[state.currentSegmentIndex]!;
  const guide = initial.guide.find((g) => g.id === segment.id);

  return (
    <div className={styles.stack}>
      <div className={styles.section}>
        <Text as="h2" size={500} weight="semibold" className={styles.heading}>
          {initial.circle.name}
        </Text>
        <Caption1>Session of {initial.occurrenceDate}</Caption1>
        {connection !== "live" && connection !== "connecting" ? (
          <Caption1 role="status">{connection === "unavailable" ? "Live updates aren't available in this browser." : "Reconnecting to live updates…"}</Caption1>
        ) : null}
        {initial.circle.charter.length > 0 ? (
          <Accordion collapsible>
            <AccordionItem value="charter">
              <AccordionHeader size="small">Our charter</AccordionHeader>
              <AccordionPanel>
                <ul className={styles.list}>
                  {initial.circle.charter.map((rule, i) => (
                    <li key={i}>{rule}</li>
                  ))}
                </ul>
              </AccordionPanel>
            </AccordionItem>
          </Accordion>
        ) : null}
      </div>

      <SegmentClock state={state} serverNow={serverNow} />
      {guide ? (
        <div className={styles.section}>
          <Body1>{guide.purpose}</Body1>
          {guide.prompts.length > 0 ? (
            <ul className={styles.list} aria-label="Prompts">
              {guide.prompts.map((p, i) => (
                <li key={i}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      ) : null}
      {segment.kind === "question-storm" && state.roles.caseOwner ? (
        <MessageBar intent="info" layout="multiline">
          <MessageBarBody>{state.roles.caseOwner === me ? "You're the case owner: listen and note the questions that land; answer later." : `${nameOf(state.roles.caseOwner)} listens now: ask open questions, no advice.`}</MessageBarBody>
        </MessageBar>
      ) : null}

      {intents.error ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{intents.error}</MessageBarBody>
        </MessageBar>
      ) : null}

      {keepsTime && state.status !== "ended" ? <RunControls state={state} isFacilitator={isFacilitator} run={intents.run} pending={intents.pending} /> : null}
      {isFacilitator && stageUrl ? <ShareToStage url={stageUrl} /> : null}

      {segment.kind === "round" ? <SpeakingOrder state={state} nameOf={nameOf} canDraw={isFacilitator} run={intents.run} pending={intents.pending} /> : null}

      <Roles state={state} me={me} members={initial.members} nameOf={nameOf} isFacilitator={isFacilitator} run={intents.run} pending={intents.pending} />
      <QuestionBoard state={state} me={me} isFacilitator={isFacilitator} nameOf={nameOf} run={intents.run} pending={intents.pending} highlighted={segment.kind === "question-storm"} />
      <Airtime state={state} members={initial.members} nameOf={nameOf} me={me} run={intents.run} pending={intents.pending} />
      {initial.review.length > 0 ? <Review review={initial.review} state={state} me={me} nameOf={nameOf} run={intents.run} pending={intents.pending} /> : null}
      <CommitmentCard api={api} session={initial} />
      {isClosing(state) ? <Close api={api} session={initial} /> : null}
      <Notes api={api} sessionId={initial.id} />
    </div>
  );
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = useStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Text as="h3" id={id} size={400} weight="semibold" className={styles.heading}>
        {title}
      </Text>
      {children}
    </section>
  );
}

export function SegmentClock({ state, serverNow, large = false }: { state: RunState; serverNow: number; large?: boolean }) {
  const styles = useStyles();
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

function RunControls({ state, isFacilitator, run, pending }: { state: RunState; isFacilitator: boolean; run: (i: Intent) => Promise<boolean>; pending: boolean }) {
  const styles = useStyles();
  const last = state.currentSegmentIndex === state.segments.length - 1;
  return (
    <div className={styles.row} role="group" aria-label="Run the session">
      {isFacilitator && state.status === "notStarted" ? (
        <Button appearance="primary" disabled={pending} onClick={() => void run({ type: "start" })}>
          Start session
        </Button>
      ) : null}
      {state.status === "running" || state.status === "paused" ? (
        <>
          {isFacilitator ? (
            <>
              <Button disabled={pending || state.currentSegmentIndex === 0} onClick={() => void run({ type: "previous" })}>
                Previous
              </Button>
              {last ? (
                <Button appearance="primary" disabled={pending} onClick={() => void run({ type: "end" })}>
                  End session
                </Button>
              ) : (
                <Button appearance="primary" disabled={pending} onClick={() => void run({ type: "next" })}>
                  Next segment
                </Button>
              )}
            </>
          ) : null}
          <Button disabled={pending} onClick={() => void run({ type: "extend", minutes: 2 })}>
            +2 min
          </Button>
          {state.status === "running" ? (
            <Button disabled={pending} onClick={() => void run({ type: "pause" })}>
              Pause
            </Button>
          ) : (
            <Button disabled={pending} onClick={() => void run({ type: "resume" })}>
              Resume
            </Button>
          )}
        </>
      ) : null}
    </div>
  );
}

function ShareToStage({ url }: { url: string }) {
  const host = useHost();
  const [message, setMessage] = useState<string | undefined>();
  if (!host.capabilities.stageSharing.isSupported()) return null;
  return (
    <div>
      <Button
        onClick={() => {
          setMessage(undefined);
          host.capabilities.stageSharing.share(url).then(
            () => setMessage("Shared to the meeting stage."),
            (err: unknown) => setMessage(err instanceof Error ? err.message : "Teams didn't share the agenda to the stage."),
          );
        }}
      >
        Share to stage
      </Button>
      {message ? <Caption1 role="status"> {message}</Caption1> : null}
    </div>
  );
}

function SpeakingOrder({ state, nameOf, canDraw, run, pending }: { state: RunState; nameOf: (id: string) => string; canDraw: boolean; run: (i: Intent) => Promise<boolean>; pending: boolean }) {
  const styles = useStyles();
  return (
    <Section title="Speaking order">
      {state.speakingOrder && state.speakingOrder.length > 0 ? (
        <ol className={styles.list}>
          {state.speakingOrder.map((id) => (
            <li key={id}>{nameOf(id)}</li>
          ))}
        </ol>
      ) : (
        <Caption1>{canDraw ? "Draw an order so everyone speaks once; quieter voices won't be left until last." : "The facilitator draws the order for this round."}</Caption1>
      )}
      {canDraw ? (
        <div>
          <Button disabled={pending} onClick={() => void run({ type: "drawSpeakingOrder" })}>
            {state.speakingOrder ? "Draw again" : "Draw speaking order"}
          </Button>
        </div>
      ) : null}
    </Section>
  );
}

function Roles({
  state,
  me,
  members,
  nameOf,
  isFacilitator,
  run,
  pending,
}: {
  state: RunState;
  me: string;
  members: SessionView["members"];
  nameOf: (id: string) => string;
  isFacilitator: boolean;
  run: (i: Intent) => Promise<boolean>;
  pending: boolean;
}) {
  const styles = useStyles();
  const [role, setRole] = useState<NamedRole>("caseOwner");
  const [memberId, setMemberId] = useState(members[0]?.id ?? "");
  return (
    <Section title="Today's roles">
      <ul className={styles.plainList}>
        {members.map((m) => (
          <li key={m.id}>
            <Text weight={m.id === me ? "semibold" : "regular"}>{nameOf(m.id)}</Text>: {ROLE_LABELS[roleOf(state, m.id)]}
          </li>
        ))}
      </ul>
      {!isFacilitator && state.status === "notStarted" ? (
        <div>
          <Button disabled={pending} onClick={() => void run({ type: "setRole", role: "facilitator", memberId: me })}>
            I'll facilitate today
          </Button>
        </div>
      ) : null}
      {isFacilitator ? (
        <form
          className={styles.form}
          aria-label="Change a role, as agreed"
          onSubmit={(e: FormEvent) => {
            e.preventDefault();
            void run({ type: "setRole", role, memberId });
          }}
        >
          <Field label="Role">
            <Select value={role} onChange={(_, d) => setRole(d.value as NamedRole)}>
              {(["facilitator", "caseOwner", "timekeeper", "observer"] as const).map((r) => (
                <option key={r} value={r}>
                  {ROLE_LABELS[r]}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Give it to">
            <Select value={memberId} onChange={(_, d) => setMemberId(d.value)}>
              {members.map((m) => (
                <option key={m.id} value={m.id}>
                  {nameOf(m.id)}
                </option>
              ))}
            </Select>
          </Field>
          <div>
            <Button type="submit" disabled={pending}>
              Swap role
            </Button>
          </div>
        </form>
      ) : null}
    </Section>
  );
}

const STYLE_BADGES: Record<string, { label: string; color: "success" | "warning" | "informative" }> = {
  open: { label: "Open", color: "success" },
  why: { label: "Why", color: "informative" },
  closed: { label: "Closed", color: "warning" },
  advice: { label: "Advice?", color: "warning" },
};

function QuestionBoard({
  state,
  me,
  isFacilitator,
  nameOf,
  run,
  pending,
  highlighted,
}: {
  state: RunState;
  me: string;
  isFacilitator: boolean;
  nameOf: (id: string) => string;
  run: (i: Intent) => Promise<boolean>;
  pending: boolean;
  highlighted: boolean;
}) {
  const styles = useStyles();
  const [text, setText] = useState("");
  return (
    <Section title="Question board">
      {highlighted ? <Caption1>Open questions only: start with what, how or who.</Caption1> : null}
      {state.questions.length === 0 ? <Caption1>No questions yet.</Caption1> : null}
      <ul className={styles.plainList} aria-label="Questions">
        {state.questions.map((q) => {
          const badge = STYLE_BADGES[q.style] ?? STYLE_BADGES.open!;
          return (
            <li key={q.id} className={styles.card}>
              <Body1>{q.text}</Body1>
              <div className={styles.row}>
                <Badge appearance="tint" color={badge.color}>
                  {badge.label}
                </Badge>
                <Caption1>{nameOf(q.authorId)}</Caption1>
                {q.authorId === me || isFacilitator ? (
                  <Button size="small" appearance="subtle" disabled={pending} aria-label={`Remove question: ${q.text}`} onClick={() => void run({ type: "removeQuestion", id: q.id })}>
                    Remove
                  </Button>
                ) : null}
              </div>
              {q.suggestion ? <Caption1>Try instead: {q.suggestion}</Caption1> : null}
            </li>
          );
        })}
      </ul>
      <form
        className={styles.form}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const value = text.trim();
          if (value === "") return;
          void run({ type: "addQuestion", text: value }).then((ok) => ok && setText(""));
        }}
      >
        <Field label="Your question">
          <Input value={text} maxLength={500} onChange={(_, d) => setText(d.value)} />
        </Field>
        <div>
          <Button type="submit" disabled={pending || text.trim() === ""}>
            Add question
          </Button>
        </div>
      </form>
    </Section>
  );
}

function Airtime({ state, members, nameOf, me, run, pending }: { state: RunState; members: SessionView["members"]; nameOf: (id: string) => string; me: string; run: (i: Intent) => Promise<boolean>; pending: boolean }) {
  const styles = useStyles();
  const mayTally = state.roles.observer === null ? state.roles.facilitator === me : state.roles.observer === me;
  const max = Math.max(1, ...members.map((m) => state.airtime[m.id] ?? 0));
  return (
    <Section title="Airtime">
      <Caption1>{mayTally ? "You keep the tally: add time as people speak." : "The observer keeps this tally."}</Caption1>
      <ul className={styles.plainList} aria-label="Airtime by person">
        {members.map((m) => {
          const seconds = state.airtime[m.id] ?? 0;
          return (
            <li key={m.id} className={styles.section}>
              <div className={styles.row}>
                <Text>{nameOf(m.id)}</Text>
                <Caption1>{formatClock(seconds)}</Caption1>
                {mayTally ? (
                  <Button size="small" disabled={pending || state.status !== "running"} aria-label={`Add 30 seconds for ${nameOf(m.id)}`} onClick={() => void run({ type: "tallyAirtime", memberId: m.id, seconds: 30 })}>
                    +30 s
                  </Button>
                ) : null}
              </div>
              <div className={styles.barTrack} aria-hidden="true">
                <div className={styles.bar} style={{ width: `${Math.round((seconds / max) * 100)}%` }} />
              </div>
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function Review({ review, state, me, nameOf, run, pending }: { review: Commitment[]; state: RunState; me: string; nameOf: (id: string) => string; run: (i: Intent) => Promise<boolean>; pending: boolean }) {
  const styles = useStyles();
  return (
    <Section title="Last session's commitments">
      <ul className={styles.plainList}>
        {review.map((c) => {
          const reviewed = state.reviewed[c.id] ?? c.review;
          return (
            <li key={c.id} className={styles.card}>
              <Caption1>{nameOf(c.ownerId)}</Caption1>
              <Body1>I will {c.action}</Body1>
              {c.signal ? <Caption1>I'll know it worked when {c.signal}</Caption1> : null}
              {reviewed ? (
                <Caption1>
                  {REVIEW_LABELS[reviewed.status]}
                  {reviewed.learning ? ` · ${reviewed.learning}` : ""}
                </Caption1>
              ) : null}
              {c.ownerId === me ? <ReviewForm commitmentId={c.id} run={run} pending={pending} /> : null}
            </li>
          );
        })}
      </ul>
    </Section>
  );
}

function ReviewForm({ commitmentId, run, pending }: { commitmentId: string; run: (i: Intent) => Promise<boolean>; pending: boolean }) {
  const styles = useStyles();
  const [status, setStatus] = useState<ReviewStatus>("done");
  const [learning, setLearning] = useState("");
  return (
    <form
      className={styles.form}
      aria-label="Review my commitment"
      onSubmit={(e: FormEvent) => {
        e.preventDefault();
        void run({ type: "markReviewed", commitmentId, status, learning: learning.trim() });
      }}
    >
      <Field label="How did it go?">
        <Select value={status} onChange={(_, d) => setStatus(d.value as ReviewStatus)}>
          {(Object.keys(REVIEW_LABELS) as ReviewStatus[]).map((s) => (
            <option key={s} value={s}>
              {REVIEW_LABELS[s]}
            </option>
          ))}
        </Select>
      </Field>
      <Field label="One line of learning">
        <Input value={learning} maxLength={280} onChange={(_, d) => setLearning(d.value)} />
      </Field>
      <div>
        <Button type="submit" disabled={pending}>
          Save review
        </Button>
      </div>
    </form>
  );
}

function CommitmentCard({ api, session }: { api: SessionApi; session: SessionView }) {
  const styles = useStyles();
  const [mine, setMine] = useState<Commitment | null>(session.myCommitment);
  const [action, setAction] = useState("");
  const [dueDate, setDueDate] = useState(session.defaultDueDate);
  const [signal, setSignal] = useState("");
  const [support, setSupport] = useState("");
  const [addToTodo, setAddToTodo] = useState(true);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();

  if (mine) {
    return (
      <Section title="My commitment">
        <div className={styles.card}>
          <Body1>I will {mine.action}</Body1>
          <Caption1>By {mine.dueDate}</Caption1>
          {mine.signal ? <Caption1>I'll know it worked when {mine.signal}</Caption1> : null}
        </div>
        <Caption1 role="status">{mine.postedToChat ? "Posted to the meeting chat." : "Saved."}{mine.todoTaskId ? " Added to Microsoft To Do." : ""}</Caption1>
        {mine.todoProblem ? (
          <MessageBar intent="warning" layout="multiline">
            <MessageBarBody>{mine.todoProblem}</MessageBarBody>
          </MessageBar>
        ) : null}
      </Section>
    );
  }
  return (
    <Section title="My commitment">
      <form
        className={styles.form}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setPending(true);
          setError(undefined);
          api
            .writeCommitment(session.id, { action: action.trim(), dueDate, signal: signal.trim(), ...(support.trim() ? { supportWanted: support.trim() } : {}), addToTodo })
            .then(setMine, (err: unknown) => setError(describeError(err)))
            .finally(() => setPending(false));
        }}
      >
        <Field label="I will …" required>
          <Textarea value={action} maxLength={280} onChange={(_, d) => setAction(d.value)} />
        </Field>
        <Field label="By when" hint={session.nextSessionDate ? `Next session: ${session.nextSessionDate}` : undefined}>
          <Input type="date" value={dueDate} onChange={(_, d) => setDueDate(d.value)} />
        </Field>
        <Field label="I'll know it worked when …">
          <Input value={signal} maxLength={280} onChange={(_, d) => setSignal(d.value)} />
        </Field>
        <Field label="Support I'd like">
          <Input value={support} maxLength={280} onChange={(_, d) => setSupport(d.value)} />
        </Field>
        <Checkbox checked={addToTodo} onChange={(_, d) => setAddToTodo(d.checked === true)} label="Also add it to Microsoft To Do" />
        {error ? (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div>
          <Button appearance="primary" type="submit" disabled={pending || action.trim() === "" || dueDate === ""}>
            Post my card to the chat
          </Button>
        </div>
      </form>
    </Section>
  );
}

/** The close: the format's last segment while the run is live, and everything after the end. */
function isClosing(state: RunState): boolean {
  if (state.status === "ended") return true;
  return state.status !== "notStarted" && state.currentSegmentIndex === state.segments.length - 1;
}

const PULSE_LABELS = ["Not useful", "A little useful", "Useful", "Very useful", "Extremely useful"] as const;

/** The close: my one insight (private unless I share it anonymised) and a one-tap usefulness pulse. */
function Close({ api, session }: { api: SessionApi; session: SessionView }) {
  const styles = useStyles();
  const pulseLabelId = useId();
  const [saved, setSaved] = useState(session.myInsight);
  const [text, setText] = useState(session.myInsight?.text ?? "");
  const [share, setShare] = useState(session.myInsight?.shareWithProgram ?? false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [rating, setRating] = useState<number | null>(session.myPulse);
  const [pulseError, setPulseError] = useState<string | undefined>();
  const unchanged = saved !== null && saved.text === text.trim() && saved.shareWithProgram === share;

  return (
    <Section title="Close">
      <form
        className={styles.form}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const value = text.trim();
          if (value === "") return;
          setPending(true);
          setError(undefined);
          api
            .addInsight(session.id, { text: value, shareWithProgram: share })
            .then(setSaved, (err: unknown) => setError(describeError(err)))
            .finally(() => setPending(false));
        }}
      >
        <Field label="One insight I'm taking away" hint="Private: only you see it." required>
          <Textarea value={text} maxLength={500} onChange={(_, d) => setText(d.value)} />
        </Field>
        <Checkbox
          checked={share}
          onChange={(_, d) => setShare(d.checked === true)}
          label="Share it anonymously with the program's learning library (without my name or circle)"
        />
        {error ? (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div>
          <Button appearance="primary" type="submit" disabled={pending || text.trim() === "" || unchanged}>
            {saved ? "Update my insight" : "Save my insight"}
          </Button>
        </div>
        <Caption1 role="status">{saved ? (saved.shareWithProgram ? "Insight saved, and shared anonymously with the program." : "Insight saved. Only you can see it.") : ""}</Caption1>
      </form>

      <Text id={pulseLabelId} weight="semibold">
        How useful was this session?
      </Text>
      <div className={styles.row} role="group" aria-labelledby={pulseLabelId}>
        {PULSE_LABELS.map((label, i) => {
          const value = i + 1;
          return (
            <ToggleButton
              key={value}
              checked={rating === value}
              aria-label={`${value} of 5: ${label}`}
              title={label}
              onClick={() => {
                setPulseError(undefined);
                const previous = rating;
                setRating(value);
                api.sendPulse(session.id, value).then(
                  (r) => setRating(r.rating),
                  (err: unknown) => {
                    setRating(previous);
                    setPulseError(describeError(err));
                  },
                );
              }}
            >
              {value}
            </ToggleButton>
          );
        })}
      </div>
      {pulseError ? (
        <MessageBar intent="error" layout="multiline">
          <MessageBarBody>{pulseError}</MessageBarBody>
        </MessageBar>
      ) : null}
      <Caption1 role="status">{rating !== null ? `Thanks: you rated this session ${rating} of 5 (${PULSE_LABELS[rating - 1]!.toLowerCase()}).` : ""}</Caption1>
    </Section>
  );
}

function Notes({ api, sessionId }: { api: SessionApi; sessionId: string }) {
  const styles = useStyles();
  const queryClient = useQueryClient();
  const key = ["session-notes", sessionId];
  const notes = useQuery({ queryKey: key, queryFn: () => api.listNotes(sessionId), refetchInterval: 15_000 });
  const [text, setText] = useState("");
  const [visibility, setVisibility] = useState<"private" | "circle">("private");
  const [error, setError] = useState<string | undefined>();
  return (
    <Section title="Notes">
      <ul className={styles.plainList} aria-label="Notes">
        {(notes.data ?? []).map((n) => (
          <li key={n.id} className={styles.card}>
            <Body1>{n.text}</Body1>
            <Caption1>{n.visibility === "private" ? "Private: only you" : "Circle: members"}</Caption1>
          </li>
        ))}
      </ul>
      <form
        className={styles.form}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          const value = text.trim();
          if (value === "") return;
          setError(undefined);
          api.addNote(sessionId, { text: value, visibility }).then(
            () => {
              setText("");
              void queryClient.invalidateQueries({ queryKey: key });
            },
            (err: unknown) => setError(describeError(err)),
          );
        }}
      >
        <Field label="Note">
          <Textarea value={text} maxLength={2000} onChange={(_, d) => setText(d.value)} />
        </Field>
        <RadioGroup value={visibility} onChange={(_, d) => setVisibility(d.value as "private" | "circle")} aria-label="Who sees this note" layout="horizontal">
          <Radio value="private" label="Only me" />
          <Radio value="circle" label="The circle" />
        </RadioGroup>
        {error ? (
          <MessageBar intent="error" layout="multiline">
            <MessageBarBody>{error}</MessageBarBody>
          </MessageBar>
        ) : null}
        <div>
          <Button type="submit" disabled={text.trim() === ""}>
            Save note
          </Button>
        </div>
      </form>
    </Section>
  );
}
