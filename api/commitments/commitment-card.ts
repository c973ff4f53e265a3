import { randomUUID } from "node:crypto";
import { escapeCardText } from "./escape-card-text";
import { CommitmentSchema, type Commitment } from "./schemas";

/**
 * The subset of the Adaptive Card schema our cards use. Teams renders schema 1.5 at most
 * (platform-facts.md, "Adaptive Cards in Teams"); without a bot the only useful action is
 * `Action.OpenUrl`.
 */
export interface AdaptiveCard {
  type: "AdaptiveCard";
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  version: "1.5";
  fallbackText: string;
  body: AdaptiveCardElement[];
  actions: OpenUrlAction[];
}
export type AdaptiveCardElement = TextBlock | FactSet;
export interface TextBlock {
  type: "TextBlock";
  text: string;
  wrap: true;
  size?: "Small" | "Default" | "Medium" | "Large";
  weight?: "Lighter" | "Default" | "Bolder";
  isSubtle?: boolean;
  spacing?: "None" | "Small" | "Medium";
  style?: "heading";
}
export interface FactSet {
  type: "FactSet";
  facts: Array<{ title: string; value: string }>;
}
export interface OpenUrlAction {
  type: "Action.OpenUrl";
  title: string;
  url: string;
}

export const ADAPTIVE_CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json";
export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";

/**
 * Builds the commitment card posted to the meeting chat. Every piece of member text (name, circle,
 * action, signal, support) goes through `escapeCardText`; labels are ours. The due date is shown
 * as a calendar day (computed in UTC from the YYYY-MM-DD value, so it never shifts by a day for
 * viewers in other zones, as `{{DATE()}}` on an instant would).
 * @throws ZodError when the commitment is invalid, e.g. a deep link that is not https.
 */
export function buildCommitmentCard(input: Commitment): AdaptiveCard {
  const commitment = CommitmentSchema.parse(input);
  const due = formatDueDate(commitment.dueDate);
  const facts: FactSet["facts"] = [{ title: "By", value: escapeCardText(due) }];
  if (commitment.signal !== "") facts.push({ title: "I'll know it worked when", value: escapeCardText(commitment.signal) });
  if (commitment.supportWanted) facts.push({ title: "Support wanted", value: escapeCardText(commitment.supportWanted) });

  return {
    type: "AdaptiveCard",
    $schema: ADAPTIVE_CARD_SCHEMA,
    version: "1.5",
    // Shown by clients that cannot render the card (and in notifications): plain, no user text,
    // so nothing the member wrote leaks into a preview outside the chat.
    fallbackText: "A commitment card from Coaching Circles.",
    body: [
      { type: "TextBlock", text: "Commitment", style: "heading", size: "Medium", weight: "Bolder", wrap: true },
      { type: "TextBlock", text: `${escapeCardText(commitment.ownerName)} · ${escapeCardText(commitment.circleName)}`, isSubtle: true, spacing: "None", wrap: true },
      { type: "TextBlock", text: `I will ${escapeCardText(stripLeadingIWill(commitment.action))}`, weight: "Bolder", wrap: true },
      { type: "FactSet", facts },
    ],
    actions: [{ type: "Action.OpenUrl", title: "Open in Coaching Circles", url: commitment.deepLink }],
  };
}

/**
 * The Graph `chatMessage` that posts a card: the HTML body holds only an `<attachment>` reference
 * whose id matches the attachment, and the card travels as a JSON string (Graph's documented shape
 * for "send a message with an Adaptive Card"). The id is a fresh UUID unless one is given.
 */
export function chatMessageForCard(card: AdaptiveCard, opts: { attachmentId?: string } = {}): ChatMessageWithCard {
  const id = opts.attachmentId ?? randomUUID();
  if (!/^[A-Za-z0-9-]+$/.test(id)) throw new RangeError("attachment ids are letters, digits and hyphens");
  return {
    body: { contentType: "html", content: `<attachment id="${id}"></attachment>` },
    attachments: [{ id, contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: JSON.stringify(card) }],
  };
}

export interface ChatMessageWithCard {
  body: { contentType: "html"; content: string };
  attachments: Array<{ id: string; contentType: typeof ADAPTIVE_CARD_CONTENT_TYPE; content: string }>;
}

const WEEKDAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * "Mon 24 Mar 2025". Spelled out by hand rather than with Intl, whose punctuation changes between
 * ICU versions ("Mon, 24 Mar" vs "Mon 24 Mar"), so a card reads the same from every server.
 */
function formatDueDate(isoDate: string): string {
  const date = new Date(`${isoDate}T00:00:00Z`);
  return `${WEEKDAYS[date.getUTCDay()]} ${date.getUTCDate()} ${MONTHS[date.getUTCMonth()]} ${date.getUTCFullYear()}`;
}

/** Members often type the prompt's "I will" themselves; the card adds it once. */
function stripLeadingIWill(action: string): string {
  const stripped = action.replace(/^i\s+will\s+/i, "").trim();
  return stripped === "" ? action : stripped;
}
