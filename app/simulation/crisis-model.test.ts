import { describe, expect, it } from "vitest";
import {
  arrivalRate,
  BASELINE_CASES_PER_DAY,
  casesDueBy,
  chooseAction,
  chooseGesture,
  cumulativeArrivals,
  followUpOf,
  generateCase,
  handlingSeconds,
  PEAK_CASES_PER_DAY,
} from "./crisis-model";
import { seededRandom } from "./random";

describe("the crisis day", () => {
  it("starts at the normal 5,000 cases a day and ramps to 50,000", () => {
    expect(arrivalRate(0)).toBeCloseTo(BASELINE_CASES_PER_DAY, -2);
    expect(arrivalRate(1)).toBeCloseTo(PEAK_CASES_PER_DAY, -2);
    for (let f = 0; f < 1; f += 0.05) expect(arrivalRate(f + 0.05)).toBeGreaterThanOrEqual(arrivalRate(f));
  });

  it("spreads a day's cases over the curve: few before the news, most after", () => {
    expect(cumulativeArrivals(0)).toBe(0);
    expect(cumulativeArrivals(1)).toBeCloseTo(1, 5);
    expect(cumulativeArrivals(0.2)).toBeLessThan(0.05);
    expect(casesDueBy(50_000, 1)).toBe(50_000);
    expect(casesDueBy(300, 0.5)).toBeGreaterThan(casesDueBy(300, 0.3));
  });
});

describe("cases", () => {
  it("mixes channels, languages, topics, departures and tiers; the same seed gives the same cases", () => {
    const random = seededRandom(42);
    const now = new Date("2026-03-16T08:00:00Z");
    const cases = Array.from({ length: 2000 }, (_, i) => generateCase(random, "run1", i, now));
    const share = (pick: (c: (typeof cases)[number]) => boolean) => cases.filter(pick).length / cases.length;
    expect(share((c) => c.channelId === "whatsapp")).toBeGreaterThan(0.25);
    expect(new Set(cases.map((c) => c.channelId)).size).toBe(9);
    expect(new Set(cases.map((c) => c.language)).size).toBe(10);
    expect(share((c) => c.topics[0] === "refund-status")).toBeGreaterThan(0.2);
    expect(share((c) => c.loyaltyTier !== "none")).toBeGreaterThan(0.2);
    const soon = share((c) => c.departureAt !== undefined && new Date(c.departureAt).getTime() - now.getTime() < 4 * 3600_000);
    expect(soon).toBeGreaterThan(0.02);
    expect(soon).toBeLessThan(0.12);
    expect(new Set(cases.map((c) => c.idempotencyKey)).size).toBe(2000);
    expect(generateCase(seededRandom(42), "run1", 0, now)).toEqual(cases[0]);
  });

  it("a follow-up is the same customer and booking under a new key", () => {
    const original = generateCase(seededRandom(1), "r", 7, new Date());
    const follow = followUpOf(original, 1);
    expect(follow.customerId).toBe(original.customerId);
    expect(follow.bookingReference).toBe(original.bookingReference);
    expect(follow.idempotencyKey).not.toBe(original.idempotencyKey);
  });
});

describe("people", () => {
  it("experienced agents are faster than new volunteers, and volunteers get faster", () => {
    const median = (person: { experienced: boolean; casesDone: number }) => {
      const random = seededRandom(5);
      const draws = Array.from({ length: 2001 }, () => handlingSeconds(random, person)).sort((a, b) => a - b);
      return draws[1000]!;
    };
    expect(median({ experienced: true, casesDone: 0 })).toBeLessThan(median({ experienced: false, casesDone: 30 }));
    expect(median({ experienced: false, casesDone: 30 })).toBeLessThan(median({ experienced: false, casesDone: 0 }));
  });

  it("volunteers send legal and medical cases up; compensation often gets a gesture; gestures sometimes exceed a volunteer's limit", () => {
    const random = seededRandom(9);
    expect(chooseAction(random, { topics: ["legal"] }, { experienced: false })).toBe("escalate");
    const actions = Array.from({ length: 500 }, () => chooseAction(random, { topics: ["complaint-compensation"] }, { experienced: true }));
    expect(actions.filter((a) => a === "gesture_and_resolve").length).toBeGreaterThan(200);
    const gestures = Array.from({ length: 1000 }, () => chooseGesture(random));
    expect(gestures.some((g) => g.type === "miles" && g.amount > 2000)).toBe(true);
    expect(gestures.filter((g) => g.type === "miles" && g.amount <= 2000).length).toBeGreaterThan(300);
  });
});
