import { createRemoteJWKSet, errors as joseErrors, jwtVerify, type JWTVerifyGetKey } from "jose";
import { z } from "zod";
import type { TokenValidationConfig } from "../config";
import { AppError } from "../shared/errors";
import type { CallerIdentity } from "./identity";

/** Turns a bearer token into the caller's identity, or throws AppError (401, or 503 when keys are unreachable). */
export interface TokenVerifier {
  verify(token: string): Promise<CallerIdentity>;
}

// Only the claims we rely on; Entra adds many more.
const ClaimsSchema = z.object({
  iss: z.string(),
  aud: z.string({ error: "the token has no single audience" }),
  tid: z.string({ error: "the token has no tenant (tid)" }).min(1),
  oid: z.string({ error: "the token has no user object id (oid); app-only tokens cannot call this API" }).min(1),
  scp: z.string({ error: "the token has no delegated scopes (scp)" }),
  ver: z.string().optional(),
  preferred_username: z.string().optional(),
  upn: z.string().optional(),
  name: z.string().optional(),
});

/** Entra clock skew allowance; Microsoft's own middleware uses 5 minutes, one is enough for us. */
const CLOCK_TOLERANCE_SECONDS = 60;
const MAX_CACHED_TOKENS = 10_000;

const unauthorized = (message: string, cause?: unknown) => new AppError("unauthorized", message, { cause });

/**
 * Validates Entra ID (or sandbox) access tokens for this API exactly as platform-facts.md
 * "SSO and tokens" prescribes: RS256 signature from the issuer's JWKS, `aud` = our client id
 * (v2) or `api://<domain>/<client id>` (v1), `iss` = the v2 or v1 issuer of the token's own
 * `tid`, `tid` allowed by configuration, `scp` containing access_as_user.
 * `keys` is injectable so tests sign tokens with a local key set.
 */
export function createTokenVerifier(opts: { config: TokenValidationConfig; keys?: JWTVerifyGetKey; now?: () => Date }): TokenVerifier {
  const { config } = opts;
  const keys = opts.keys ?? createRemoteJWKSet(new URL(config.jwksUrl));
  const allowedTenants = new Set(config.allowedTenantIds.map((t) => t.toLowerCase()));
  const v1Audience = new RegExp(`^api://[^\\s]+/${escapeRegExp(config.clientId)}$`, "i");
  const nowMs = () => (opts.now ? opts.now() : new Date()).getTime();
  // A client sends the same token for up to an hour (live sessions: one intent a second), and an
  // RSA check costs more than everything else a request does. Only tokens that passed every check
  // are kept, keyed by the exact string (a tampered token is another key), and only until `exp`.
  const verified = new Map<string, { identity: CallerIdentity; expiresAtMs: number }>();

  return {
    async verify(token: string): Promise<CallerIdentity> {
      const cached = verified.get(token);
      if (cached && nowMs() < cached.expiresAtMs) return cached.identity;
      if (cached) verified.delete(token);

      let payload: unknown;
      try {
        ({ payload } = await jwtVerify(token, keys, {
          algorithms: ["RS256"],
          requiredClaims: ["exp", "iss", "aud", "tid"],
          clockTolerance: CLOCK_TOLERANCE_SECONDS,
          ...(opts.now ? { currentDate: opts.now() } : {}),
        }));
      } catch (err) {
        throw explainJoseError(err);
      }

      const parsed = ClaimsSchema.safeParse(payload);
      if (!parsed.success) throw unauthorized(`The token is missing required claims: ${parsed.error.issues.map((i) => i.message).join("; ")}.`);
      const claims = parsed.data;

      if (claims.aud.toLowerCase() !== config.clientId.toLowerCase() && !v1Audience.test(claims.aud)) {
        throw unauthorized(`The token was issued for another resource (aud "${claims.aud}"), not this API.`);
      }
      const tenantId = claims.tid.toLowerCase();
      if (!allowedTenants.has(tenantId)) throw unauthorized(`Tenant ${claims.tid} is not allowed to use this app.`);
      // The issuer must be the one of the token's own tenant: a token minted by another tenant
      // cannot claim to be ours by setting tid alone.
      const expectedIssuers = config.issuerTemplates.map((t) => t.replace("{tid}", claims.tid));
      if (!expectedIssuers.includes(claims.iss)) throw unauthorized(`The token's issuer "${claims.iss}" is not trusted for tenant ${claims.tid}.`);
      if (!claims.scp.split(" ").includes(config.requiredScope)) throw unauthorized(`The token lacks the ${config.requiredScope} scope.`);

      const identity: CallerIdentity = {
        tenantId,
        userId: claims.oid,
        userPrincipalName: claims.preferred_username ?? claims.upn ?? "",
        displayName: claims.name ?? claims.preferred_username ?? claims.upn ?? "",
        assertion: token,
      };
      const exp = (payload as { exp?: unknown }).exp;
      if (typeof exp === "number") {
        // Bounded: the oldest entry goes first (Map keeps insertion order).
        if (verified.size >= MAX_CACHED_TOKENS) verified.delete(verified.keys().next().value as string);
        verified.set(token, { identity, expiresAtMs: exp * 1000 });
      }
      return identity;
    },
  };
}

function explainJoseError(err: unknown): AppError {
  if (err instanceof joseErrors.JWTExpired) return unauthorized("The token has expired; get a new one.", err);
  if (err instanceof joseErrors.JWTClaimValidationFailed) return unauthorized(`The token is not valid: ${err.reason} (${err.claim}).`, err);
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return unauthorized("The token's signing algorithm is not accepted (RS256 only).", err);
  if (err instanceof joseErrors.JWKSNoMatchingKey || err instanceof joseErrors.JWKSMultipleMatchingKeys) {
    return unauthorized("The token was signed with a key the identity provider does not publish.", err);
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return unauthorized("The token's signature is invalid.", err);
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid || err instanceof joseErrors.JOSENotSupported) {
    return unauthorized("The token is malformed.", err);
  }
  // JWKS timeouts, unreachable identity provider, invalid JWKS: our problem, not the caller's.
  return new AppError("service_unavailable", "Cannot check sign-in right now: the identity provider's signing keys are unreachable.", { cause: err });
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
