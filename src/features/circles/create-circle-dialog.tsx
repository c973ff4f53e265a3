import {
  Button,
  Combobox,
  Dialog,
  DialogActions,
  DialogBody,
  DialogContent,
  DialogSurface,
  DialogTitle,
  DialogTrigger,
  Field,
  Input,
  MessageBar,
  MessageBarBody,
  MessageBarTitle,
  Option,
  Radio,
  RadioGroup,
  Spinner,
  Switch,
  Text,
  Textarea,
  makeStyles,
  tokens,
} from "@fluentui/react-components";
import type { ButtonProps } from "@fluentui/react-components";
import { PeopleTeamAdd24Regular } from "@fluentui/react-icons";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { FormEvent, ReactNode } from "react";
import { describeProblem } from "../../components/describe-problem";
import type { CircleDetail, Person } from "../../lib/api-schemas";
import { listTimeZones } from "../../lib/zoned-time";
import { CADENCE_OPTIONS, LIMITS, initialCircleForm, toCreateCircleInput, validateCircleForm } from "./circle-form";
import type { CircleFormErrors, CircleFormValues, CircleKind, SeriesEndMode } from "./circle-form";
import { FormatPicker } from "./format-picker";
import { useCreateCircle } from "./use-circle";

/** What the page's people picker gets (the picker lives in features/people; the page wires it in). */
export interface MemberPickerSlotProps {
  label: string;
  hint: string;
  required: boolean;
  value: Person[];
  onChange: (people: Person[]) => void;
  excludeUpns: string[];
  validationMessage?: string;
}

export interface CreateCircleDialogProps {
  /** The signed-in user: always the organiser, and whose zone is the default. */
  viewer: { upn: string; timeZone: string } | undefined;
  renderMemberPicker: (props: MemberPickerSlotProps) => ReactNode;
  onCreated: (circle: CircleDetail) => void;
  triggerLabel?: string;
  triggerAppearance?: ButtonProps["appearance"];
}

const useStyles = makeStyles({
  surface: { width: "min(640px, calc(100vw - 16px))", maxWidth: "100%", boxSizing: "border-box", padding: tokens.spacingHorizontalL },
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalM },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, "> *": { flex: "1 1 140px", minWidth: 0 } },
});

const browserZone = () => Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";

/**
 * "Create a circle": a dialog with the whole form. The draft lives here, above the dialog, so a
 * failed request, a closed dialog or a server 400 never loses what the user typed.
 */
export function CreateCircleDialog({ viewer, renderMemberPicker, onCreated, triggerLabel = "Create a circle", triggerAppearance = "primary" }: CreateCircleDialogProps) {
  const styles = useStyles();
  const [open, setOpen] = useState(false);
  const [values, setValues] = useState<CircleFormValues>(() => initialCircleForm(viewer?.timeZone ?? browserZone()));
  const [touchedZone, setTouchedZone] = useState(false);
  const create = useCreateCircle();
  const [created, setCreated] = useState<CircleDetail>();
  const triggerRef = useRef<HTMLButtonElement>(null);
  const wasOpen = useRef(false);

  // Back to the button that opened the dialog when it closes without a new circle (focus can
  // otherwise fall to <body> when the dialog's content re-rendered while open).
  useEffect(() => {
    const closing = wasOpen.current && !open && !created;
    wasOpen.current = open;
    if (!closing) return;
    // After the surface has unmounted (that is when focus drops to <body>).
    const timer = setTimeout(() => {
      const active = document.activeElement;
      if (!active || active === document.body) triggerRef.current?.focus();
    }, 0);
    return () => clearTimeout(timer);
  }, [open, created]);

  // Hand the new circle on only once the dialog has finished closing: the page usually swaps the
  // list (and this dialog) for the circle, and a modal unmounted mid-exit leaves the rest of the
  // page aria-hidden for screen readers (seen in Chromium). The timer is a fallback for a missed
  // motion event.
  const createdRef = useRef<CircleDetail>();
  createdRef.current = created;
  const onCreatedRef = useRef(onCreated);
  onCreatedRef.current = onCreated;
  const handOver = useCallback(() => {
    const circle = createdRef.current;
    if (!circle) return;
    createdRef.current = undefined;
    setCreated(undefined);
    // Focus back on the trigger first: that is what makes the focus manager lift the aria-hidden
    // it put on the page behind the modal; the page then moves focus on to the new circle.
    triggerRef.current?.focus();
    onCreatedRef.current(circle);
  }, []);
  useEffect(() => {
    if (open || !created) return;
    const timer = setTimeout(handOver, 1_000);
    return () => clearTimeout(timer);
  }, [open, created, handOver]);

  // The viewer's mailbox zone may arrive after the first render; it is the default until edited.
  useEffect(() => {
    if (viewer?.timeZone && !touchedZone) setValues((v) => ({ ...v, timeZone: viewer.timeZone }));
  }, [viewer?.timeZone, touchedZone]);

  const submit = (input: CircleFormValues) => {
    create.mutate(toCreateCircleInput(input, viewer?.upn), {
      onSuccess: (circle) => {
        setOpen(false);
        setValues(initialCircleForm(viewer?.timeZone ?? browserZone()));
        setTouchedZone(false);
        create.reset();
        setCreated(circle);
      },
    });
  };

  return (
    <Dialog
      modalType="modal"
      open={open}
      onOpenChange={(_, data) => setOpen(data.open)}
      surfaceMotion={{ onMotionFinish: (_, data) => data.direction === "exit" && handOver() }}
    >
      <DialogTrigger disableButtonEnhancement>
        <Button ref={triggerRef} appearance={triggerAppearance} icon={<PeopleTeamAdd24Regular />}>
          {triggerLabel}
        </Button>
      </DialogTrigger>
      <DialogSurface className={styles.surface} aria-describedby={undefined}>
        <CreateCircleForm
          values={values}
          onChange={(next) => {
            if (next.timeZone !== values.timeZone) setTouchedZone(true);
            setValues(next);
          }}
          viewerUpn={viewer?.upn}
          renderMemberPicker={renderMemberPicker}
          onSubmit={submit}
          pending={create.isPending}
          serverError={create.error}
        />
      </DialogSurface>
    </Dialog>
  );
}

function CreateCircleForm({
  values,
  onChange,
  viewerUpn,
  renderMemberPicker,
  onSubmit,
  pending,
  serverError,
}: {
  values: CircleFormValues;
  onChange: (values: CircleFormValues) => void;
  viewerUpn: string | undefined;
  renderMemberPicker: (props: MemberPickerSlotProps) => ReactNode;
  onSubmit: (values: CircleFormValues) => void;
  pending: boolean;
  serverError: unknown;
}) {
  const styles = useStyles();
  const formRef = useRef<HTMLFormElement>(null);
  const [attempts, setAttempts] = useState(0);
  const errors: CircleFormErrors = attempts > 0 ? validateCircleForm(values, viewerUpn) : {};
  const errorCount = Object.keys(errors).length;
  const set = <K extends keyof CircleFormValues>(key: K, value: CircleFormValues[K]) => onChange({ ...values, [key]: value });

  // After a rejected submit, put the keyboard on the first field that needs attention.
  useEffect(() => {
    if (attempts === 0) return;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [attempts]);

  const handleSubmit = (event: FormEvent) => {
    event.preventDefault();
    setAttempts((n) => n + 1);
    if (Object.keys(validateCircleForm(values, viewerUpn)).length === 0) onSubmit(values);
  };

  return (
    <form ref={formRef} onSubmit={handleSubmit} noValidate>
      <DialogBody>
        <DialogTitle>Create a circle</DialogTitle>
        <DialogContent className={styles.form}>
          <Text>A circle is 3–8 colleagues (or a pair) who meet on a steady rhythm to coach each other. You are its organiser.</Text>
          <Field label="Name" required validationMessage={errors.name} hint={`Up to ${LIMITS.nameMax} characters. It isn't shown in calendar subjects.`}>
            <Input value={values.name} onChange={(_, d) => set("name", d.value)} maxLength={LIMITS.nameMax + 20} />
          </Field>
          <Field label="Purpose" validationMessage={errors.purpose} hint="What the circle is for, in a sentence or two.">
            <Textarea value={values.purpose} onChange={(_, d) => set("purpose", d.value)} resize="vertical" />
          </Field>
          <Field label="Pair or circle" required>
            <RadioGroup value={values.kind} onChange={(_, d) => set("kind", d.value as CircleKind)}>
              <Radio value="pair" label="Pair: you and one other person" />
              <Radio value="circle" label="Circle: 3–8 people including you" />
            </RadioGroup>
          </Field>
          {renderMemberPicker({
            label: values.kind === "pair" ? "Your partner" : "Members",
            hint: values.kind === "pair" ? "The colleague you'll pair with." : "Add 2–7 colleagues; you're included automatically.",
            required: true,
            value: values.members,
            onChange: (people) => set("members", people),
            excludeUpns: viewerUpn ? [viewerUpn] : [],
            validationMessage: errors.members,
          })}
          <FormatPicker
            value={values.formatId}
            onChange={(formatId) => set("formatId", formatId)}
            sessionMinutes={Number(values.sessionMinutes)}
            error={errors.formatId}
          />
          <Field label="Cadence" required>
            <RadioGroup value={values.cadence} onChange={(_, d) => set("cadence", d.value as CircleFormValues["cadence"])}>
              {CADENCE_OPTIONS.map((option) => (
                <Radio key={option.value} value={option.value} label={option.label} />
              ))}
            </RadioGroup>
          </Field>
          <div className={styles.row}>
            <Field label="Session length (minutes)" required validationMessage={errors.sessionMinutes} hint={`${LIMITS.minutesMin}–${LIMITS.minutesMax}`}>
              <Input type="number" inputMode="numeric" min={LIMITS.minutesMin} max={LIMITS.minutesMax} step={5} value={values.sessionMinutes} onChange={(_, d) => set("sessionMinutes", d.value)} />
            </Field>
          </div>
          <Field label="How long the circle runs" required>
            <RadioGroup value={values.endMode} onChange={(_, d) => set("endMode", d.value as SeriesEndMode)}>
              <Radio value="count" label="Number of sessions" />
              <Radio value="date" label="Until (date)" />
            </RadioGroup>
          </Field>
          {values.endMode === "count" ? (
            <Field label="Number of sessions" required validationMessage={errors.sessionCount} hint={`${LIMITS.sessionsMin}–${LIMITS.sessionsMax}`}>
              <Input type="number" inputMode="numeric" min={LIMITS.sessionsMin} max={LIMITS.sessionsMax} value={values.sessionCount} onChange={(_, d) => set("sessionCount", d.value)} />
            </Field>
          ) : (
            <Field label="Last session on or before" required validationMessage={errors.endsOn} hint="A date in the circle's time zone; the series stops after it.">
              <Input type="date" value={values.endsOn} onChange={(_, d) => set("endsOn", d.value)} />
            </Field>
          )}
          <TimeZoneField value={values.timeZone} onChange={(zone) => set("timeZone", zone)} error={errors.timeZone} />
          <Field label="Charter" validationMessage={errors.charter} hint="The circle's ground rules, one per line. Members see them before every session.">
            <Textarea value={values.charter} onChange={(_, d) => set("charter", d.value)} rows={5} resize="vertical" />
          </Field>
          <Switch checked={values.rotateRoles} onChange={(_, d) => set("rotateRoles", d.checked)} label="Rotate roles (facilitator, timekeeper, case owner) each session" />
          {errorCount > 0 && (
            <MessageBar intent="warning" role="alert" layout="multiline">
              <MessageBarBody>{errorCount === 1 ? "Fix 1 thing above before creating the circle." : `Fix ${errorCount} things above before creating the circle.`}</MessageBarBody>
            </MessageBar>
          )}
          {serverError != null && !pending && (
            <MessageBar intent="error" role="alert" layout="multiline">
              <MessageBarBody>
                <MessageBarTitle>The circle wasn't created.</MessageBarTitle> {describeProblem(serverError)}
              </MessageBarBody>
            </MessageBar>
          )}
        </DialogContent>
        <DialogActions fluid>
          <DialogTrigger disableButtonEnhancement>
            <Button appearance="secondary" disabled={pending}>
              Cancel
            </Button>
          </DialogTrigger>
          <Button appearance="primary" type="submit" disabled={pending} icon={pending ? <Spinner size="tiny" /> : undefined}>
            {pending ? "Creating…" : "Create circle"}
          </Button>
        </DialogActions>
      </DialogBody>
    </form>
  );
}

function TimeZoneField({ value, onChange, error }: { value: string; onChange: (zone: string) => void; error?: string }) {
  const zones = useMemo(() => listTimeZones(), []);
  const [query, setQuery] = useState<string | undefined>();
  const text = query ?? value;
  const needle = text.trim().toLowerCase().replace(/\s+/g, "_");
  // A full list of ~400 zones is too long to scroll; show the best matches for what was typed.
  const matches = (query === undefined || !needle ? zones : zones.filter((z) => z.toLowerCase().includes(needle))).slice(0, 60);
  return (
    <Field label="Time zone" required validationMessage={error} hint="Sessions keep their local time in this zone, also across daylight saving changes.">
      <Combobox
        freeform
        value={text}
        selectedOptions={value ? [value] : []}
        onChange={(event) => {
          setQuery(event.target.value);
          onChange(event.target.value.trim());
        }}
        onOptionSelect={(_, data) => {
          if (!data.optionValue) return;
          setQuery(undefined);
          onChange(data.optionValue);
        }}
      >
        {matches.map((zone) => (
          <Option key={zone} value={zone}>
            {zone}
          </Option>
        ))}
      </Combobox>
    </Field>
  );
}
