import { badRequest } from "../errors.js";

export const ADAPTIVE_CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive";
/** Teams renders Adaptive Cards up to schema 1.5 (platform-facts.md, "Adaptive Cards in Teams"). */
export const MAX_TEAMS_CARD_VERSION = "1.5";

function versionTuple(v: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/** Throws GraphError 400 unless `content` is a JSON Adaptive Card Teams can render. */
export function checkAdaptiveCard(content: unknown, attachmentId: string): void {
  if (typeof content !== "string") throw badRequest(`Attachment '${attachmentId}': content must be the card JSON as a string.`);
  let card: unknown;
  try {
    card = JSON.parse(content);
  } catch {
    throw badRequest(`Attachment '${attachmentId}': content is not valid JSON.`);
  }
  if (typeof card !== "object" || card === null || Array.isArray(card)) throw badRequest(`Attachment '${attachmentId}': the card must be a JSON object.`);
  const c = card as Record<string, unknown>;
  if (c.type !== "AdaptiveCard") throw badRequest(`Attachment '${attachmentId}': the card's type must be 'AdaptiveCard'.`);
  const version = typeof c.version === "string" ? versionTuple(c.version) : undefined;
  const max = versionTuple(MAX_TEAMS_CARD_VERSION)!;
  if (!version) throw badRequest(`Attachment '${attachmentId}': the card needs a version such as "1.5".`);
  if (version[0] > max[0] || (version[0] === max[0] && version[1] > max[1])) {
    throw badRequest(`Attachment '${attachmentId}': card version ${String(c.version)} is not supported; Teams renders up to ${MAX_TEAMS_CARD_VERSION}.`);
  }
  if (c.body !== undefined && !Array.isArray(c.body)) throw badRequest(`Attachment '${attachmentId}': the card's body must be an array.`);
  if (c.actions !== undefined && !Array.isArray(c.actions)) throw badRequest(`Attachment '${attachmentId}': the card's actions must be an array.`);
}

/** The ids of `<attachment id="…"></attachment>` tags in a message body. */
export function referencedAttachmentIds(html: string): string[] {
  return [...html.matchAll(/<attachment\s+id\s*=\s*["']([^"']+)["']\s*>\s*<\/attachment>/gi)].map((m) => m[1]!);
}
