import { Body1, Button, Caption1, Field, Radio, RadioGroup, Textarea } from "@fluentui/react-components";
import { useQuery } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { SessionApi, StreamNote } from "../session-api";
import type { Connection } from "../use-live-session";
import { ErrorBar, Section, usePanelStyles } from "./panel-layout";
import { useSubmitText } from "./use-submit-text";

/** How often notes are read while live updates are down (they arrive on the stream otherwise). */
const FALLBACK_POLL_MS = 15_000;

/**
 * Notes: private (only me) or for the circle (members). Others' circle notes arrive live on the
 * session's stream; while it is down the list is polled instead.
 */
export function NotesSection({
  api,
  sessionId,
  me,
  nameOf,
  notes,
  mergeNotes,
  connection,
}: {
  api: SessionApi;
  sessionId: string;
  me: string;
  nameOf: (id: string) => string;
  notes: readonly StreamNote[];
  mergeNotes: (notes: readonly StreamNote[]) => void;
  connection: Connection;
}) {
  const styles = usePanelStyles();
  const streamDown = connection === "reconnecting" || connection === "unavailable";
  const polled = useQuery({ queryKey: ["session-notes", sessionId], queryFn: () => api.listNotes(sessionId), enabled: streamDown, refetchInterval: streamDown ? FALLBACK_POLL_MS : false });
  useEffect(() => {
    if (polled.data) mergeNotes(polled.data);
  }, [polled.data, mergeNotes]);
  const [visibility, setVisibility] = useState<"private" | "circle">("private");
  const note = useSubmitText((text) => api.addNote(sessionId, { text, visibility }).then((saved) => mergeNotes([saved])));

  return (
    <Section title="Notes">
      <ul className={styles.plainList} aria-label="Notes">
        {notes.map((n) => (
          <li key={n.id} className={styles.card}>
            <Body1>{n.text}</Body1>
            <Caption1>{n.visibility === "private" ? "Private: only you" : n.authorId === me ? "Circle: members" : `Circle: members · from ${nameOf(n.authorId)}`}</Caption1>
          </li>
        ))}
      </ul>
      <form className={styles.form} onSubmit={note.onSubmit}>
        <Field label="Note">
          <Textarea value={note.text} maxLength={2000} onChange={(_, d) => note.setText(d.value)} />
        </Field>
        <RadioGroup value={visibility} onChange={(_, d) => setVisibility(d.value as "private" | "circle")} aria-label="Who sees this note" layout="horizontal">
          <Radio value="private" label="Only me" />
          <Radio value="circle" label="The circle" />
        </RadioGroup>
        <ErrorBar message={note.error} />
        <div>
          <Button type="submit" disabled={note.pending || note.empty}>
            Save note
          </Button>
        </div>
      </form>
    </Section>
  );
}
