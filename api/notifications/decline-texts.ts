import { describeWhen } from "../nudges/nudge-texts";

/**
 * What the decline nudge says: gentle, a question rather than a telling-off, and nothing but the
 * circle's name and when (no session content). Sent as the manifest's protectedTimeConflict
 * activity: a declined session is protected time given up, and that switch is the one a member
 * turns off to stop hearing about their protected time.
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
    // Template "{eventSubject} overlaps your protected {blockKind} time for {circleName}".
    templateParameters: { eventSubject: "Your decline", blockKind: "session", circleName: input.circleName },
  };
}
