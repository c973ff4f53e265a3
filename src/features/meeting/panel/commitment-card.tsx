import { Body1, Button, Caption1, Checkbox, Field, Input, MessageBar, MessageBarBody, Textarea } from "@fluentui/react-components";
import { useState } from "react";
import type { Commitment, SessionApi, SessionView } from "../session-api";
import { ErrorBar, Section, usePanelStyles } from "./panel-layout";
import { useSubmitText } from "./use-submit-text";

/** My commitment card: written once, posted to the meeting chat as me, optionally a To Do task. */
export function CommitmentCard({ api, session }: { api: SessionApi; session: SessionView }) {
  const styles = usePanelStyles();
  const [mine, setMine] = useState<Commitment | null>(session.myCommitment);
  const [dueDate, setDueDate] = useState(session.defaultDueDate);
  const [signal, setSignal] = useState("");
  const [support, setSupport] = useState("");
  const [addToTodo, setAddToTodo] = useState(true);
  const action = useSubmitText(
    (text) =>
      api
        .writeCommitment(session.id, { action: text, dueDate, signal: signal.trim(), ...(support.trim() ? { supportWanted: support.trim() } : {}), addToTodo })
        .then(setMine),
    { clearOnSuccess: false },
  );

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
      <form className={styles.form} onSubmit={action.onSubmit}>
        <Field label="I will …" required>
          <Textarea value={action.text} maxLength={280} onChange={(_, d) => action.setText(d.value)} />
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
        <ErrorBar message={action.error} />
        <div>
          <Button appearance="primary" type="submit" disabled={action.pending || action.empty || dueDate === ""}>
            Post my card to the chat
          </Button>
        </div>
      </form>
    </Section>
  );
}
