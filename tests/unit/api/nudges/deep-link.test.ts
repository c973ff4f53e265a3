import { describe, expect, it } from "vitest";
import { circleSubPageId, nudgeWebUrl, PERSONAL_TAB_ENTITY_ID } from "../../../../api/nudges/deep-link";
import manifest from "../../../../appPackage/manifest.json";

const APP_ID = "5f0c4d8e-2b1a-4c3d-9e8f-7a6b5c4d3e2f";

describe("nudge deep links", () => {
  it("opens the personal tab the manifest declares", () => {
    expect(manifest.staticTabs.map((t) => t.entityId)).toContain(PERSONAL_TAB_ENTITY_ID);
    expect(nudgeWebUrl({ teamsAppId: APP_ID, appUrl: "https://app.example" })).toBe(`https://teams.microsoft.com/l/entity/${APP_ID}/circles`);
  });

  it("names the circle as the sub-entity, as URL-encoded JSON that reads back exactly", () => {
    const circleId = "c1 & \"odd\"/id?#";
    const link = nudgeWebUrl({ teamsAppId: APP_ID, appUrl: "https://app.example" }, circleId);
    const url = new URL(link);
    expect(`${url.origin}${url.pathname}`).toBe(`https://teams.microsoft.com/l/entity/${APP_ID}/circles`);
    // One query parameter, nothing leaking out of it (the id's & ? # " are encoded inside).
    expect([...url.searchParams.keys()]).toEqual(["context"]);
    expect(url.hash).toBe("");
    expect(link).not.toMatch(/[{}"\s]/);
    expect(JSON.parse(url.searchParams.get("context")!)).toEqual({ subEntityId: circleSubPageId(circleId) });
    expect(JSON.parse(decodeURIComponent(link.split("?context=")[1]!))).toEqual({ subEntityId: `circle:${circleId}` });
  });

  it("encodes the app id into the path", () => {
    const url = new URL(nudgeWebUrl({ teamsAppId: "a/b", appUrl: "https://app.example" }, "x"));
    expect(url.pathname).toBe("/l/entity/a%2Fb/circles");
  });

  it("falls back to the web tab when no Teams app id is configured", () => {
    expect(nudgeWebUrl({ teamsAppId: undefined, appUrl: "https://app.example/" }, "c1")).toBe("https://app.example/tab");
    expect(nudgeWebUrl({ teamsAppId: "", appUrl: "https://app.example" })).toBe("https://app.example/tab");
  });
});
