import { Body1, Button, Field, MessageBar, MessageBarBody, MessageBarTitle, Subtitle2, Text, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useRef, useState } from "react";
import type { ChangeEvent } from "react";
import { ErrorNotice } from "../../components/error-notice";
import type { EnrolResult, Program } from "./program-api";
import { useEnrol } from "./use-programs";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  toggle: { alignSelf: "flex-start" },
  actions: { display: "flex", flexWrap: "wrap", alignItems: "center", gap: tokens.spacingHorizontalS },
  // The native file input stays in the page (and the accessibility tree) but out of sight; the
  // visible button opens it.
  fileInput: { position: "absolute", width: "1px", height: "1px", overflow: "hidden", clip: "rect(0 0 0 0)", whiteSpace: "nowrap" },
  rejected: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, overflowWrap: "anywhere" },
  people: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, columns: "2 200px", overflowWrap: "anywhere" },
});

/** The API takes a CSV of this size at most (api/programs/schemas-http.ts). */
const MAX_CSV_CHARS = 200_000;

/**
 * A pasted list as the API's CSV (header `upn`): the API then answers each malformed or unknown
 * entry with a reason instead of refusing the whole list.
 */
export function pastedListToCsv(text: string): string | undefined {
  const entries = text
    .split(/[\s,;]+/)
    .map((e) => e.trim())
    .filter((e) => e !== "");
  if (entries.length === 0) return undefined;
  return ["upn", ...entries.map((e) => `"${e.replace(/"/g, '""')}"`)].join("\n");
}

/** A chosen file's text (FileReader: every browser the hosts run, and jsdom). */
function readText(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === "string" ? reader.result : "");
    reader.onerror = () => reject(reader.error ?? new Error("unreadable file"));
    reader.readAsText(file);
  });
}

/** Enrol a pool: paste user principal names or choose a CSV file; people who can't be enrolled are listed with the reason. */
export function EnrolPanel({ program }: { program: Program }) {
  const styles = useStyles();
  const enrol = useEnrol(program.id);
  const headingId = useId();
  const fileId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const [pasted, setPasted] = useState("");
  const [inputError, setInputError] = useState<string>();
  const [result, setResult] = useState<EnrolResult>();
  const [showPeople, setShowPeople] = useState(false);

  const send = (csv: string) => {
    setInputError(undefined);
    if (csv.length > MAX_CSV_CHARS) {
      setInputError("That list is too long for one go. Split it into files of about 2,000 people.");
      return;
    }
    enrol.mutate(
      { csv },
      {
        onSuccess: (answer) => {
          setResult(answer);
          setPasted("");
        },
      },
    );
  };

  const enrolPasted = () => {
    const csv = pastedListToCsv(pasted);
    if (!csv) {
      setInputError("Paste at least one user principal name, like megan.bowen@contoso.com.");
      return;
    }
    send(csv);
  };

  const enrolFile = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file) return;
    try {
      send(await readText(file));
    } catch {
      setInputError("That file couldn't be read. Save it as CSV (UTF-8) and choose it again.");
    }
  };

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        1. Enrol people
      </Subtitle2>
      <Body1>
        {program.enrolled.length === 0 ? "Nobody is enrolled yet." : `${program.enrolled.length} ${program.enrolled.length === 1 ? "person is" : "people are"} enrolled.`}
      </Body1>
      {program.enrolled.length > 0 && (
        <>
          <Button appearance="subtle" size="small" className={styles.toggle} aria-expanded={showPeople} onClick={() => setShowPeople((v) => !v)}>
            {showPeople ? "Hide enrolled people" : "Show enrolled people"}
          </Button>
          {showPeople && (
            <ul className={styles.people} aria-label="Enrolled people">
              {program.enrolled.map((p) => (
                <li key={p.id}>{p.displayName}</li>
              ))}
            </ul>
          )}
        </>
      )}
      <Field label="People to enrol" hint="User principal names (work email addresses), one per line or separated by commas." validationMessage={inputError}>
        <Textarea value={pasted} onChange={(_, d) => setPasted(d.value)} resize="vertical" rows={4} />
      </Field>
      <div className={styles.actions}>
        <Button appearance="primary" onClick={enrolPasted} disabled={enrol.isPending}>
          {enrol.isPending ? "Enrolling…" : "Enrol these people"}
        </Button>
        <Text>or</Text>
        <input id={fileId} ref={fileInput} className={styles.fileInput} type="file" accept=".csv,text/csv" tabIndex={-1} aria-label="CSV file of people to enrol" onChange={(e) => void enrolFile(e)} />
        <Button onClick={() => fileInput.current?.click()} disabled={enrol.isPending}>
          Choose a CSV file…
        </Button>
      </div>
      <Text size={200}>The CSV needs a header row with a “upn” column; other columns are ignored.</Text>
      {enrol.isError && <ErrorNotice title="Nobody was enrolled." error={enrol.error} />}
      {result && !enrol.isPending && (
        <div role="status">
          <MessageBar intent={result.rejected.length > 0 ? "warning" : "success"} layout="multiline">
            <MessageBarBody>
              <MessageBarTitle>
                {result.enrolled.length === 1 ? "1 person enrolled." : `${result.enrolled.length} people enrolled.`}
                {result.rejected.length > 0 && ` ${result.rejected.length} could not be enrolled:`}
              </MessageBarTitle>
              {result.rejected.length > 0 && (
                <ul className={styles.rejected} aria-label="People not enrolled">
                  {result.rejected.map((r, i) => (
                    <li key={`${r.upn}-${i}`}>
                      {r.upn}: {r.reason}
                    </li>
                  ))}
                </ul>
              )}
            </MessageBarBody>
          </MessageBar>
        </div>
      )}
    </section>
  );
}
