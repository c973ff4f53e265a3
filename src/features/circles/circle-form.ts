import type { Cadence, CreateCircleInput, Person } from "../../lib/api-schemas";
import { isValidTimeZone } from "../../lib/zoned-time";

/** product.md glossary: the ground rules every circle starts from (the API's DEFAULT_CHARTER wording). */
export const DEFAULT_CHARTER: readonly string[] = [
  "Confidentiality: what is shared in the circle stays in the circle.",
  "Respectful listening: one voice at a time — we listen to understand, not to reply.",
  "Timeboxing: we start and end on time and keep to each segment's time.",
  "Conflicts of interest: we say so when a case involves someone we manage, report to or compete with.",
];

export const CADENCE_OPTIONS: ReadonlyArray<{ value: Cadence; label: string }> = [
  { value: "weekly", label: "Every week" },
  { value: "biweekly", label: "Every 2 weeks" },
  { value: "every4weeks", label: "Every 4 weeks" },
  { value: "monthly", label: "Every month" },
];

// Limits mirror the API's createCircle schema so the user hears about a mistake before sending.
export const LIMITS = {
  nameMax: 80,
  purposeMax: 500,
  minutesMin: 20,
  minutesMax: 90,
  sessionsMin: 1,
  sessionsMax: 52,
  /** Total people including the organiser. */
  pairSize: 2,
  circleMin: 3,
  circleMax: 8,
  charterRuleMax: 300,
  charterRulesMax: 12,
} as const;

export type CircleKind = "pair" | "circle";
/** How the series ends: after a number of sessions, or on a date. */
export type SeriesEndMode = "count" | "date";

export interface CircleFormValues {
  name: string;
  purpose: string;
  kind: CircleKind;
  /** Everyone but the organiser (the signed-in user). */
  members: Person[];
  formatId: string;
  cadence: Cadence;
  /** Kept as typed so a half-typed number is not rewritten under the cursor. */
  sessionMinutes: string;
  sessionCount: string;
  endMode: SeriesEndMode;
  /** YYYY-MM-DD (the date input's value), the last day sessions may fall on. */
  endsOn: string;
  timeZone: string;
  /** One rule per line. */
  charter: string;
  rotateRoles: boolean;
}

export type CircleFormErrors = Partial<Record<keyof CircleFormValues, string>>;

export function initialCircleForm(timeZone: string): CircleFormValues {
  return {
    name: "",
    purpose: "",
    kind: "circle",
    members: [],
    formatId: "",
    cadence: "biweekly",
    sessionMinutes: "60",
    sessionCount: "12",
    endMode: "count",
    endsOn: "",
    timeZone,
    charter: DEFAULT_CHARTER.join("\n"),
    rotateRoles: true,
  };
}

export function charterRules(charter: string): string[] {
  return charter
    .split("\n")
    .map((rule) => rule.trim())
    .filter((rule) => rule.length > 0);
}

function wholeNumber(text: string): number | undefined {
  if (!/^\s*\d+\s*$/.test(text)) return undefined;
  return Number(text);
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const ms = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(ms) && new Date(ms).toISOString().startsWith(text);
}

/** Today as YYYY-MM-DD in `zone` (the circle's), for "the end date has passed". */
function todayIn(zone: string, now: Date): string {
  try {
    return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(now);
  } catch {
    return now.toISOString().slice(0, 10);
  }
}

/** Every problem with the form, by field, in words the user can act on. Empty when it can be sent. */
export function validateCircleForm(values: CircleFormValues, organizerUpn?: string, now: Date = new Date()): CircleFormErrors {
  const errors: CircleFormErrors = {};
  const name = values.name.trim();
  if (!name) errors.name = "Give the circle a name.";
  else if (name.length > LIMITS.nameMax) errors.name = `Keep the name to ${LIMITS.nameMax} characters or fewer.`;

  if (values.purpose.trim().length > LIMITS.purposeMax) errors.purpose = `Keep the purpose to ${LIMITS.purposeMax} characters or fewer.`;

  const others = values.members.filter((m) => m.upn.toLowerCase() !== organizerUpn?.toLowerCase());
  const total = others.length + 1;
  if (values.kind === "pair" && total !== LIMITS.pairSize) {
    errors.members = total < LIMITS.pairSize ? "Add the person you'll pair with." : "A pair is you and one other person. Remove someone, or choose a circle.";
  }
  if (values.kind === "circle" && total < LIMITS.circleMin) {
    errors.members = `A circle needs at least ${LIMITS.circleMin} people including you: add ${LIMITS.circleMin - total} more, or choose a pair.`;
  }
  if (values.kind === "circle" && total > LIMITS.circleMax) {
    errors.members = `A circle has at most ${LIMITS.circleMax} people including you: remove ${total - LIMITS.circleMax}.`;
  }

  if (!values.formatId) errors.formatId = "Choose a format.";

  const minutes = wholeNumber(values.sessionMinutes);
  if (minutes === undefined || minutes < LIMITS.minutesMin || minutes > LIMITS.minutesMax) {
    errors.sessionMinutes = `Enter a session length from ${LIMITS.minutesMin} to ${LIMITS.minutesMax} minutes.`;
  }
  if (values.endMode === "count") {
    const count = wholeNumber(values.sessionCount);
    if (count === undefined || count < LIMITS.sessionsMin || count > LIMITS.sessionsMax) {
      errors.sessionCount = `Enter a number of sessions from ${LIMITS.sessionsMin} to ${LIMITS.sessionsMax}.`;
    }
  } else if (!isCalendarDate(values.endsOn)) {
    errors.endsOn = "Choose the date of the last session, e.g. 2026-12-18.";
  } else if (values.endsOn <= todayIn(values.timeZone, now)) {
    errors.endsOn = "Choose a date after today: sessions can start tomorrow at the earliest.";
  }

  if (!isValidTimeZone(values.timeZone)) errors.timeZone = "Choose a time zone from the list, e.g. Europe/London.";

  const rules = charterRules(values.charter);
  if (rules.length === 0) errors.charter = "Keep at least one ground rule (confidentiality is a good start).";
  else if (rules.length > LIMITS.charterRulesMax) errors.charter = `Keep the charter to ${LIMITS.charterRulesMax} rules or fewer.`;
  else if (rules.some((rule) => rule.length > LIMITS.charterRuleMax)) errors.charter = `Keep each rule to ${LIMITS.charterRuleMax} characters or fewer.`;
  return errors;
}

/** The createCircle body for a valid form. */
export function toCreateCircleInput(values: CircleFormValues, organizerUpn?: string): CreateCircleInput {
  return {
    name: values.name.trim(),
    purpose: values.purpose.trim(),
    members: values.members.map((m) => m.upn).filter((upn) => upn.toLowerCase() !== organizerUpn?.toLowerCase()),
    formatId: values.formatId,
    cadence: values.cadence,
    sessionMinutes: Number(values.sessionMinutes),
    // Exactly one of the two: the API refuses both.
    ...(values.endMode === "count" ? { sessionCount: Number(values.sessionCount) } : { endsOn: values.endsOn }),
    timeZone: values.timeZone,
    charter: charterRules(values.charter),
    rotateRoles: values.rotateRoles,
  };
}
