/**
 * Draws the app icons with pngjs so they are reproducible from code: `tsx scripts/make-icons.ts`.
 * The PNGs are committed; run this again only when the artwork changes.
 *
 * - appPackage/color.png   192×192, full colour (Teams: "full color PNG icon, size 192x192")
 * - appPackage/outline.png 32×32, white on transparent (Teams: "transparent PNG outline icon,
 *   the border color needs to be white")
 * - appPackage/assets/icon-{16,32,80}.png, the Outlook ribbon button. The unified manifest takes
 *   these as absolute URLs (`extensionCommonIcon.url`), so the web app must serve them at
 *   `${TAB_ENDPOINT}/assets/icon-<size>.png`.
 *
 * The motif: five people (dots) sitting in a ring, a circle of peers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PNG } from "pngjs";

/** The manifest's accentColor; keep the two in step. */
export const ACCENT_RGB: readonly [number, number, number] = [0x2f, 0x6f, 0x73];

type Rgb = readonly [number, number, number];

interface Disc {
  cx: number;
  cy: number;
  r: number;
}

interface Ring {
  cx: number;
  cy: number;
  inner: number;
  outer: number;
}

/** Positions of the motif in a unit square (0..1), scaled per icon size. */
function motif(size: number, scale: number): { dots: Disc[]; ring: Ring } {
  const c = size / 2;
  const ringRadius = size * 0.3 * scale;
  const dotRadius = size * 0.095 * scale;
  const dots: Disc[] = [];
  for (let i = 0; i < 5; i++) {
    // Start at the top and go round, so the icon reads upright.
    const angle = -Math.PI / 2 + (i * 2 * Math.PI) / 5;
    dots.push({ cx: c + ringRadius * Math.cos(angle), cy: c + ringRadius * Math.sin(angle), r: dotRadius });
  }
  const ringWidth = Math.max(size * 0.035 * scale, 1);
  return { dots, ring: { cx: c, cy: c, inner: ringRadius - ringWidth / 2, outer: ringRadius + ringWidth / 2 } };
}

function insideMotif(x: number, y: number, shape: { dots: Disc[]; ring: Ring }): boolean {
  for (const d of shape.dots) {
    if ((x - d.cx) ** 2 + (y - d.cy) ** 2 <= d.r ** 2) return true;
  }
  const dist = Math.hypot(x - shape.ring.cx, y - shape.ring.cy);
  return dist >= shape.ring.inner && dist <= shape.ring.outer;
}

/** Fraction of a pixel covered by the motif, by 4×4 supersampling (cheap anti-aliasing). */
function coverage(px: number, py: number, shape: { dots: Disc[]; ring: Ring }): number {
  const n = 4;
  let hits = 0;
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      if (insideMotif(px + (i + 0.5) / n, py + (j + 0.5) / n, shape)) hits++;
    }
  }
  return hits / (n * n);
}

function writePixel(png: PNG, x: number, y: number, rgb: Rgb, alpha: number): void {
  const idx = (png.width * y + x) << 2;
  png.data[idx] = rgb[0];
  png.data[idx + 1] = rgb[1];
  png.data[idx + 2] = rgb[2];
  png.data[idx + 3] = Math.round(alpha * 255);
}

function blend(from: Rgb, to: Rgb, t: number): Rgb {
  const mix = (a: number, b: number): number => Math.round(a * (1 - t) + b * t);
  return [mix(from[0], to[0]), mix(from[1], to[1]), mix(from[2], to[2])];
}

/** White motif on the accent colour, full bleed (Teams rounds the corners itself). */
export function drawColorIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  const shape = motif(size, 1);
  const white: Rgb = [255, 255, 255];
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const a = coverage(x, y, shape);
      writePixel(png, x, y, blend(ACCENT_RGB, white, a), 1);
    }
  }
  return PNG.sync.write(png);
}

/** White motif on transparent: every pixel is pure white, only alpha varies. */
export function drawOutlineIcon(size: number): Buffer {
  const png = new PNG({ width: size, height: size });
  // Slightly larger at 32 px so the dots stay legible in the Teams app bar.
  const shape = motif(size, 1.12);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      writePixel(png, x, y, [255, 255, 255], coverage(x, y, shape));
    }
  }
  return PNG.sync.write(png);
}

export function writeIcons(appPackageDir: string): string[] {
  const files: Array<[string, Buffer]> = [
    ["color.png", drawColorIcon(192)],
    ["outline.png", drawOutlineIcon(32)],
    ["assets/icon-16.png", drawColorIcon(16)],
    ["assets/icon-32.png", drawColorIcon(32)],
    ["assets/icon-80.png", drawColorIcon(80)],
  ];
  const written: string[] = [];
  for (const [name, data] of files) {
    const target = join(appPackageDir, name);
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
    written.push(target);
  }
  return written;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const appPackageDir = join(dirname(fileURLToPath(import.meta.url)), "..", "appPackage");
  for (const file of writeIcons(appPackageDir)) console.log(`wrote ${file}`);
}
