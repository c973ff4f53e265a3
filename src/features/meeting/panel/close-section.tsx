import { Button, Caption1, Checkbox, Field, Text, Textarea, ToggleButton } from "@fluentui/react-components";
import { useId, useState } from "react";
import { describeError } from "../../../lib/api-error";
import type { RunState, SessionApi, SessionView } from "../session-api";
import { ErrorBar, Section, usePanelStyles } from "./panel-layout";
import { useSubmitText } from "./use-submit-text";

/** The close: the format's last segment while the run is live, and everything after the end. */
export function isClosing(state: RunState): boolean {
  if (state.status === "ended") return true;
  return state.status !== "notStarted" && state.currentSegmentIndex === state.segments.length - 1;
}

const PULSE_LABELS = ["Not useful", "A little useful", "Useful", "Very useful", "Extremely useful"] as const;

/** The close: my one insight (private unless I share it anonymised) and a one-tap usefulness pulse. */
export function CloseSection({ api, session }: { api: SessionApi; session: SessionView }) {
  const styles = usePanelStyles();
  const pulseLabelId = useId();
  const [saved, setSaved] = useState(session.myInsight);
  const [share, setShare] = useState(session.myInsight?.shareWithProgram ?? false);
  const insight = useSubmitText((text) => api.addInsight(session.id, { text, shareWithProgram: share }).then(setSaved), {
    initial: session.myInsight?.text ?? "",
    clearOnSuccess: false,
  });
  const [rating, setRating] = useState<number | null>(session.myPulse);
  const [pulseError, setPulseError] = useState<string | undefined>();
  const unchanged = saved !== null && saved.text === insight.trimmed && saved.shareWithProgram === share;

  return (
    <Section title="Close">
      <form className={styles.form} onSubmit={insight.onSubmit}>
        <Field label="One insight I'm taking away" hint="Private: only you see it." required>
          <Textarea value={insight.text} maxLength={500} onChange={(_, d) => insight.setText(d.value)} />
        </Field>
        <Checkbox
          checked={share}
          onChange={(_, d) => setShare(d.checked === true)}
          label="Share it anonymously with the program's learning library (without my name or circle)"
        />
        <ErrorBar message={insight.error} />
        <div>
          <Button appearance="primary" type="submit" disabled={insight.pending || insight.empty || unchanged}>
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
      <ErrorBar message={pulseError} />
      <Caption1 role="status">{rating !== null ? `Thanks: you rated this session ${rating} of 5 (${PULSE_LABELS[rating - 1]!.toLowerCase()}).` : ""}</Caption1>
    </Section>
  );
}
