const cadenceLabels: Record<string, string> = {
  weekly: "Every week",
  "every-2-weeks": "Every 2 weeks",
  biweekly: "Every 2 weeks",
  "every-4-weeks": "Every 4 weeks",
  every4weeks: "Every 4 weeks",
  monthly: "Every month",
};

/** "Every 2 weeks · 60 min" — unknown cadence codes are shown as sent rather than hidden. */
export function describeCadence(cadence: string, sessionMinutes: number): string {
  return `${cadenceLabels[cadence] ?? cadence} · ${sessionMinutes} min`;
}
