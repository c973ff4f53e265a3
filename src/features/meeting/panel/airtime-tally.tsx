import { Button, Caption1, Text } from "@fluentui/react-components";
import type { RunState, SessionView } from "../session-api";
import { formatClock } from "../use-live-session";
import { Section, usePanelStyles, type IntentProps } from "./panel-layout";

/** The observer's airtime tally (the facilitator's when nobody observes), with a bar per person. */
export function AirtimeTally({ state, members, nameOf, me, run, pending }: IntentProps & { state: RunState; members: SessionView["members"]; nameOf: (id: string) => string; me: string }) {
  const styles = usePanelStyles();
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
