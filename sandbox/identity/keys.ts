import { exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";
import { randomUUID } from "node:crypto";

export interface SigningKey {
  kid: string;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
}

/**
 * One RS256 key pair per sandbox instance, generated at start (like an Entra signing key, but
 * never persisted: tokens from a previous run must stop verifying). Generation is async in jose,
 * so callers await the promise; the sandbox starts it eagerly in createSandbox.
 */
export async function generateSigningKey(): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair("RS256", { extractable: true });
  const kid = randomUUID().replace(/-/g, "").slice(0, 27);
  const jwk = await exportJWK(publicKey);
  return { kid, privateKey, publicKey, publicJwk: { ...jwk, kid, use: "sig", alg: "RS256", kty: "RSA" } };
}
