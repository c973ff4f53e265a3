import { SignJWT, jwtVerify, errors as joseErrors, type JWTPayload } from "jose";
import { randomUUID } from "node:crypto";
import type { SeedPerson } from "../seed/people.js";
import { SANDBOX_APP_CLIENT_ID } from "../seed/people.js";
import type { SigningKey } from "./keys.js";

export const GRAPH_AUDIENCE = "https://graph.microsoft.com";
/** The service principal of our app in the sandbox tenant (the `oid`/`sub` of app-only tokens). */
export const SANDBOX_APP_SERVICE_PRINCIPAL_ID = "5e0a7c1c-0000-4000-8000-5a0d5e1f0001";
const TOKEN_LIFETIME_SECONDS = 3600;

/** The delegated Graph scopes our app is consented for (architecture.md, "Graph permissions"). */
export const DELEGATED_GRAPH_SCOPES = [
  "User.Read",
  "User.ReadBasic.All",
  "Calendars.ReadWrite",
  "Calendars.Read.Shared",
  "MailboxSettings.Read",
  "OnlineMeetings.ReadWrite",
  "TeamsAppInstallation.ReadWriteForChat",
  "TeamsTab.Create",
  "ChatMessage.Send",
  "Tasks.ReadWrite",
  "TeamsActivity.Send",
  "openid",
  "profile",
  "email",
];

/** Application permissions granted to our app (roles claim of app-only tokens). */
export const APPLICATION_GRAPH_ROLES = ["Calendars.ReadWrite", "TeamsActivity.Send", "User.Read.All", "OnlineMeetings.Read.All"];

export interface TokenIssuer {
  readonly issuer: string;
  /** A delegated token for `person`; audience defaults to our API. */
  issueUserToken(person: SeedPerson, audience?: string): Promise<string>;
  issueAppToken(): Promise<string>;
  /**
   * Verifies signature, issuer, lifetime and that the audience passes `acceptAudience`.
   * Throws `TokenError` with a Graph-like reason.
   */
  verify(token: string, acceptAudience: (aud: string) => boolean): Promise<JWTPayload>;
}

export class TokenError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "TokenError";
  }
}

export function issuerFor(baseUrl: string, tenantId: string): string {
  return `${baseUrl}/identity/${tenantId}/v2.0`;
}

/** Audiences that mean "our API": the client id (v2 tokens) or an `api://…/clientId` URI (v1). */
export function isApiAudience(aud: string): boolean {
  return aud === SANDBOX_APP_CLIENT_ID || (aud.startsWith("api://") && aud.endsWith(`/${SANDBOX_APP_CLIENT_ID}`));
}

export function createTokenIssuer(opts: { baseUrl: string; tenantId: string; key: Promise<SigningKey> }): TokenIssuer {
  const issuer = issuerFor(opts.baseUrl, opts.tenantId);

  async function sign(claims: JWTPayload): Promise<string> {
    const key = await opts.key;
    // Tokens use the real clock, not the sandbox clock: verifiers (the API, jose) check exp/nbf
    // against the wall clock, and a pinned test clock must not produce expired tokens.
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({ ...claims, uti: randomUUID().replace(/-/g, "").slice(0, 22) })
      .setProtectedHeader({ alg: "RS256", typ: "JWT", kid: key.kid })
      .setIssuer(issuer)
      .setIssuedAt(now)
      .setNotBefore(now)
      .setExpirationTime(now + TOKEN_LIFETIME_SECONDS)
      .sign(key.privateKey);
  }

  return {
    issuer,
    async issueUserToken(person, audience = SANDBOX_APP_CLIENT_ID) {
      const graph = audience === GRAPH_AUDIENCE;
      return sign({
        aud: audience,
        ver: "2.0",
        tid: opts.tenantId,
        oid: person.id,
        sub: person.id,
        preferred_username: person.userPrincipalName,
        name: person.displayName,
        azp: SANDBOX_APP_CLIENT_ID,
        idtyp: "user",
        scp: graph ? DELEGATED_GRAPH_SCOPES.join(" ") : "access_as_user",
      });
    },
    async issueAppToken() {
      return sign({
        aud: GRAPH_AUDIENCE,
        ver: "2.0",
        tid: opts.tenantId,
        oid: SANDBOX_APP_SERVICE_PRINCIPAL_ID,
        sub: SANDBOX_APP_SERVICE_PRINCIPAL_ID,
        azp: SANDBOX_APP_CLIENT_ID,
        appid: SANDBOX_APP_CLIENT_ID,
        idtyp: "app",
        roles: APPLICATION_GRAPH_ROLES,
      });
    },
    async verify(token, acceptAudience) {
      const key = await opts.key;
      let payload: JWTPayload;
      try {
        ({ payload } = await jwtVerify(token, key.publicKey, { issuer, algorithms: ["RS256"] }));
      } catch (err) {
        if (err instanceof joseErrors.JWTExpired) throw new TokenError("Lifetime validation failed, the token is expired.");
        if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "aud") throw new TokenError("Invalid audience.");
        if (err instanceof joseErrors.JWTClaimValidationFailed && err.claim === "iss") throw new TokenError("Invalid issuer.");
        if (err instanceof joseErrors.JWSSignatureVerificationFailed) throw new TokenError("Invalid signature.");
        if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) throw new TokenError("IDX14100: JWT is not well formed.");
        throw new TokenError("Access token validation failure.");
      }
      const aud = typeof payload.aud === "string" ? payload.aud : undefined;
      if (aud === undefined || !acceptAudience(aud)) throw new TokenError("Invalid audience.");
      return payload;
    },
  };
}
