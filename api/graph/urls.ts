/**
 * Graph URL handling in one place: the base URL, request paths, `@odata.nextLink`s and the
 * mailbox a path addresses (for the per-mailbox concurrency limit).
 */

export interface GraphBase {
  /** Scheme + host (+ any path prefix) without the version, e.g. "https://graph.microsoft.com". */
  host: string;
  /** "v1.0" or "beta". */
  version: string;
  /** `${host}/${version}`: what relative request paths are appended to. */
  root: string;
}

/**
 * Accepts the base URL with its version ("https://graph.microsoft.com/v1.0", the sandbox's
 * "http://localhost:3001/v1.0") or without one (then v1.0).
 */
export function parseGraphBaseUrl(baseUrl: string): GraphBase {
  const url = new URL(baseUrl);
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new TypeError(`Graph base URL must be http(s): ${baseUrl}`);
  const segments = url.pathname.split("/").filter((s) => s !== "");
  const last = segments.at(-1);
  const hasVersion = last === "v1.0" || last === "beta";
  const version = hasVersion ? last : "v1.0";
  const prefix = (hasVersion ? segments.slice(0, -1) : segments).map((s) => `/${s}`).join("");
  const host = `${url.origin}${prefix}`;
  return { host, version, root: `${host}/${version}` };
}

/** Request paths are relative to the version root and start with "/": "/me/events?$top=10". */
export function assertRelativePath(path: string): void {
  const pathPart = path.split("?", 1)[0] ?? "";
  if (!path.startsWith("/") || pathPart.includes("://")) {
    throw new TypeError(`Graph paths are relative to the version root and start with "/" (got "${path}").`);
  }
}

/**
 * The SDK's GraphRequest.parsePath treats ANY "https://" in the path as the start of an absolute
 * URL, query string included, so `$filter=JoinWebUrl eq 'https://teams…'` would be mangled into
 * a different host. Percent-encoding the scheme separator inside the query is equivalent for
 * Graph (it decodes query values) and invisible to parsePath.
 */
export function protectPathFromSdk(path: string): string {
  const q = path.indexOf("?");
  if (q === -1) return path;
  return path.slice(0, q) + path.slice(q).replaceAll("://", "%3A%2F%2F");
}

/**
 * Turns an absolute `@odata.nextLink` into a path relative to our root. Links to any other origin
 * or version are refused: following them would send the bearer token somewhere else.
 */
export function nextLinkToPath(nextLink: string, base: GraphBase): string {
  let url: URL;
  try {
    url = new URL(nextLink);
  } catch {
    throw new TypeError(`@odata.nextLink is not an absolute URL: "${nextLink}"`);
  }
  const root = new URL(base.root);
  const rootPath = root.pathname.replace(/\/$/, "");
  if (url.origin !== root.origin || !url.pathname.startsWith(`${rootPath}/`)) {
    throw new TypeError(`@odata.nextLink "${nextLink}" is not under the Graph base URL ${base.root}.`);
  }
  return url.pathname.slice(rootPath.length) + url.search;
}

/** Whose mailbox a request path addresses, as far as the path tells. */
export type MailboxTarget = { kind: "me" } | { kind: "user"; user: string } | { kind: "none" };

/**
 * `/me/...` → the caller; `/users/{id|upn}/...` and `/users('{id}')/...` → that user; anything
 * else (`/chats/...`, `/$batch`, `/subscriptions`) → no mailbox.
 */
export function mailboxTargetOf(path: string): MailboxTarget {
  const pathPart = path.split("?", 1)[0] ?? "";
  const segments = pathPart.split("/").filter((s) => s !== "");
  const first = segments[0]?.toLowerCase();
  if (first === "me") return { kind: "me" };
  if (first === "users" && segments[1] !== undefined) return { kind: "user", user: safeDecode(segments[1]).toLowerCase() };
  const keyed = first?.match(/^users\('([^']+)'\)$/);
  if (keyed?.[1] !== undefined) return { kind: "user", user: safeDecode(keyed[1]).toLowerCase() };
  return { kind: "none" };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
