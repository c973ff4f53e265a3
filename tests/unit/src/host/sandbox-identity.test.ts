import { describe, expect, it, vi } from "vitest";
import { HostError } from "../../../../src/host/host-error";
import { createSandboxIdentity } from "../../../../src/host/sandbox-identity";

class MemoryStorage implements Storage {
  private map = new Map<string, string>();
  get length() {
    return this.map.size;
  }
  clear() {
    this.map.clear();
  }
  getItem(key: string) {
    return this.map.get(key) ?? null;
  }
  key(index: number) {
    return [...this.map.keys()][index] ?? null;
  }
  removeItem(key: string) {
    this.map.delete(key);
  }
  setItem(key: string, value: string) {
    this.map.set(key, value);
  }
}

const sandboxUrl = "http://localhost:3001";

function tokenFetch() {
  let n = 0;
  return vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    if (String(input).endsWith("/identity/users")) {
      return Response.json({ value: [{ id: "1", displayName: "Ada", userPrincipalName: "ada@contoso.test" }] });
    }
    const { upn } = JSON.parse(String(init?.body)) as { upn: string };
    if (upn === "gone@contoso.test") return Response.json({ error: "unknown_user" }, { status: 400 });
    n += 1;
    return Response.json({ access_token: `token-${upn}-${n}`, token_type: "Bearer", expires_in: 3600 });
  });
}

describe("sandbox identity (plain browser, sandbox mode)", () => {
  it("needs a demo user before it gives out tokens", async () => {
    const identity = createSandboxIdentity(sandboxUrl, { fetchImpl: tokenFetch(), storage: new MemoryStorage() });
    await expect(identity.getToken()).rejects.toMatchObject({ code: "sign_in_required" });
  });

  it("remembers the picked user in the tab's session storage and asks the sandbox for a token", async () => {
    const storage = new MemoryStorage();
    const fetchImpl = tokenFetch();
    createSandboxIdentity(sandboxUrl, { fetchImpl, storage }).signInAs("ada@contoso.test");
    const again = createSandboxIdentity(sandboxUrl, { fetchImpl, storage });
    expect(again.currentUpn()).toBe("ada@contoso.test");
    await expect(again.getToken()).resolves.toBe("token-ada@contoso.test-1");
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe(`${sandboxUrl}/identity/token`);
    expect(init.method).toBe("POST");
  });

  it("reuses a token until shortly before it expires", async () => {
    let now = 0;
    const identity = createSandboxIdentity(sandboxUrl, { fetchImpl: tokenFetch(), storage: new MemoryStorage(), now: () => now });
    identity.signInAs("ada@contoso.test");
    const first = await identity.getToken();
    now = 30 * 60_000;
    expect(await identity.getToken()).toBe(first);
    now = 3600_000 - 30_000;
    expect(await identity.getToken()).not.toBe(first);
  });

  it("forgets a remembered user the sandbox no longer knows", async () => {
    const identity = createSandboxIdentity(sandboxUrl, { fetchImpl: tokenFetch(), storage: new MemoryStorage() });
    identity.signInAs("gone@contoso.test");
    await expect(identity.getToken()).rejects.toBeInstanceOf(HostError);
    expect(identity.currentUpn()).toBeUndefined();
  });

  it("lists the demo users", async () => {
    const identity = createSandboxIdentity(sandboxUrl, { fetchImpl: tokenFetch(), storage: new MemoryStorage() });
    await expect(identity.listUsers()).resolves.toEqual([{ id: "1", displayName: "Ada", userPrincipalName: "ada@contoso.test" }]);
  });
});
