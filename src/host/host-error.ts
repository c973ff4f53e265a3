export type HostErrorCode =
  /** Plain browser in sandbox mode and nobody picked a demo user yet. */
  | "sign_in_required"
  /** Plain browser in Microsoft 365 mode: only Teams/Outlook can sign the user in. */
  | "host_required"
  /** The host refused or failed to give us a token. */
  | "token_failed"
  /** The capability is not available in this host or frame context. */
  | "not_supported";

/** Failures of the host boundary; `message` is written for the user. */
export class HostError extends Error {
  override readonly name = "HostError";
  constructor(
    readonly code: HostErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isHostError(value: unknown): value is HostError {
  return value instanceof HostError;
}
