import { z } from "zod";
import { HostError } from "./host-error";

// Plain-browser sandbox mode only: the sandbox (a stand-in for Entra ID) lists demo users and
// issues tokens for them. In a real host the token comes from Teams/Outlook SSO instead.

const demoUserSchema = z.object({
  id: z.string(),
  displayName: z.string(),
  userPrincipalName: z.string(),
  timeZone: z.string().optional(),
  department: z.string().nullable().optional(),
  jobTitle: z.string().nullable().optional(),
});
export type DemoUser = z.infer<typeof demoUserSchema>;

const usersSchema = z.object({ value: z.array(demoUserSchema) });
const tokenSchema = z.object({ access_token: z.string(), expires_in: z.number() });

const storageKey = "coaching-circles.sandbox-upn";
// Renew a little before expiry so a request never leaves with a token that dies in flight.
const renewBeforeMs = 60_000;

export interface SandboxIdentity {
  readonly sandboxUrl: string;
  listUsers(): Promise<DemoUser[]>;
  /** The demo user picked in this browser tab, if any (kept in sessionStorage). */
  currentUpn(): string | undefined;
  signInAs(upn: string): void;
  signOut(): void;
  /** Throws HostError "sign_in_required" until a user is picked. */
  getToken(): Promise<string>;
}

export function createSandboxIdentity(
  sandboxUrl: string,
  deps: { fetchImpl?: typeof fetch; storage?: Storage; now?: () => number } = {},
): SandboxIdentity {
  const doFetch = (input: string, init?: RequestInit) => (deps.fetchImpl ?? globalThis.fetch)(input, init);
  const storage = deps.storage ?? globalThis.sessionStorage;
  const now = deps.now ?? Date.now;
  let cached: { upn: string; token: string; expiresAt: number } | undefined;

  const unreachable = (cause: unknown) =>
    new HostError("token_failed", "The sandbox sign-in service isn't answering. Check that `npm start` is running, then reload.", {
      cause,
    });

  return {
    sandboxUrl,
    async listUsers() {
      const response = await doFetch(`${sandboxUrl}/identity/users`).catch((cause: unknown) => {
        throw unreachable(cause);
      });
      if (!response.ok) throw unreachable(new Error(`GET /identity/users → ${response.status}`));
      return usersSchema.parse(await response.json()).value;
    },
    currentUpn: () => storage.getItem(storageKey) ?? undefined,
    signInAs(upn) {
      storage.setItem(storageKey, upn);
      cached = undefined;
    },
    signOut() {
      storage.removeItem(storageKey);
      cached = undefined;
    },
    async getToken() {
      const upn = storage.getItem(storageKey);
      if (!upn) throw new HostError("sign_in_required", "Pick a demo user to sign in.");
      if (cached && cached.upn === upn && cached.expiresAt - renewBeforeMs > now()) return cached.token;
      const response = await doFetch(`${sandboxUrl}/identity/token`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ upn }),
      }).catch((cause: unknown) => {
        throw unreachable(cause);
      });
      if (!response.ok) {
        // The remembered user may no longer exist (the sandbox was reseeded): ask again.
        storage.removeItem(storageKey);
        throw new HostError("sign_in_required", "That demo user can't sign in any more. Pick another one.");
      }
      const body = tokenSchema.parse(await response.json());
      cached = { upn, token: body.access_token, expiresAt: now() + body.expires_in * 1000 };
      return body.access_token;
    },
  };
}
