import express from "express";
import request from "supertest";
import { describe, expect, it } from "vitest";
import { createHostRoutes } from "../../../../sandbox/host/routes";

function app() {
  const server = express();
  server.use("/", createHostRoutes({ appUrl: "http://localhost:3000/", sandboxUrl: "http://localhost:3001" }));
  return server;
}

describe("sandbox host page routes", () => {
  it.each(["/", "/host"])("serves the Teams host page at %s with the app and sandbox URLs", async (path) => {
    const res = await request(app()).get(path).expect(200);
    expect(res.headers["content-type"]).toContain("text/html");
    expect(res.text).toContain("Microsoft Teams");
    const config = JSON.parse(/<script type="application\/json" id="host-config">(.*?)<\/script>/s.exec(res.text)?.[1] ?? "null");
    expect(config).toMatchObject({ appUrl: "http://localhost:3000", sandboxUrl: "http://localhost:3001" });
    // Only the app may be framed by the host page.
    expect(res.headers["content-security-policy"]).toContain("frame-src http://localhost:3000");
  });

  it("serves the page's script, bundled from TypeScript", async () => {
    const res = await request(app()).get("/host/client.js").expect(200);
    expect(res.headers["content-type"]).toContain("javascript");
    expect(res.text).toContain("sandboxHost");
    expect(res.text).not.toMatch(/^\s*import\s/m); // a self-contained bundle
  }, 20_000);
});
