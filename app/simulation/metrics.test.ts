import { describe, expect, it } from "vitest";
import { Metrics, percentile, summarise } from "./metrics";

describe("latency percentiles", () => {
  it("nearest rank: p50 of 1..100 is 50, p99 is 99, p100 the maximum", () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(percentile(values, 50)).toBe(50);
    expect(percentile(values, 99)).toBe(99);
    expect(percentile(values, 100)).toBe(100);
    expect(summarise([5, 1, 3])).toEqual({ count: 3, p50: 3, p90: 5, p99: 5, max: 5 });
    expect(summarise([])).toEqual({ count: 0, p50: 0, p90: 0, p99: 0, max: 0 });
  });
});

describe("errors and faults", () => {
  it("counts errors during a fault against that fault, and the others as errors that must not happen", () => {
    const metrics = new Metrics();
    metrics.error("POST /cases/next", "ECONNRESET");
    const fault = metrics.beginFault("kill", "SIGKILL instance 1");
    metrics.error("POST /cases/next", "ECONNREFUSED");
    metrics.error("GET /cases/:id", "502");
    metrics.endFault(fault);
    expect(fault.errors).toBe(2);
    expect(fault.recoveredAt).not.toBeNull();
    expect(metrics.errorsWithoutFault()).toBe(1);
    expect(metrics.errors.map((e) => e.fault)).toEqual([null, "kill", "kill"]);
  });
});
