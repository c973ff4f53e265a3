import { MessageBar, MessageBarBody, Text, makeStyles, tokens } from "@fluentui/react-components";
import { useId } from "react";
import type { ReactNode } from "react";
import type { Intent, NamedRole, ReviewStatus, RunState } from "../session-api";

/** Layout shared by the panel's sections: tokens only, so light, dark and high contrast all work. */
export const usePanelStyles = makeStyles({
  stack: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalL, minWidth: 0 },
  section: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  heading: { margin: 0 },
  row: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalS, alignItems: "center" },
  timer: { fontSize: tokens.fontSizeHero800, lineHeight: tokens.lineHeightHero800, fontWeight: tokens.fontWeightSemibold, fontVariantNumeric: "tabular-nums" },
  overtime: { color: tokens.colorPaletteRedForeground1 },
  list: { margin: 0, paddingLeft: tokens.spacingHorizontalL, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  plainList: { margin: 0, padding: 0, listStyleType: "none", display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
  card: { padding: tokens.spacingHorizontalS, borderRadius: tokens.borderRadiusMedium, border: `${tokens.strokeWidthThin} solid ${tokens.colorNeutralStroke2}`, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalXS },
  bar: { height: "8px", borderRadius: tokens.borderRadiusSmall, backgroundColor: tokens.colorBrandBackground, minWidth: "2px" },
  barTrack: { flexGrow: 1, backgroundColor: tokens.colorNeutralBackground3, borderRadius: tokens.borderRadiusSmall },
  form: { display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS },
});

/** Sends one intent; resolves false when it failed (the panel shows why in one place). */
export type RunIntent = (intent: Intent) => Promise<boolean>;

/** What most sections need to act on the run. */
export interface IntentProps {
  run: RunIntent;
  pending: boolean;
}

export const ROLE_LABELS: Record<NamedRole | "coach", string> = {
  facilitator: "Facilitator",
  caseOwner: "Case owner",
  timekeeper: "Timekeeper & note-taker",
  observer: "Observer",
  coach: "Coach",
};

export const REVIEW_LABELS: Record<ReviewStatus, string> = { done: "Done", partly: "Partly", notDone: "Not done", changed: "Changed" };

export function roleOf(state: RunState, memberId: string): NamedRole | "coach" {
  const roles: NamedRole[] = ["facilitator", "caseOwner", "timekeeper", "observer"];
  return roles.find((r) => state.roles[r] === memberId) ?? "coach";
}

/** A titled region of the panel (h3, so screen readers can jump section to section). */
export function Section({ title, children }: { title: string; children: ReactNode }) {
  const styles = usePanelStyles();
  const id = useId();
  return (
    <section className={styles.section} aria-labelledby={id}>
      <Text as="h3" id={id} size={400} weight="semibold" className={styles.heading}>
        {title}
      </Text>
      {children}
    </section>
  );
}

export function ErrorBar({ message }: { message: string | undefined }) {
  if (!message) return null;
  return (
    <MessageBar intent="error" layout="multiline">
      <MessageBarBody>{message}</MessageBarBody>
    </MessageBar>
  );
}
