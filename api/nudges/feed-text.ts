/**
 * Makes user text (a circle name, a member's own commitment) safe for a Teams activity-feed
 * notification: `previewText.content` and the values of the activity type's `templateParameters`.
 *
 * The feed shows plain text on one line, capped (previewText: 150 characters, platform-facts.md
 * "Activity feed notifications"), and Teams fills the manifest's `templateText` with the
 * parameters itself — we cannot see how each client renders it. So, whatever the renderer:
 * - `<` and `>` become the look-alikes `‹` `›`: no tag (`<img onerror=…>`, `<at>` mentions) can
 *   form, and a plain-text client still reads what was typed. HTML entities would not do: a
 *   plain-text client would show "&lt;" literally.
 * - control and bidirectional-override characters are dropped (U+202E makes text read
 *   backwards, a known spoofing trick);
 * - line breaks and runs of spaces collapse to one space (the feed is one line).
 */
export function toFeedText(text: string): string {
  return text
    .replace(UNSAFE_CHARACTERS, " ")
    .replace(/</g, "\u2039")
    .replace(/>/g, "\u203A")
    .replace(/\s+/g, " ")
    .trim();
}

/** Cuts `text` to at most `max` characters (by code point), ending with "…" when it had to. */
export function clip(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max ? text : `${chars.slice(0, max - 1).join("").trimEnd()}…`;
}

// C0 and C1 controls (tabs and line breaks included: they become spaces), bidi marks, embeddings, overrides and isolates.
// eslint-disable-next-line no-control-regex
const UNSAFE_CHARACTERS = /[\u0000-\u001F\u007F-\u009F\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
