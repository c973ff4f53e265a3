import { unsafeUniformIntDistribution, mersenne } from "pure-rand";

/** Uniform numbers in [0, 1) from a seed (pure-rand's Mersenne Twister): repeatable demo data and faults. */
export function seededRandom(seed: number): () => number {
  const rng = mersenne(seed | 0);
  return () => unsafeUniformIntDistribution(0, 0xffff_ffff, rng) / 0x1_0000_0000;
}
