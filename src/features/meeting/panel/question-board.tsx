import { Badge, Body1, Button, Caption1, Field, Input } from "@fluentui/react-components";
import type { RunState } from "../session-api";
import { Section, usePanelStyles, type IntentProps } from "./panel-layout";
import { useSubmitText } from "./use-submit-text";

const STYLE_BADGES: Record<string, { label: string; color: "success" | "warning" | "informative" }> = {
  open: { label: "Open", color: "success" },
  why: { label: "Why", color: "informative" },
  closed: { label: "Closed", color: "warning" },
  advice: { label: "Advice?", color: "warning" },
};

/** The question storm board: everyone adds questions; closed ones get a gentle rephrase suggestion. */
export function QuestionBoard({
  state,
  me,
  isFacilitator,
  nameOf,
  run,
  pending,
  highlighted,
}: IntentProps & { state: RunState; me: string; isFacilitator: boolean; nameOf: (id: string) => string; highlighted: boolean }) {
  const styles = usePanelStyles();
  // Errors go to the panel's one error bar (run reports them), so only the text is kept here.
  const question = useSubmitText((text) => run({ type: "addQuestion", text }));
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
      <form className={styles.form} onSubmit={question.onSubmit}>
        <Field label="Your question">
          <Input value={question.text} maxLength={500} onChange={(_, d) => question.setText(d.value)} />
        </Field>
        <div>
          <Button type="submit" disabled={pending || question.pending || question.empty}>
            Add question
          </Button>
        </div>
      </form>
    </Section>
  );
}
