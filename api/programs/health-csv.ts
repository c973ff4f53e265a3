import type { ProgramHealth } from "./health-schemas";

/**
 * One CSV cell (RFC 4180), safe to open in a spreadsheet. Text that starts with = + - @ or a
 * tab/carriage return is a formula to Excel, LibreOffice and Google Sheets ("CSV injection",
 * OWASP): it gets a leading apostrophe so it stays text. Numbers are written as numbers.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) || text !== text.trim() ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvRow(cells: ReadonlyArray<string | number | null>): string {
  return cells.map(csvCell).join(",");
}

/**
 * The program health report as CSV: the figures as "figure,value,note" rows, then a blank line
 * and the weekly protected hours. Below the threshold it holds the reason and no figures, as
 * the dashboard does. UTF-8 with a byte-order mark so spreadsheet apps read accents correctly;
 * CRLF line ends per RFC 4180.
 */
export function renderProgramHealthCsv(input: { purpose: string; generatedAt: string; health: ProgramHealth }): string {
  const { health } = input;
  const rows: Array<ReadonlyArray<string | number | null>> = [
    ["Figure", "Value", "Note"],
    ["Program", input.purpose, null],
    ["Generated at (UTC)", input.generatedAt, null],
    ["Minimum people for figures", health.threshold, "Aggregates only; nothing is shown for fewer people."],
  ];
  if (health.status === "hidden") {
    rows.push(["Figures shown", "no", health.reason.message]);
    return `\uFEFF${rows.map(csvRow).join("\r\n")}\r\n`;
  }
  const weeks = health.protectedHours.weeks;
  const first = weeks[0]?.weekStart ?? null;
  const completion = health.commitmentCompletion;
  const pulse = health.pulse;
  rows.push(
    ["Figures shown", "yes", first ? `${weeks.length} complete weeks from ${first}` : null],
    ["People taking part", health.participants, "Enrolled people in the program's booked circles"],
    ["Circles booked", health.circles.booked, null],
    ["Circles at risk", health.circles.atRisk, "2 of their last 3 sessions skipped or not held"],
    ["Sessions held", health.sessions.held, null],
    ["Sessions planned", health.sessions.planned, "Skipped sessions count as planned"],
    ["Protected coaching hours per person per week", health.protectedHours.averagePerParticipantPerWeek, "Sessions plus prep and reflection time"],
    ["Prep and reflection blocks kept", health.protectedHours.blocksProtected, null],
    ["Prep and reflection blocks overridden", health.protectedHours.blocksOverridden, "Another meeting was accepted on top"],
    completion.status === "shown"
      ? ["Commitment completion rate", completion.rate, `Over ${completion.reviewed} reviewed commitments; done 1, partly 0.5`]
      : ["Commitment completion rate", null, completion.reason.message],
    pulse.status === "shown" ? ["Usefulness pulse average (1-5)", pulse.average, `Over ${pulse.ratings} ratings`] : ["Usefulness pulse average (1-5)", null, pulse.reason.message],
    ["Insights shared with the program", health.insightsShared, "Anonymised, shared by their authors' choice"],
    [],
    ["Week starting", "Session hours", "Prep hours", "Reflection hours", "Total hours"],
    ...weeks.map((w) => [w.weekStart, w.sessionHours, w.prepHours, w.reflectionHours, w.totalHours]),
  );
  return `\uFEFF${rows.map(csvRow).join("\r\n")}\r\n`;
}
