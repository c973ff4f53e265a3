import { DateTime } from "luxon";
import type { SessionOutcome } from "../team/cadence-risk";

/**
 * What each scheduled nudge says. Pure: the scheduler gathers the facts, these functions word
 * them. Values for the manifest's templateText placeholders (appPackage/manifest.json
 * `activities.activityTypes`) plus a preview line; the nudge service makes both feed-safe.
 *
 * Confidentiality: a prep reminder carries the recipient's OWN commitments and nothing else
 * said in a session; the reflection and momentum nudges carry no session content at all.
 */
export interface NudgeText {
  previewText: string;
  templateParameters: Record<string, string>;
}

/**
 * "tomorrow at 15:00" / "today at 15:00" / "on Thu 4 Jun at 15:00", in the member's zone.
 * 24-hour clock: the member's locale is not known to the scheduler, and it cannot be misread.
 */
export function describeWhen(startIso: string, nowIso: string, zone: string): string {
  const start = DateTime.fromISO(startIso, { zone });
  const today = DateTime.fromISO(nowIso, { zone }).startOf("day");
  const days = Math.round(start.startOf("day").diff(today, "days").days);
  const time = start.toFormat("HH:mm");
  if (days === 0) return `today at ${time}`;
  if (days === 1) return `tomorrow at ${time}`;
  return `on ${start.setLocale("en-GB").toFormat("ccc d LLL")} at ${time}`;
}

/**
 * Prep reminder: when the circle meets, the member's own commitments from their last session
 * (to review), and "bring a case" — said outright when the rotation makes them case owner.
 */
export function prepReminderText(input: { circleName: string; when: string; isCaseOwner: boolean; ownCommitments: readonly string[] }): NudgeText {
  const ask = input.isCaseOwner ? "You are the case owner: bring a case." : "Bring a case or a question.";
  const commitments =
    input.ownCommitments.length === 0
      ? ""
      : ` Your commitment${input.ownCommitments.length > 1 ? "s" : ""}: ${input.ownCommitments.map((c) => `“${c}”`).join("; ")}`;
  return {
    previewText: `${input.circleName} meets ${input.when}. ${ask}${commitments}`,
    templateParameters: { circleName: input.circleName, when: input.when },
  };
}

/** Reflection prompt, sent when the session ends: one sentence while it is fresh. */
export function reflectionPromptText(input: { circleName: string }): NudgeText {
  return {
    previewText: "Take a minute: one sentence on what you learned, and one thing you will try before the next session.",
    templateParameters: { circleName: input.circleName },
  };
}

const SLIP_WORDS: Partial<Record<SessionOutcome, string>> = { skipped: "skipped", notHeld: "not held", declinedByMost: "declined by most" };

/** "Momentum fading": why, in counts only ("2 of the last 3 sessions were skipped or not held"). */
export function momentumFadingText(input: { circleName: string; lastOutcomes: readonly SessionOutcome[] }): NudgeText {
  const slips = input.lastOutcomes.filter((o) => SLIP_WORDS[o] !== undefined);
  const kinds = [...new Set(slips.map((o) => SLIP_WORDS[o]!))];
  const how = kinds.length === 0 ? "slipped" : kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(", ")} or ${kinds.at(-1)!}`;
  const reason = `${slips.length} of the last ${input.lastOutcomes.length} sessions were ${how}`;
  return {
    previewText: `${reason}. Agree a time that works for everyone, or talk about what would help.`,
    templateParameters: { circleName: input.circleName, reason },
  };
}
