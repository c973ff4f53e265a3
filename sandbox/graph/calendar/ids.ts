/**
 * Identifier formats. Graph ids are opaque base64 strings that start with "AAMkA"; ours are
 * too (base64url, so they are safe in a URL path without escaping), and they carry what the
 * sandbox needs to route a request:
 * - stored item (single event, series master, an attendee's copy): `E|<mailboxId>|<seq>`
 * - occurrence or exception of a series: `O|<masterId>|<originalStart ISO, UTC>`, so an
 *   occurrence that was never touched can be read, moved or cancelled by its id, and an
 *   exception keeps the id the occurrence had (as in Exchange).
 */
const PREFIX = "AAMkA";

export type DecodedEventId = { kind: "item"; mailboxId: string; seq: number } | { kind: "occurrence"; masterId: string; originalStartMs: number };

export function itemId(mailboxId: string, seq: number): string {
  return PREFIX + Buffer.from(`E|${mailboxId}|${seq}`).toString("base64url");
}

export function occurrenceId(masterId: string, originalStartMs: number): string {
  return PREFIX + Buffer.from(`O|${masterId}|${formatUtc(originalStartMs)}`).toString("base64url");
}

export function decodeEventId(id: string): DecodedEventId | undefined {
  if (!id.startsWith(PREFIX)) return undefined;
  const parts = Buffer.from(id.slice(PREFIX.length), "base64url").toString("utf8").split("|");
  if (parts[0] === "E" && parts.length === 3 && parts[1]) {
    const seq = Number(parts[2]);
    return Number.isInteger(seq) ? { kind: "item", mailboxId: parts[1], seq } : undefined;
  }
  if (parts[0] === "O" && parts.length === 3 && parts[1]) {
    const ms = Date.parse(parts[2] ?? "");
    return Number.isNaN(ms) ? undefined : { kind: "occurrence", masterId: parts[1], originalStartMs: ms };
  }
  return undefined;
}

/** "2026-03-03T09:00:00Z", the form Graph uses for originalStart. */
export function formatUtc(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");
}

/**
 * Exchange's GlobalObjectId as hex: a fixed class id, 4 bytes of instance date (zero for the
 * series and single events, YYYY MM DD for an occurrence — which is why Graph documents that
 * iCalUId differs per occurrence), then a unique tail.
 */
const GOID_CLASS = "040000008200E00074C5B7101A82E008";

export function newICalUId(uniqueHex: string): string {
  return `${GOID_CLASS}00000000${uniqueHex.toUpperCase()}`;
}

export function occurrenceICalUId(seriesICalUId: string, localDate: string): string {
  if (!seriesICalUId.startsWith(GOID_CLASS)) return seriesICalUId;
  const [y, m, d] = localDate.split("-").map(Number);
  const hex = (n: number, width: number) => n.toString(16).toUpperCase().padStart(width, "0");
  return GOID_CLASS + hex(y ?? 0, 4) + hex(m ?? 0, 2) + hex(d ?? 0, 2) + seriesICalUId.slice(GOID_CLASS.length + 8);
}

/** changeKey / @odata.etag body: changes whenever the item changes. */
export function changeKey(seq: number, version: number): string {
  return Buffer.from(`CK|${seq}|${version}`).toString("base64");
}
