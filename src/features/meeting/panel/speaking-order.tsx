import { Button, Caption1 } from "@fluentui/react-components";
import type { RunState } from "../session-api";
import { Section, usePanelStyles, type IntentProps } from "./panel-layout";

/** For rounds: the drawn order (everyone once, quieter voices not last); the facilitator draws it. */
export function SpeakingOrder({ state, nameOf, canDraw, run, pending }: IntentProps & { state: RunState; nameOf: (id: string) => string; canDraw: boolean }) {
  const styles = usePanelStyles();
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
