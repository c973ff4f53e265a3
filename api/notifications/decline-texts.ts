import { describeWhen } from "../nudges/nudge-texts";

/**
 * What the decline nudge says: gentle, a question rather than a telling-off, and nothing but the
 * circle's name and when (no session content). Sent as the manifest's `sessionDeclined` activity
 * ("{circleName} meets without you: tell them?"), with its own switch: a member may want to hear
 * about meetings on their protected time and not about their own declines, or the other way round.
 */
export interface DeclineNudgeText {
  previewText: string;
  templateParameters: Record<string, string>;
}

export function declineNudgeText(input: { circleName: string; scope: "occurrence" | "series"; sessionStarts: readonly string[]; now: string; zone: string }): DeclineNudgeText {
  const what =
    input.scope === "series"
      ? `You declined the ${input.circleName} sessions`
      : input.sessionStarts.length === 1
        ? `You declined ${input.circleName} ${describeWhen(input.sessionStarts[0]!, input.now, input.zone)}`
        : `You declined ${input.sessionStarts.length} ${input.circleName} sessions`;
  return {
    previewText: `${what}. Your circle meets without you: tell them?`,
    // Template "{circleName} meets without you: tell them?".
    templateParameters: { circleName: input.circleName },
  };
}
