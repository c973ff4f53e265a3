import { unsafeUniformIntDistribution, mersenne } from "pure-rand";

/** A source of uniform numbers in [0, 1), injectable so orders are reproducible in tests and replays. */
export type RandomSource = () => number;

/**
 * A seeded generator (pure-rand's Mersenne Twister): the same seed always gives the same sequence on
 * every platform. Strings are hashed first (FNV-1a), so e.g. a session id plus a version is a seed.
 */
export function createSeededRandom(seed: number | string): RandomSource {
  const rng = mersenne(typeof seed === "number" ? seed | 0 : hashString(seed) | 0);
  return () => unsafeUniformIntDistribution(0, 0xffff_ffff, rng) / 0x1_0000_0000;
}

/** FNV-1a, 32 bits. */
export function hashString(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
