import { Body1, Button, Caption1, Field, Input, Select } from "@fluentui/react-components";
import { useState } from "react";
import type { Commitment, ReviewStatus, RunState } from "../session-api";
import { REVIEW_LABELS, Section, usePanelStyles, type IntentProps } from "./panel-layout";
import { useSubmitText } from "./use-submit-text";

/** The review segment's list: last session's cards; each owner marks what happened, with one line of learning. */
export function CommitmentReview({ review, state, me, nameOf, run, pending }: IntentProps & { review: Commitment[]; state: RunState; me: string; nameOf: (id: string) => string }) {
  const styles = usePanelStyles();
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

function ReviewForm({ commitmentId, run, pending }: IntentProps & { commitmentId: string }) {
  const styles = usePanelStyles();
  const [status, setStatus] = useState<ReviewStatus>("done");
  // The learning line is optional and stays in the field after saving (the owner may refine it).
  const learning = useSubmitText((text) => run({ type: "markReviewed", commitmentId, status, learning: text }), { clearOnSuccess: false, allowEmpty: true });
  return (
    <form className={styles.form} aria-label="Review my commitment" onSubmit={learning.onSubmit}>
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
        <Input value={learning.text} maxLength={280} onChange={(_, d) => learning.setText(d.value)} />
      </Field>
      <div>
        <Button type="submit" disabled={pending || learning.pending}>
          Save review
        </Button>
      </div>
    </form>
  );
}
