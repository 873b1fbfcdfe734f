import { describe, expect, it } from "vitest";
import { afterFailedAttempt, retryDelayMs } from "./retry-policy";

const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };

describe("retry policy", () => {
  it("doubles the wait after each failure, up to the cap", () => {
    expect([1, 2, 3, 4, 5].map((n) => retryDelayMs(n, policy))).toEqual([1000, 2000, 4000, 5000, 5000]);
  });

  it("stays finite for absurd attempt counts", () => {
    expect(retryDelayMs(10_000, policy)).toBe(5000);
  });

  it("queues the next attempt after the back-off, and fails after the last attempt", () => {
    const now = new Date("2026-12-04T10:00:00Z");
    expect(afterFailedAttempt(2, now, policy)).toEqual({ state: "queued", nextAttemptAt: new Date("2026-12-04T10:00:02Z") });
    expect(afterFailedAttempt(5, now, policy)).toEqual({ state: "failed" });
  });
});
