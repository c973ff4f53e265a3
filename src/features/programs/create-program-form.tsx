import { Button, Checkbox, Field, Input, Radio, RadioGroup, Textarea, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useState } from "react";
import type { FormEvent } from "react";
import { LoadingPlaceholder } from "../../components/loading-placeholder";
import { ErrorNotice } from "../../components/error-notice";
import { ProblemNotice } from "../../components/problem-notice";
import type { CreateProgramInput, Program } from "./program-api";
import { useCreateProgram, useFormatsForPrograms } from "./use-programs";

const useStyles = makeStyles({
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM, minWidth: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, "> *": { flex: "1 1 120px", minWidth: 0 } },
  fieldset: { border: "none", margin: 0, padding: 0, minWidth: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  legend: { padding: 0, fontWeight: tokens.fontWeightSemibold, marginBottom: tokens.spacingVerticalXS },
  actions: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS },
  error: { color: tokens.colorPaletteRedForeground1 },
});

export interface ProgramFormValues {
  purpose: string;
  durationWeeks: string;
  formatIds: string[];
  sizeKind: "circles" | "pairs";
  min: string;
  max: string;
}

type Errors = Partial<Record<"purpose" | "durationWeeks" | "formatIds" | "size", string>>;

/** Pilots run 3–6 months (product.md glossary); the API takes 1–104 weeks. */
const DEFAULT_WEEKS = "24";

function whole(text: string): number | undefined {
  return /^\d+$/.test(text.trim()) ? Number(text.trim()) : undefined;
}

/** Checks the form the way the API will, so most mistakes are caught before a round trip. */
export function validateProgramForm(values: ProgramFormValues): { errors: Errors; input?: CreateProgramInput } {
  const errors: Errors = {};
  const purpose = values.purpose.trim();
  if (!purpose) errors.purpose = "Say what the program is for, e.g. “Help new managers handle hard conversations”.";
  else if (purpose.length > 500) errors.purpose = "Keep the purpose under 500 characters.";
  const weeks = whole(values.durationWeeks);
  if (weeks === undefined || weeks < 1 || weeks > 104) errors.durationWeeks = "Enter a whole number of weeks from 1 to 104.";
  if (values.formatIds.length === 0) errors.formatIds = "Choose at least one format.";
  else if (values.formatIds.length > 7) errors.formatIds = "Choose at most 7 formats.";
  let size: CreateProgramInput["size"] = "pairs";
  if (values.sizeKind === "circles") {
    const min = whole(values.min);
    const max = whole(values.max);
    if (min === undefined || max === undefined || min < 3 || max > 8 || min > 8 || max < 3) errors.size = "Circles hold 3 to 8 people: enter a smallest and a largest size in that range.";
    else if (min > max) errors.size = "The smallest size can't be larger than the largest.";
    else size = { min, max };
  }
  if (Object.keys(errors).length > 0) return { errors };
  return { errors, input: { purpose, durationWeeks: weeks!, formatIds: values.formatIds, size } };
}

/** "Create a program": purpose, duration, allowed formats and circle size. */
export function CreateProgramForm({ onCreated, onCancel }: { onCreated: (program: Program) => void; onCancel: () => void }) {
  const styles = useStyles();
  const formats = useFormatsForPrograms();
  const create = useCreateProgram();
  const formatsLegend = useId();
  const sizeLegend = useId();
  const formatsError = useId();
  const [values, setValues] = useState<ProgramFormValues>({ purpose: "", durationWeeks: DEFAULT_WEEKS, formatIds: [], sizeKind: "circles", min: "4", max: "6" });
  const [errors, setErrors] = useState<Errors>({});
  const [touchedFormats, setTouchedFormats] = useState(false);
  // Until the owner picks, the first format is chosen (the classic coaching circle).
  const chosenFormats = touchedFormats ? values.formatIds : formats.data?.[0] ? [formats.data[0].id] : [];
  const set = <K extends keyof ProgramFormValues>(key: K, value: ProgramFormValues[K]) => setValues((v) => ({ ...v, [key]: value }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const checked = validateProgramForm({ ...values, formatIds: chosenFormats });
    setErrors(checked.errors);
    if (checked.input) create.mutate(checked.input, { onSuccess: onCreated });
  };

  return (
    <form className={styles.form} onSubmit={submit} noValidate aria-label="Create a program">
      <Field label="Purpose" required validationMessage={errors.purpose} hint="The organisational goal the circles serve. Members see it in each circle.">
        <Textarea value={values.purpose} onChange={(_, d) => set("purpose", d.value)} maxLength={500} resize="vertical" />
      </Field>
      <Field label="Duration (weeks)" required validationMessage={errors.durationWeeks} hint="Pilots usually run 12 to 26 weeks.">
        <Input type="number" inputMode="numeric" min={1} max={104} value={values.durationWeeks} onChange={(_, d) => set("durationWeeks", d.value)} />
      </Field>
      <fieldset className={styles.fieldset} aria-describedby={errors.formatIds ? formatsError : undefined}>
        <legend id={formatsLegend} className={styles.legend}>
          Formats circles may use
        </legend>
        {formats.isPending && <LoadingPlaceholder label="Loading formats" size={24} />}
        {formats.isError && <ProblemNotice title="We couldn't load the formats." error={formats.error} onRetry={() => void formats.refetch()} />}
        {formats.data?.map((format) => (
          <Checkbox
            key={format.id}
            label={`${format.name} (${format.defaultMinutes} min)`}
            checked={chosenFormats.includes(format.id)}
            onChange={(_, d) => {
              setTouchedFormats(true);
              set("formatIds", d.checked ? [...chosenFormats, format.id] : chosenFormats.filter((id) => id !== format.id));
            }}
          />
        ))}
        {errors.formatIds && (
          <span id={formatsError} className={styles.error} role="alert">
            {errors.formatIds}
          </span>
        )}
      </fieldset>
      <fieldset className={styles.fieldset}>
        <legend id={sizeLegend} className={styles.legend}>
          Circle size
        </legend>
        <RadioGroup aria-labelledby={sizeLegend} value={values.sizeKind} onChange={(_, d) => set("sizeKind", d.value === "pairs" ? "pairs" : "circles")} layout="horizontal">
          <Radio value="circles" label="Circles of 3 to 8" />
          <Radio value="pairs" label="Pairs" />
        </RadioGroup>
        {values.sizeKind === "circles" && (
          <div className={styles.row}>
            <Field label="Smallest" validationMessage={errors.size}>
              <Input type="number" inputMode="numeric" min={3} max={8} value={values.min} onChange={(_, d) => set("min", d.value)} />
            </Field>
            <Field label="Largest" hint="You organise every circle, so each holds at most 7 enrolled people besides you.">
              <Input type="number" inputMode="numeric" min={3} max={8} value={values.max} onChange={(_, d) => set("max", d.value)} />
            </Field>
          </div>
        )}
      </fieldset>
      {create.isError && <ErrorNotice title="The program wasn't created." error={create.error} />}
      <div className={styles.actions}>
        <Button appearance="primary" type="submit" disabled={create.isPending}>
          {create.isPending ? "Creating…" : "Create program"}
        </Button>
        <Button type="button" onClick={onCancel}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
