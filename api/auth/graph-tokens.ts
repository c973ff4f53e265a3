import { readFileSync } from "node:fs";
import { X509Certificate } from "node:crypto";
import { AuthError, ConfidentialClientApplication, type INetworkModule, type NodeAuthOptions } from "@azure/msal-node";
import { z } from "zod";
import type { AppConfig, MsalConfig } from "../config";
import { AppError } from "../shared/errors";
import type { CallerIdentity, GraphTokenProvider } from "./identity";
import { TokenCache, type CachedToken } from "./token-cache";

/** Delegated and app-only calls both ask for the permissions the app was granted. */
export const GRAPH_DEFAULT_SCOPE = "https://graph.microsoft.com/.default";

/** Picks the provider for the mode: msal-node in Microsoft 365 mode, the sandbox's identity endpoints otherwise. */
export function createGraphTokenProvider(opts: { config: AppConfig; fetchImpl?: typeof fetch; networkClient?: INetworkModule; now?: () => Date }): GraphTokenProvider {
  const { config } = opts;
  if (config.mode === "microsoft365" && config.msal) return createMsalTokenProvider({ msal: config.msal, networkClient: opts.networkClient, now: opts.now });
  if (!config.sandboxUrl) throw new Error("Sandbox mode needs sandboxUrl in the configuration.");
  return createSandboxTokenProvider({ sandboxUrl: config.sandboxUrl, fetchImpl: opts.fetchImpl, now: opts.now });
}

// ---------------------------------------------------------------------------------------------
// Microsoft 365: msal-node

/**
 * Errors that mean "the user (or an admin) must consent first": the front end answers them
 * with `authentication.authenticate` (consent pop-up). AADSTS65001 = consent missing.
 */
function isConsentError(err: AuthError): boolean {
  return ["invalid_grant", "interaction_required", "consent_required"].includes(err.errorCode) || /AADSTS65001/.test(err.errorMessage) || /AADSTS65001/.test(err.message);
}

function toTokenAppError(err: unknown, what: string): AppError {
  if (err instanceof AuthError && isConsentError(err)) {
    return new AppError("consent_required", "Microsoft 365 needs your consent before Coaching Circles can use your calendar and profile.", { cause: err });
  }
  const code = err instanceof AuthError ? err.errorCode : "unknown";
  return new AppError("graph_unavailable", `Could not get a Microsoft Graph token for ${what} (${code}).`, { cause: err });
}

function credentialsFrom(msal: MsalConfig): Pick<NodeAuthOptions, "clientSecret" | "clientCertificate"> {
  if (msal.certificatePath) {
    // One PEM holding the private key and the certificate, as App Service and Key Vault export it.
    const pem = readFileSync(msal.certificatePath, "utf8");
    const privateKey = /-----BEGIN (?:RSA |ENCRYPTED )?PRIVATE KEY-----[\s\S]+?-----END (?:RSA |ENCRYPTED )?PRIVATE KEY-----/.exec(pem)?.[0];
    const certificate = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
    if (!privateKey || !certificate) throw new Error(`AAD_APP_CERTIFICATE_PATH ${msal.certificatePath} must hold a PEM private key and certificate.`);
    const thumbprintSha256 = new X509Certificate(certificate).fingerprint256.replace(/:/g, "");
    return { clientCertificate: { thumbprintSha256, privateKey, x5c: certificate } };
  }
  return { clientSecret: msal.clientSecret };
}

/**
 * On-behalf-of (delegated) and client-credential (app-only) tokens from Entra ID. One
 * ConfidentialClientApplication per tenant, because the authority must be the caller's tenant
 * for multi-tenant apps (platform-facts.md "SSO and tokens").
 * @throws AppError consent_required (403) when consent is missing; graph_unavailable (503) otherwise.
 */
export function createMsalTokenProvider(opts: { msal: MsalConfig; networkClient?: INetworkModule; now?: () => Date }): GraphTokenProvider {
  const credentials = credentialsFrom(opts.msal);
  const now = opts.now ?? (() => new Date());
  const clients = new Map<string, ConfidentialClientApplication>();
  const cache = new TokenCache(now);
  // Separate clients (so separate msal caches) for delegated and app-only tokens: msal's cache
  // can otherwise hand an on-behalf-of token to a client-credential request for the same scope.
  const clientFor = (tenantId: string, flow: "obo" | "app") => {
    const key = `${flow}:${tenantId}`;
    let client = clients.get(key);
    if (!client) {
      client = new ConfidentialClientApplication({
        auth: { clientId: opts.msal.clientId, authority: `${opts.msal.authorityHost}/${tenantId}`, ...credentials },
        system: { ...(opts.networkClient ? { networkClient: opts.networkClient } : {}) },
      });
      clients.set(key, client);
    }
    return client;
  };
  const fromResult = (result: { accessToken: string; expiresOn: Date | null } | null, what: string): CachedToken => {
    if (!result?.accessToken) throw new AppError("graph_unavailable", `Entra ID returned no Graph token for ${what}.`);
    return { token: result.accessToken, expiresAt: result.expiresOn ?? new Date(now().getTime() + 60_000) };
  };

  return {
    userToken(caller: CallerIdentity) {
      return cache.getOrAcquire(`user:${caller.tenantId}:${caller.userId}`, async () => {
        try {
          const result = await clientFor(caller.tenantId, "obo").acquireTokenOnBehalfOf({ oboAssertion: caller.assertion, scopes: [GRAPH_DEFAULT_SCOPE] });
          return fromResult(result, "the signed-in user");
        } catch (err) {
          throw err instanceof AppError ? err : toTokenAppError(err, "the signed-in user");
        }
      });
    },
    appToken(tenantId: string) {
      return cache.getOrAcquire(`app:${tenantId}`, async () => {
        try {
          const result = await clientFor(tenantId, "app").acquireTokenByClientCredential({ scopes: [GRAPH_DEFAULT_SCOPE] });
          return fromResult(result, "the app");
        } catch (err) {
          throw err instanceof AppError ? err : toTokenAppError(err, "the app");
        }
      });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Sandbox: the stand-in's identity endpoints over HTTP

const TokenResponseSchema = z.object({ access_token: z.string().min(1), expires_in: z.coerce.number().positive() });
const OAuthErrorSchema = z.object({ error: z.string().optional(), error_description: z.string().optional() }).loose();

/**
 * Graph tokens from the sandbox: `POST /identity/obo { assertion }` (the on-behalf-of
 * stand-in) and `POST /identity/app-token {}`. Same caching and error codes as msal.
 */
export function createSandboxTokenProvider(opts: { sandboxUrl: string; fetchImpl?: typeof fetch; now?: () => Date }): GraphTokenProvider {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const now = opts.now ?? (() => new Date());
  const cache = new TokenCache(now);

  async function request(path: string, body: unknown, what: string): Promise<CachedToken> {
    let res: Response;
    try {
      res = await fetchImpl(`${opts.sandboxUrl}${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    } catch (err) {
      throw new AppError("graph_unavailable", `The sandbox identity service at ${opts.sandboxUrl} is unreachable (is it running?).`, { cause: err });
    }
    const json: unknown = await res.json().catch(() => undefined);
    if (!res.ok) {
      const oauth = OAuthErrorSchema.safeParse(json);
      const code = oauth.success ? (oauth.data.error ?? "") : "";
      const description = oauth.success ? (oauth.data.error_description ?? "") : "";
      if (["invalid_grant", "interaction_required", "consent_required"].includes(code) || /AADSTS65001/.test(description)) {
        throw new AppError("consent_required", "Microsoft 365 needs your consent before Coaching Circles can use your calendar and profile.");
      }
      if (res.status === 400 || res.status === 401) throw new AppError("unauthorized", `The identity service rejected the sign-in for ${what} (${code || res.status}).`);
      throw new AppError("graph_unavailable", `Could not get a Graph token for ${what} from the sandbox (HTTP ${res.status}).`);
    }
    const parsed = TokenResponseSchema.safeParse(json);
    if (!parsed.success) throw new AppError("graph_unavailable", `The sandbox identity service answered ${path} without a token.`);
    return { token: parsed.data.access_token, expiresAt: new Date(now().getTime() + parsed.data.expires_in * 1000) };
  }

  return {
    userToken: (caller) => cache.getOrAcquire(`user:${caller.tenantId}:${caller.userId}`, () => request("/identity/obo", { assertion: caller.assertion }, "the signed-in user")),
    appToken: (tenantId) => cache.getOrAcquire(`app:${tenantId}`, () => request("/identity/app-token", {}, "the app")),
  };
}
