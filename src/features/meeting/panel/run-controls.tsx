import { Button, Caption1 } from "@fluentui/react-components";
import { useState } from "react";
import { useHost } from "../../../host";
import type { RunState } from "../session-api";
import { usePanelStyles, type IntentProps } from "./panel-layout";

/** Start, previous/next/end (facilitator), +2 min and pause/resume (facilitator or timekeeper). */
export function RunControls({ state, isFacilitator, run, pending }: IntentProps & { state: RunState; isFacilitator: boolean }) {
  const styles = usePanelStyles();
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

/** The facilitator shares the read-only stage view, where the host supports it. */
export function ShareToStage({ url }: { url: string }) {
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
