import { describe, expect, it } from "vitest";
import { seededRandom } from "./random";

describe("seeded random", () => {
  it("replays the same sequence for the same seed, another for another seed", () => {
    const a = seededRandom(7);
    const b = seededRandom(7);
    const c = seededRandom(8);
    const first = Array.from({ length: 5 }, () => a.next());
    expect(Array.from({ length: 5 }, () => b.next())).toEqual(first);
    expect(Array.from({ length: 5 }, () => c.next())).not.toEqual(first);
    expect(first.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("draws weighted choices in proportion to their weights", () => {
    const random = seededRandom(1);
    const counts = { a: 0, b: 0, c: 0 };
    for (let i = 0; i < 20_000; i++) counts[random.weighted({ a: 6, b: 3, c: 1 })]++;
    expect(counts.a / 20_000).toBeCloseTo(0.6, 1);
    expect(counts.b / 20_000).toBeCloseTo(0.3, 1);
    expect(counts.c / 20_000).toBeCloseTo(0.1, 1);
  });

  it("log-normal draws have the given median; exponential draws the given mean", () => {
    const random = seededRandom(3);
    const draws = Array.from({ length: 20_001 }, () => random.logNormal(240, 0.5)).sort((x, y) => x - y);
    expect(draws[10_000]! / 240).toBeGreaterThan(0.95);
    expect(draws[10_000]! / 240).toBeLessThan(1.05);
    const gaps = Array.from({ length: 20_000 }, () => random.exponential(2));
    expect(gaps.reduce((s, g) => s + g, 0) / gaps.length).toBeCloseTo(2, 1);
  });
});
