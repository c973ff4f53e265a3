import { useState } from "react";
import { describeError } from "../../lib/api-error";
import { AirtimeTally } from "./panel/airtime-tally";
import { CloseSection, isClosing } from "./panel/close-section";
import { CommitmentCard } from "./panel/commitment-card";
import { CommitmentReview } from "./panel/commitment-review";
import { NotesSection } from "./panel/notes-section";
import { ErrorBar, usePanelStyles } from "./panel/panel-layout";
import { QuestionBoard } from "./panel/question-board";
import { RolesSection } from "./panel/roles-section";
import { RunControls, ShareToStage } from "./panel/run-controls";
import { CaseOwnerListens, SegmentClock, SegmentGuide } from "./panel/segment-clock";
import { SessionHeader } from "./panel/session-header";
import { SpeakingOrder } from "./panel/speaking-order";
import type { Intent, SessionApi, SessionView } from "./session-api";
import { useLiveSession, useServerNow } from "./use-live-session";

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
  const styles = usePanelStyles();
  const { state, offsetMs, connection, send, notes, mergeNotes } = useLiveSession(api, initial);
  const serverNow = useServerNow(offsetMs);
  const { run, pending, error } = useIntentRunner(send);
  const me = initial.me;
  const nameOf = (id: string) => (id === me ? "You" : (initial.members.find((m) => m.id === id)?.displayName ?? "A former member"));
  const isFacilitator = state.roles.facilitator === me;
  const keepsTime = isFacilitator || state.roles.timekeeper === me;
  const segment = state.segments[state.currentSegmentIndex]!;
  const intents = { run, pending };

  return (
    <div className={styles.stack}>
      <SessionHeader session={initial} connection={connection} />
      <SegmentClock state={state} serverNow={serverNow} />
      <SegmentGuide state={state} guide={initial.guide} />
      <CaseOwnerListens state={state} me={me} nameOf={nameOf} />
      <ErrorBar message={error} />

      {keepsTime && state.status !== "ended" ? <RunControls state={state} isFacilitator={isFacilitator} {...intents} /> : null}
      {isFacilitator && stageUrl ? <ShareToStage url={stageUrl} /> : null}
      {segment.kind === "round" ? <SpeakingOrder state={state} nameOf={nameOf} canDraw={isFacilitator} {...intents} /> : null}

      <RolesSection state={state} me={me} members={initial.members} nameOf={nameOf} isFacilitator={isFacilitator} {...intents} />
      <QuestionBoard state={state} me={me} isFacilitator={isFacilitator} nameOf={nameOf} highlighted={segment.kind === "question-storm"} {...intents} />
      <AirtimeTally state={state} members={initial.members} nameOf={nameOf} me={me} {...intents} />
      {initial.review.length > 0 ? <CommitmentReview review={initial.review} state={state} me={me} nameOf={nameOf} {...intents} /> : null}
      <CommitmentCard api={api} session={initial} />
      {isClosing(state) ? <CloseSection api={api} session={initial} /> : null}
      <NotesSection api={api} sessionId={initial.id} me={me} nameOf={nameOf} notes={notes} mergeNotes={mergeNotes} connection={connection} />
    </div>
  );
}
