import { describe, expect, it, vi } from "vitest";
import { createApiClient } from "../../../../src/lib/api-client";
import { ApiError } from "../../../../src/lib/api-error";

function respond(status: number, body: unknown) {
  return vi.fn(async () => new Response(typeof body === "string" ? body : JSON.stringify(body), { status }));
}

const me = { id: "u1", displayName: "Ada", userPrincipalName: "ada@contoso.test", mail: null, jobTitle: null, department: null, timeZone: "Europe/London" };

describe("API client", () => {
  it("sends the host's token as a bearer token and parses the answer", async () => {
    const fetchImpl = respond(200, me);
    const client = createApiClient({ getToken: async () => "sso-token", fetchImpl });
    await expect(client.getMe()).resolves.toMatchObject({ displayName: "Ada", timeZone: "Europe/London" });
    const [url, init] = fetchImpl.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe("/api/me");
    expect(new Headers(init.headers).get("Authorization")).toBe("Bearer sso-token");
  });

  it("turns the API's error envelope into an ApiError with code, status and message", async () => {
    const client = createApiClient({
      getToken: async () => "t",
      fetchImpl: respond(403, { error: { code: "consent_required", message: "Ask your admin to approve Coaching Circles." } }),
    });
    const failure = client.listCircles();
    await expect(failure).rejects.toBeInstanceOf(ApiError);
    await expect(failure).rejects.toMatchObject({ code: "consent_required", status: 403, message: "Ask your admin to approve Coaching Circles." });
  });

  it("says what to do when an error arrives without our envelope", async () => {
    const client = createApiClient({ getToken: async () => "t", fetchImpl: respond(502, "<html>Bad gateway</html>") });
    await expect(client.getMe()).rejects.toMatchObject({ code: "http_502", status: 502, message: expect.stringMatching(/Try again/) });
  });

  it("reports an unreachable API as a network error with status 0", async () => {
    const fetchImpl = vi.fn(async () => {
      throw new TypeError("fetch failed");
    });
    const client = createApiClient({ getToken: async () => "t", fetchImpl });
    await expect(client.getMe()).rejects.toMatchObject({ code: "network_error", status: 0, message: expect.stringMatching(/connection/) });
  });

  it("rejects an answer that does not match the contract instead of passing undefined on", async () => {
    const client = createApiClient({ getToken: async () => "t", fetchImpl: respond(200, { circles: [{ id: 1 }] }) });
    await expect(client.listCircles()).rejects.toMatchObject({ code: "unexpected_response" });
  });

  it("reads health without a token", async () => {
    const getToken = vi.fn(async () => "t");
    const fetchImpl = respond(200, { status: "ok", mode: "sandbox", storage: "sqlite", sandboxUrl: "http://localhost:3001" });
    const client = createApiClient({ getToken, fetchImpl });
    await expect(client.getHealth()).resolves.toMatchObject({ sandboxUrl: "http://localhost:3001" });
    expect(getToken).not.toHaveBeenCalled();
  });

  it("does not call the API when no token can be had", async () => {
    const fetchImpl = respond(200, me);
    const client = createApiClient({ getToken: () => Promise.reject(new Error("sign in first")), fetchImpl });
    await expect(client.getMe()).rejects.toThrow("sign in first");
    expect(fetchImpl).not.toHaveBeenCalled();
  });
});
