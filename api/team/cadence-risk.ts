/**
 * Cadence health of one circle (product.md glossary, §10 "momentum fading"): a circle is at risk
 * when at least 2 of its last 3 sessions slipped — skipped, declined by most members, or simply
 * not held. Shared by the manager's team view and the "momentum fading" nudge, so both say the
 * same thing about the same circle.
 */
export type SessionOutcome = "held" | "notHeld" | "skipped" | "declinedByMost" | "scheduled";

const SLIPPED: ReadonlySet<SessionOutcome> = new Set(["notHeld", "skipped", "declinedByMost"]);

export const RISK_WINDOW = 3;
export const RISK_SLIPS = 2;

/**
 * Whether the circle is losing momentum, judged on its last 3 sessions that are due (start
 * before `now`; "scheduled" ones that are due but not yet known as held or not are ignored).
 * A young circle with only 2 due sessions, both slipped, is at risk too.
 */
export function isLosingMomentum(sessions: Iterable<{ start: string; outcome: SessionOutcome }>, now: string): boolean {
  const nowMs = Date.parse(now);
  const due = [...sessions]
    .filter((s) => s.outcome !== "scheduled" && Date.parse(s.start) < nowMs)
    .sort((a, b) => Date.parse(b.start) - Date.parse(a.start))
    .slice(0, RISK_WINDOW);
  return due.filter((s) => SLIPPED.has(s.outcome)).length >= RISK_SLIPS;
}
