import { Caption1, ProgressBar, Text, makeStyles, tokens } from "@fluentui/react-components";
import type { ReactNode } from "react";
import { cardGridStyle, cardStyle } from "./card-styles";
import { InfoNotice } from "./problem-notice";

const useStyles = makeStyles({
  list: cardGridStyle("200px"),
  card: cardStyle,
  figure: { fontSize: tokens.fontSizeHero700, lineHeight: tokens.lineHeightHero700, fontWeight: tokens.fontWeightSemibold },
});

/** A grid of aggregate figures (program or team health) that reflows down to one column at 320 px. */
export function FigureList({ label, children }: { label: string; children: ReactNode }) {
  const styles = useStyles();
  return (
    <ul className={styles.list} aria-label={label}>
      {children}
    </ul>
  );
}

/** One figure: what it is, the number in large type (when there is one), then bars and notes. */
export function FigureCard({ title, figure, children }: { title: string; figure?: ReactNode; children?: ReactNode }) {
  const styles = useStyles();
  return (
    <li className={styles.card}>
      <Text weight="semibold">{title}</Text>
      {figure !== undefined && <span className={styles.figure}>{figure}</span>}
      {children}
    </li>
  );
}

/** "44 of 50" sessions held, with a bar when any were planned; the note says what counts. */
export function SessionsHeldCard({ held, planned, locale, children }: { held: number; planned: number; locale: string; children: ReactNode }) {
  const percent = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
  return (
    <FigureCard title="Sessions held" figure={`${held} of ${planned}`}>
      {planned > 0 && <ProgressBar value={held / planned} thickness="large" aria-label={`Sessions held: ${percent.format(held / planned)} of those planned`} />}
      <Caption1>{children}</Caption1>
    </FigureCard>
  );
}

export function CirclesAtRiskCard({ atRisk, of }: { atRisk: number; of: number }) {
  return (
    <FigureCard title="Circles at risk" figure={`${atRisk} of ${of}`}>
      <Caption1>A circle is at risk when 2 of its last 3 sessions were skipped or not held.</Caption1>
    </FigureCard>
  );
}

/** Protected hours a week per person taking part, and how many prep/reflection blocks held. */
export function PerPersonHoursCard({
  protectedHours,
  locale,
}: {
  protectedHours: { averagePerParticipantPerWeek: number; blocksProtected: number; blocksOverridden: number };
  locale: string;
}) {
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  return (
    <FigureCard title="Per person taking part" figure={`${number.format(protectedHours.averagePerParticipantPerWeek)} h a week`}>
      <Caption1>
        {protectedHours.blocksProtected} prep and reflection blocks kept, {protectedHours.blocksOverridden} overridden by other meetings.
      </Caption1>
    </FigureCard>
  );
}

/** Why no aggregates are shown (too few people, nothing yet): the reason from the API, and why that protects people. */
export function FiguresHiddenNotice({ title, reason }: { title: string; reason: { message: string } }) {
  return (
    <InfoNotice title={title}>
      {reason.message} This keeps what each person does in coaching their own.
    </InfoNotice>
  );
}
