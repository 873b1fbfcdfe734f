// Short-term forecast of arrivals per channel and language, from hourly
// history (the capacity rollup). Method, in words: the seasonal profile of
// an hour is the mean of the same clock hour on the previous days (up to a
// week, a moving average of seasonal naive forecasts); that profile is
// rescaled to the recent level (the last 3 hours against the profile of
// those same hours), so a crisis that multiplies the volume is followed
// within hours while the daily shape is kept. `seasonalWeight` below 1
// blends in the flat recent level (steadier on small, noisy cells). Without
// a previous day the forecast is the recent level. See docs/capacity.md.

export interface ForecastOptions {
  /** Previous days whose same hour forms the seasonal profile. */
  seasonDays: number;
  /** Hours of the recent level. */
  levelHours: number;
  /** Weight of the rescaled seasonal profile (the rest goes to the recent level). */
  seasonalWeight: number;
}

export const FORECAST_OPTIONS: ForecastOptions = { seasonDays: 7, levelHours: 3, seasonalWeight: 1 };

const mean = (values: number[]) => (values.length ? values.reduce((a, b) => a + b, 0) / values.length : 0);

/** Mean of the same hour on up to `days` previous days (null when none is in the series). */
function seasonal(series: readonly number[], index: number, days: number): number | null {
  const samples: number[] = [];
  for (let k = 1; k <= days; k++) {
    const i = index - 24 * k;
    if (i >= 0 && i < series.length) samples.push(series[i]!);
  }
  return samples.length ? mean(samples) : null;
}

/**
 * Arrivals for the `horizon` hours after the series, which holds complete
 * hours, oldest first (the last element is the last complete hour).
 */
export function forecastArrivals(series: readonly number[], horizon = 4, options: ForecastOptions = FORECAST_OPTIONS): number[] {
  const n = series.length;
  if (n === 0) return Array.from({ length: horizon }, () => 0);
  const recent = series.slice(Math.max(0, n - options.levelHours));
  const level = mean([...recent]);
  const recentProfile = recent.map((_, j) => seasonal(series, n - recent.length + j, options.seasonDays));
  const profileLevel = recentProfile.every((v) => v !== null) ? mean(recentProfile as number[]) : null;
  const result: number[] = [];
  for (let h = 1; h <= horizon; h++) {
    const profile = seasonal(series, n - 1 + h, options.seasonDays);
    if (profile === null || profileLevel === null || profileLevel <= 0) {
      result.push(level);
      continue;
    }
    const scaled = profile * (level / profileLevel);
    result.push(options.seasonalWeight * scaled + (1 - options.seasonalWeight) * level);
  }
  return result;
}

export interface ForecastError {
  /** Mean absolute error, cases per hour. */
  meanAbsoluteError: number;
  /** Sum of absolute errors over the sum of actual arrivals (null when nothing arrived). */
  weightedPercentError: number | null;
  /** Forecasts compared. */
  points: number;
}

/**
 * The method's error on one past day: from each hour of the day, forecast
 * the next `horizon` hours with only the history before it, and compare with
 * what arrived. `dayStart` is the index in `series` of the day's first hour.
 */
export function backtest(series: readonly number[], dayStart: number, horizon = 4, options: ForecastOptions = FORECAST_OPTIONS): ForecastError {
  let absolute = 0;
  let actual = 0;
  let points = 0;
  for (let origin = dayStart; origin < dayStart + 24; origin++) {
    if (origin < 1) continue;
    const forecast = forecastArrivals(series.slice(0, origin), horizon, options);
    for (let h = 0; h < horizon; h++) {
      const index = origin + h;
      if (index >= series.length || index >= dayStart + 24) break;
      absolute += Math.abs(forecast[h]! - series[index]!);
      actual += series[index]!;
      points += 1;
    }
  }
  return { meanAbsoluteError: points ? absolute / points : 0, weightedPercentError: actual > 0 ? absolute / actual : null, points };
}
