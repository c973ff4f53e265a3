import { Button, Caption1, Table, TableBody, TableCell, TableHeader, TableHeaderCell, TableRow, makeStyles, tokens } from "@fluentui/react-components";
import { useId, useState } from "react";
import type { WeeklyHours } from "./weekly-hours";

const SERIES = [
  { key: "sessionHours", label: "Sessions" },
  { key: "prepHours", label: "Prep" },
  { key: "reflectionHours", label: "Reflection" },
] as const;

const useStyles = makeStyles({
  figure: { margin: 0, display: "flex", flexDirection: "column", rowGap: tokens.spacingVerticalS, minWidth: 0 },
  svg: { display: "block", width: "100%", height: "auto", maxWidth: "640px", overflow: "visible" },
  axis: { stroke: tokens.colorNeutralStroke1, strokeWidth: 1 },
  grid: { stroke: tokens.colorNeutralStroke2, strokeWidth: 1, strokeDasharray: "2 3" },
  axisText: { fill: tokens.colorNeutralForeground3, fontSize: "10px", fontFamily: tokens.fontFamilyBase },
  // A line in the page background between segments keeps them apart in every theme.
  segment: { stroke: tokens.colorNeutralBackground1, strokeWidth: 1 },
  sessionHours: { fill: tokens.colorBrandBackground, "@media (forced-colors: active)": { fill: "Highlight" } },
  prepHours: { fill: tokens.colorPaletteMarigoldBorderActive, "@media (forced-colors: active)": { fill: "CanvasText" } },
  reflectionHours: { fill: tokens.colorPaletteLightTealBorderActive, "@media (forced-colors: active)": { fill: "GrayText" } },
  legend: { display: "flex", flexWrap: "wrap", gap: tokens.spacingHorizontalM, margin: 0, padding: 0, listStyleType: "none" },
  legendItem: { display: "flex", alignItems: "center", columnGap: tokens.spacingHorizontalXS },
  swatch: { width: "12px", height: "12px", display: "block", flexShrink: 0 },
  tableWrap: { overflowX: "auto", maxWidth: "100%" },
  toggle: { alignSelf: "flex-start" },
});

const BAR = 28;
const GAP = 12;
const LEFT = 28;
const TOP = 8;
const PLOT = 120;
const BOTTOM = 20;

/** A round ceiling for the axis: 1, 2, 5, 10, 20, 50… hours. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return ([1, 2, 5, 10].find((m) => m * magnitude >= value) ?? 10) * magnitude;
}

/** "16 Mar" for a YYYY-MM-DD Monday. */
function weekLabel(weekStart: string, locale: string, month: "short" | "long" = "short"): string {
  return new Intl.DateTimeFormat(locale, { day: "numeric", month, timeZone: "UTC" }).format(new Date(`${weekStart}T00:00:00Z`));
}

export interface WeeklyHoursChartProps {
  weeks: readonly WeeklyHours[];
  locale: string;
  /** Whose hours, as the spoken summary says it: "across the program", "for your team". */
  scope: string;
  /** The weekly table's accessible name. */
  tableLabel: string;
  /** An extra clause for the spoken summary after last week's total, e.g. the per-person average. */
  summaryDetail?: string;
}

/**
 * Protected coaching hours per week as stacked SVG bars (sessions, prep, reflection). Screen
 * readers get one summary for the image; the same figures are in a table behind a toggle.
 */
export function WeeklyHoursChart({ weeks, locale, scope, tableLabel, summaryDetail }: WeeklyHoursChartProps) {
  const styles = useStyles();
  const titleId = useId();
  const tableId = useId();
  const [showTable, setShowTable] = useState(false);
  const hours = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const max = niceMax(Math.max(0, ...weeks.map((w) => w.totalHours)));
  const width = LEFT + weeks.length * (BAR + GAP);
  const height = TOP + PLOT + BOTTOM;
  const y = (h: number) => TOP + PLOT - (h / max) * PLOT;
  const totals = weeks.map((w) => w.totalHours);
  const first = weeks[0];
  const last = weeks[weeks.length - 1];
  const summary =
    first && last
      ? `Protected coaching hours per week ${scope}, ${weeks.length} weeks from ${weekLabel(first.weekStart, locale, "long")} to the week of ${weekLabel(last.weekStart, locale, "long")}: ` +
        `between ${hours.format(Math.min(...totals))} and ${hours.format(Math.max(...totals))} hours a week, last week ${hours.format(last.totalHours)}` +
        `${summaryDetail ? `; ${summaryDetail}` : ""}. Each week's figures are in the table that follows.`
      : "No weeks to chart.";
  // Every week labelled when there is room in the viewBox; otherwise every other one.
  const labelEvery = weeks.length > 8 ? 2 : 1;

  return (
    <figure className={styles.figure}>
      <svg className={styles.svg} viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={titleId} preserveAspectRatio="xMinYMin meet">
        <title id={titleId}>{summary}</title>
        {[0, max / 2, max].map((tick) => (
          <g key={tick} aria-hidden="true">
            <line className={tick === 0 ? styles.axis : styles.grid} x1={LEFT} x2={width} y1={y(tick)} y2={y(tick)} />
            <text className={styles.axisText} x={LEFT - 4} y={y(tick) + 3} textAnchor="end">
              {hours.format(tick)}
            </text>
          </g>
        ))}
        {weeks.map((week, i) => {
          const x = LEFT + GAP / 2 + i * (BAR + GAP);
          let base = 0;
          return (
            <g key={week.weekStart} aria-hidden="true" data-week={week.weekStart}>
              {SERIES.map(({ key }) => {
                const value = week[key];
                if (value <= 0) return null;
                const rect = <rect key={key} className={`${styles.segment} ${styles[key]}`} x={x} width={BAR} y={y(base + value)} height={(value / max) * PLOT} />;
                base += value;
                return rect;
              })}
              {i % labelEvery === (weeks.length - 1) % labelEvery && (
                <text className={styles.axisText} x={x + BAR / 2} y={TOP + PLOT + 14} textAnchor="middle">
                  {weekLabel(week.weekStart, locale)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <ul className={styles.legend} aria-label="Chart legend">
        {SERIES.map(({ key, label }) => (
          <li key={key} className={styles.legendItem}>
            <svg className={styles.swatch} viewBox="0 0 12 12" aria-hidden="true">
              <rect className={styles[key]} width="12" height="12" />
            </svg>
            <Caption1>{label}</Caption1>
          </li>
        ))}
      </ul>
      <Button className={styles.toggle} appearance="subtle" size="small" aria-expanded={showTable} aria-controls={tableId} onClick={() => setShowTable((v) => !v)}>
        {showTable ? "Hide the weekly figures" : "Show the weekly figures as a table"}
      </Button>
      <div id={tableId} hidden={!showTable}>
        <div className={styles.tableWrap}>
          <Table size="small" aria-label={tableLabel}>
            <TableHeader>
              <TableRow>
                <TableHeaderCell>Week of</TableHeaderCell>
                <TableHeaderCell>Sessions (h)</TableHeaderCell>
                <TableHeaderCell>Prep (h)</TableHeaderCell>
                <TableHeaderCell>Reflection (h)</TableHeaderCell>
                <TableHeaderCell>Total (h)</TableHeaderCell>
              </TableRow>
            </TableHeader>
            <TableBody>
              {weeks.map((week) => (
                <TableRow key={week.weekStart}>
                  <TableCell>{weekLabel(week.weekStart, locale)}</TableCell>
                  <TableCell>{hours.format(week.sessionHours)}</TableCell>
                  <TableCell>{hours.format(week.prepHours)}</TableCell>
                  <TableCell>{hours.format(week.reflectionHours)}</TableCell>
                  <TableCell>{hours.format(week.totalHours)}</TableCell>
                </TableRow>
              ))}
            </TableBody>
          </Table>
        </div>
      </div>
    </figure>
  );
}
