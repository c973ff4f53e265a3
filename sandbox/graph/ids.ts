import { randomBytes, randomUUID } from "node:crypto";

export { randomUUID };

/** An Exchange-style opaque item id ("AAMkA…"), URL-safe. */
export function exchangeId(): string {
  return `AAMkA${randomBytes(36).toString("base64url")}`;
}

/** A weak ETag like Exchange's changeKey. */
export function etag(): string {
  return `W/"${randomBytes(12).toString("base64")}"`;
}

/** Second precision with Graph's 7 fractional digits, e.g. "2025-03-01T10:00:00.0000000Z". */
export function graphTimestamp(d: Date): string {
  return d.toISOString().replace(/\.\d{3}Z$/, ".0000000Z");
}
