import type { RandomSource } from "../shared/seeded-random";

export { createSeededRandom, hashString, type RandomSource } from "../shared/seeded-random";

/**
 * A speaking order for a round: everyone exactly once, in random order, except that quieter voices
 * are not left until last. With 3 or more members, the quietest third (by airtime so far, ties
 * broken at random) never lands in the last third of the order; both "thirds" are ⌈n/3⌉ people,
 * which always leaves room (2·⌈n/3⌉ ≤ n for n ≥ 3). When nobody has spoken more than anyone else
 * (no tallies yet) nobody is quieter, and the order is a plain shuffle.
 *
 * Every valid order is equally likely: the quiet members get a random set of the allowed places.
 *
 * @param memberIds who speaks (duplicates ignored)
 * @param opts.airtime seconds spoken so far per member (missing = 0)
 */
export function drawSpeakingOrder(
  memberIds: readonly string[],
  opts: { random: RandomSource; airtime?: Readonly<Record<string, number>> },
): string[] {
  const { random } = opts;
  const airtimeOf = (id: string) => opts.airtime?.[id] ?? 0;
  const shuffled = shuffle([...new Set(memberIds)], random);
  const n = shuffled.length;
  const allEqual = shuffled.every((id) => airtimeOf(id) === airtimeOf(shuffled[0]!));
  if (n < 3 || allEqual) return shuffled;

  const third = Math.ceil(n / 3);
  // A stable sort over a shuffled list breaks airtime ties at random.
  const quiet = new Set([...shuffled].sort((a, b) => airtimeOf(a) - airtimeOf(b)).slice(0, third));
  const quietPlaces = shuffle(range(n - third), random).slice(0, third);
  const quietInOrder = shuffled.filter((id) => quiet.has(id));
  const othersInOrder = shuffled.filter((id) => !quiet.has(id));

  const order = new Array<string | undefined>(n);
  quietPlaces.forEach((place, i) => (order[place] = quietInOrder[i]));
  let next = 0;
  for (let place = 0; place < n; place++) if (order[place] === undefined) order[place] = othersInOrder[next++];
  return order as string[];
}

/**
 * How many members count as "the quietest third", and how many places at the end of the order
 * they never take (see `drawSpeakingOrder`); 0 below 3 members.
 */
export function lastThirdSize(memberCount: number): number {
  return memberCount < 3 ? 0 : Math.ceil(memberCount / 3);
}

/** Fisher–Yates, returning a new array. */
function shuffle<T>(items: readonly T[], random: RandomSource): T[] {
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
