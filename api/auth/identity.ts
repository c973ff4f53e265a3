/**
 * Who is calling the API, as established by token validation (api/auth/verify-token.ts).
 * Identity is tenant id + object id, never the UPN (UPNs change).
 */
export interface CallerIdentity {
  tenantId: string;
  /** Entra object id (`oid`). */
  userId: string;
  /** `preferred_username` (v2) or `upn` (v1); for display and directory lookups only. */
  userPrincipalName: string;
  displayName: string;
  /** The raw bearer token, kept for the on-behalf-of exchange. */
  assertion: string;
}

/**
 * Where Graph access tokens come from. Microsoft 365 mode: msal-node (on-behalf-of for
 * delegated calls, client credentials for app-only). Sandbox mode: the sandbox's identity
 * endpoints over HTTP. Implementations cache tokens per user until shortly before expiry.
 */
export interface GraphTokenProvider {
  /** A delegated Graph token for the caller. Throws AppError "consent_required" (403) when consent is missing. */
  userToken(caller: CallerIdentity): Promise<string>;
  /** An app-only Graph token for the tenant. */
  appToken(tenantId: string): Promise<string>;
}
