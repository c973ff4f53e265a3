import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";
import { describe, expect, it } from "vitest";
import { ACCENT_RGB, drawColorIcon, drawOutlineIcon } from "../../../scripts/make-icons";

const committed = (name: string): PNG => PNG.sync.read(readFileSync(fileURLToPath(new URL(`../../../appPackage/${name}`, import.meta.url))));

describe("make-icons", () => {
  it("draws the outline icon in pure white on transparent, as Teams requires", () => {
    const png = PNG.sync.read(drawOutlineIcon(32));
    const colours = new Set<string>();
    for (let i = 0; i < png.data.length; i += 4) {
      if (png.data[i + 3]! > 0) colours.add(`${png.data[i]},${png.data[i + 1]},${png.data[i + 2]}`);
    }
    expect([...colours]).toEqual(["255,255,255"]);
  });

  it("draws the colour icon fully opaque, on the manifest's accent colour", () => {
    const png = PNG.sync.read(drawColorIcon(192));
    let translucent = 0;
    for (let i = 3; i < png.data.length; i += 4) if (png.data[i] !== 255) translucent++;
    expect(translucent).toBe(0);
    expect([png.data[0], png.data[1], png.data[2]]).toEqual([...ACCENT_RGB]);
    const manifest = JSON.parse(readFileSync(fileURLToPath(new URL("../../../appPackage/manifest.json", import.meta.url)), "utf8")) as { accentColor: string };
    const hex = `#${ACCENT_RGB.map((c) => c.toString(16).padStart(2, "0")).join("")}`;
    expect(manifest.accentColor.toLowerCase()).toBe(hex);
  });

  it("matches the committed PNGs, so the artwork and the script cannot drift apart", () => {
    const cases: Array<[string, Buffer]> = [
      ["color.png", drawColorIcon(192)],
      ["outline.png", drawOutlineIcon(32)],
      ["assets/icon-16.png", drawColorIcon(16)],
      ["assets/icon-32.png", drawColorIcon(32)],
      ["assets/icon-80.png", drawColorIcon(80)],
    ];
    for (const [name, drawn] of cases) {
      const expected = committed(name);
      const actual = PNG.sync.read(drawn);
      expect([actual.width, actual.height], name).toEqual([expected.width, expected.height]);
      expect(actual.data.equals(expected.data), name).toBe(true);
    }
  });
});
