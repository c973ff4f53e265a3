/** Tokens are reused until this long before they expire, so a call never starts with a dying token. */
export const TOKEN_REFRESH_MARGIN_MS = 5 * 60 * 1000;

export interface CachedToken {
  token: string;
  expiresAt: Date;
}

/**
 * A small per-key token cache (key: tenant + user, or tenant for app-only). Concurrent
 * misses for one key share a single acquisition instead of stampeding the token endpoint.
 */
export class TokenCache {
  private readonly tokens = new Map<string, CachedToken>();
  private readonly pending = new Map<string, Promise<CachedToken>>();

  constructor(private readonly now: () => Date = () => new Date()) {}

  async getOrAcquire(key: string, acquire: () => Promise<CachedToken>): Promise<string> {
    const cached = this.tokens.get(key);
    if (cached && cached.expiresAt.getTime() - TOKEN_REFRESH_MARGIN_MS > this.now().getTime()) return cached.token;
    let inFlight = this.pending.get(key);
    if (!inFlight) {
      inFlight = acquire().finally(() => this.pending.delete(key));
      this.pending.set(key, inFlight);
    }
    const fresh = await inFlight;
    this.tokens.set(key, fresh);
    return fresh.token;
  }
}
