import { Body1, Button, Caption1, Field, Select, Subtitle2, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { ErrorNotice } from "../../components/error-notice";
import { cardGridStyle, cardStyle } from "../../components/card-styles";
import type { DraftCircle, Program } from "./program-api";
import { useFormCircles, useMoveMember } from "./use-programs";

const useStyles = makeStyles({
  panel: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  title: { margin: 0 },
  actions: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalS },
  circles: cardGridStyle("260px"),
  circle: cardStyle,
  circleTitle: { margin: 0, fontSize: tokens.fontSizeBase300, fontWeight: tokens.fontWeightSemibold },
  members: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, overflowWrap: "anywhere" },
  notes: { margin: 0, paddingLeft: tokens.spacingHorizontalXL, color: tokens.colorNeutralForeground2 },
  adjust: { display: "flex", flexWrap: "wrap", alignItems: "flex-end", gap: tokens.spacingHorizontalM, "> *": { flex: "1 1 180px", minWidth: 0 } },
  submit: { flex: "0 0 auto" },
});

/** Review the formed circles (each explained), the people not placed (with why), and move people between circles. */
export function DraftCircles({ program }: { program: Program }) {
  const styles = useStyles();
  const headingId = useId();
  const form = useFormCircles(program.id);
  const draft = program.draft;
  const booked = program.booking !== null;
  const tooFew = program.enrolled.length < 2;

  return (
    <section className={styles.panel} aria-labelledby={headingId}>
      <Subtitle2 as="h3" id={headingId} className={styles.title}>
        2. Form circles
      </Subtitle2>
      {!draft && (
        <Body1>
          Circles are formed for shared working hours first, then a mix of departments and levels, newcomers alongside seasoned colleagues, and never a manager with their own
          report. You can review and adjust them before anything is booked.
        </Body1>
      )}
      {!booked && (
        <div className={styles.actions}>
          <Button appearance={draft ? "secondary" : "primary"} disabled={tooFew || form.isPending} onClick={() => form.mutate(draft ? { seed: crypto.randomUUID() } : {})}>
            {form.isPending ? "Forming circles…" : draft ? "Form circles again" : "Form circles"}
          </Button>
          {tooFew && <Caption1>Enrol at least two people first.</Caption1>}
        </div>
      )}
      {form.isPending && (
        <div role="status">
          <Text>Reading everyone's working hours and forming circles. For a large pool this takes a few seconds.</Text>
        </div>
      )}
      {form.isError && <ErrorNotice title="Circles weren't formed." error={form.error} />}
      {draft && (
        <>
          <Body1>
            {draft.circles.length === 1 ? "1 circle" : `${draft.circles.length} circles`} formed
            {draft.unplaced.length > 0 ? `; ${draft.unplaced.length === 1 ? "1 person" : `${draft.unplaced.length} people`} not placed.` : ", everyone placed."}
          </Body1>
          <ol className={styles.circles} aria-label="Formed circles">
            {draft.circles.map((circle, i) => (
              <CircleCard key={i} index={i} circle={circle} />
            ))}
          </ol>
          {draft.unplaced.length > 0 && (
            <div>
              <Text weight="semibold" as="p">
                Not placed
              </Text>
              <ul className={styles.members} aria-label="People not placed">
                {draft.unplaced.map((u) => (
                  <li key={u.person.id}>
                    {u.person.displayName}: {u.reason.message}
                  </li>
                ))}
              </ul>
            </div>
          )}
          {!booked && draft.circles.length > 0 && (draft.circles.length > 1 || draft.unplaced.length > 0) && <MoveForm program={program} />}
        </>
      )}
    </section>
  );
}

function CircleCard({ index, circle }: { index: number; circle: DraftCircle }) {
  const styles = useStyles();
  const titleId = useId();
  const size = circle.members.length;
  return (
    <li className={styles.circle} aria-labelledby={titleId}>
      <h4 id={titleId} className={styles.circleTitle}>
        Circle {index + 1} ({size} {size === 1 ? "person" : "people"})
      </h4>
      <Caption1>{circle.explanation.summary}</Caption1>
      <ul className={styles.members} aria-label={`Members of circle ${index + 1}`}>
        {circle.members.map((m) => (
          <li key={m.id}>{m.displayName}</li>
        ))}
      </ul>
      {circle.explanation.notes.length > 0 && (
        <ul className={styles.notes} aria-label={`Notes on circle ${index + 1}`}>
          {circle.explanation.notes.map((note, i) => (
            <li key={i}>
              <Caption1>{note}</Caption1>
            </li>
          ))}
        </ul>
      )}
    </li>
  );
}

/** One move at a time: who, and into which circle. The server checks it (sizes, manager and report) and says why it refuses. */
function MoveForm({ program }: { program: Program }) {
  const styles = useStyles();
  const move = useMoveMember(program.id);
  const [personId, setPersonId] = useState("");
  const [toCircle, setToCircle] = useState("");
  const [moved, setMoved] = useState<string>();
  const [missing, setMissing] = useState<string>();
  const draft = program.draft!;
  const people = [
    ...draft.circles.flatMap((c, i) => c.members.map((m) => ({ person: m, where: `circle ${i + 1}` }))),
    ...draft.unplaced.map((u) => ({ person: u.person, where: "not placed" })),
  ];

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setMoved(undefined);
    if (!personId || toCircle === "") {
      setMissing("Choose a person and the circle to move them into.");
      return;
    }
    setMissing(undefined);
    const name = people.find((p) => p.person.id === personId)?.person.displayName ?? "They";
    const target = Number(toCircle);
    move.mutate(
      { personId, toCircle: target },
      {
        onSuccess: () => {
          setMoved(`${name} moved into circle ${target + 1}.`);
          setPersonId("");
        },
      },
    );
  };

  return (
    <form className={styles.panel} onSubmit={submit} aria-label="Move a person to another circle" noValidate>
      <Text weight="semibold" as="p">
        Adjust: move a person to another circle
      </Text>
      <div className={styles.adjust}>
        <Field label="Person">
          <Select value={personId} onChange={(_, d) => setPersonId(d.value)}>
            <option value="">Choose a person</option>
            {people.map(({ person, where }) => (
              <option key={person.id} value={person.id}>
                {`${person.displayName} (${where})`}
              </option>
            ))}
          </Select>
        </Field>
        <Field label="Into circle">
          <Select value={toCircle} onChange={(_, d) => setToCircle(d.value)}>
            <option value="">Choose a circle</option>
            {draft.circles.map((c, i) => (
              <option key={i} value={String(i)}>{`Circle ${i + 1} (${c.members.length})`}</option>
            ))}
          </Select>
        </Field>
        <Button className={styles.submit} type="submit" disabled={move.isPending}>
          {move.isPending ? "Moving…" : "Move"}
        </Button>
      </div>
      {missing && (
        <Text role="alert" size={200}>
          {missing}
        </Text>
      )}
      {move.isError && <ErrorNotice title="That move was refused." error={move.error} role="alert" />}
      {moved && !move.isError && (
        <div role="status">
          <Text>{moved}</Text>
        </div>
      )}
    </form>
  );
}
