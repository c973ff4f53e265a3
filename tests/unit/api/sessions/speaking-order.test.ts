import { describe, expect, it } from "vitest";
import { createSeededRandom, drawSpeakingOrder, lastThirdSize } from "../../../../api/sessions/speaking-order";

const SIX = ["ana", "ben", "chloe", "dev", "eli", "fay"];

describe("createSeededRandom", () => {
  it("repeats the same sequence for the same seed and differs for another", () => {
    const a = createSeededRandom(42);
    const b = createSeededRandom(42);
    const first = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(first);
    const c = createSeededRandom(43);
    expect([c(), c(), c()]).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("accepts a string seed such as a session id", () => {
    expect(createSeededRandom("session-1")()).toBe(createSeededRandom("session-1")());
  });
});

describe("drawSpeakingOrder", () => {
  it("includes everyone exactly once", () => {
    for (let seed = 0; seed < 50; seed++) {
      const order = drawSpeakingOrder([...SIX, "ana"], { random: createSeededRandom(seed) });
      expect([...order].sort()).toEqual([...SIX].sort());
    }
  });

  it("gives the same order for the same seed, and varies across seeds", () => {
    const once = drawSpeakingOrder(SIX, { random: createSeededRandom(7) });
    expect(drawSpeakingOrder(SIX, { random: createSeededRandom(7) })).toEqual(once);
    const orders = new Set(Array.from({ length: 20 }, (_, seed) => drawSpeakingOrder(SIX, { random: createSeededRandom(seed) }).join()));
    expect(orders.size).toBeGreaterThan(10);
  });

  it("never puts the quietest third in the last third of the order", () => {
    // eli and fay spoke least; with 6 people the last 2 places are off limits for them.
    const airtime = { ana: 300, ben: 240, chloe: 200, dev: 180, eli: 20, fay: 0 };
    const firstPlaces = new Set<number>();
    for (let seed = 0; seed < 200; seed++) {
      const order = drawSpeakingOrder(SIX, { random: createSeededRandom(seed), airtime });
      expect(order.slice(-2)).not.toContain("eli");
      expect(order.slice(-2)).not.toContain("fay");
      firstPlaces.add(order.indexOf("fay"));
    }
    // Still random within the allowed places.
    expect([...firstPlaces].sort()).toEqual([0, 1, 2, 3]);
  });

  it("treats members without a tally as silent so far", () => {
    const airtime = { ana: 120, ben: 90, chloe: 60, dev: 30 }; // eli and fay have no tally
    for (let seed = 0; seed < 100; seed++) {
      const order = drawSpeakingOrder(SIX, { random: createSeededRandom(seed), airtime });
      expect(order.slice(-2).some((id) => id === "eli" || id === "fay")).toBe(false);
    }
  });

  it("protects the single quietest voice in a circle of three", () => {
    expect(lastThirdSize(3)).toBe(1);
    for (let seed = 0; seed < 100; seed++) {
      const order = drawSpeakingOrder(["a", "b", "c"], { random: createSeededRandom(seed), airtime: { a: 100, b: 50, c: 5 } });
      expect(order[2]).not.toBe("c");
    }
  });

  it("lets anyone be last when nobody has spoken more than anyone else", () => {
    const last = new Set(Array.from({ length: 100 }, (_, seed) => drawSpeakingOrder(SIX, { random: createSeededRandom(seed), airtime: {} }).at(-1)));
    expect(last.size).toBe(6);
  });

  it("just shuffles a pair", () => {
    const orders = new Set(Array.from({ length: 30 }, (_, seed) => drawSpeakingOrder(["a", "b"], { random: createSeededRandom(seed), airtime: { a: 100 } }).join()));
    expect(orders).toEqual(new Set(["a,b", "b,a"]));
    expect(lastThirdSize(2)).toBe(0);
  });
});
