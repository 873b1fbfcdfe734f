import { describe, expect, it } from "vitest";
import { backtest, forecastArrivals } from "./forecast";

// A fixed daily shape: 10 an hour at night (0-7), 40 in the day (8-19), 20 in the evening.
const shape = (hour: number) => (hour < 8 ? 10 : hour < 20 ? 40 : 20);
const days = (count: number, factor = 1) => Array.from({ length: 24 * count }, (_, i) => shape(i % 24) * factor);

describe("forecast of arrivals", () => {
  it("repeats a stable daily shape exactly", () => {
    // 7 days, ending at 06:00-07:00 of day 8: the next hours are 07 (night) then 08-10 (day).
    const series = [...days(7), ...days(1).slice(0, 7)];
    expect(forecastArrivals(series, 4)).toEqual([10, 40, 40, 40]);
  });

  it("rescales the profile to the recent level, and blends in that level when asked", () => {
    // Same shape, but the last 3 hours arrive at 3 times the profile (a crisis begins).
    const series = [...days(7), ...days(1).slice(0, 4), 30, 30, 30];
    // level 30, profile level 10, ratio 3: hour 07 → 10·3 = 30; hour 08 → 40·3 = 120.
    expect(forecastArrivals(series, 2)).toEqual([30, 120]);
    // Half and half with the level: hour 08 → ½·120 + ½·30 = 75.
    expect(forecastArrivals(series, 2, { seasonDays: 7, levelHours: 3, seasonalWeight: 0.5 })).toEqual([30, 75]);
  });

  it("falls back to the recent level without a previous day, and to zeros without history", () => {
    expect(forecastArrivals([4, 6, 8, 10], 2)).toEqual([8, 8]);
    expect(forecastArrivals([], 3)).toEqual([0, 0, 0]);
  });

  it("measures its error on a past day from the history before each hour", () => {
    const stable = days(9);
    const perfect = backtest(stable, 24 * 8);
    expect(perfect.points).toBe(24 + 23 + 22 + 21);
    expect(perfect.meanAbsoluteError).toBe(0);
    expect(perfect.weightedPercentError).toBe(0);
    // The day doubles from its first hour: the first forecasts still expect the old volume.
    const doubled = [...days(8), ...days(1, 2)];
    const crisis = backtest(doubled, 24 * 8);
    expect(crisis.weightedPercentError!).toBeGreaterThan(perfect.weightedPercentError!);
    expect(backtest(new Array(48).fill(0), 24).weightedPercentError).toBeNull();
  });
});
