import { afterEach, describe, expect, it, vi } from "vitest";
import { sharedRead } from "./shared-read";

afterEach(() => {
  vi.useRealTimers();
});

describe("a shared read", () => {
  it("serves every caller from one read while it is fresh, and reads again once stale or forgotten", async () => {
    vi.useFakeTimers();
    const cache = sharedRead<{ n: number }>(3000);
    let reads = 0;
    const read = async () => ({ n: ++reads });
    const first = await Promise.all(Array.from({ length: 5 }, () => cache.get(read)));
    expect(reads).toBe(1);
    expect(new Set(first).size).toBe(1);
    vi.advanceTimersByTime(2999);
    expect(await cache.get(read)).toBe(first[0]);
    vi.advanceTimersByTime(1);
    expect(await cache.get(read)).toEqual({ n: 2 });
    cache.forget();
    expect(await cache.get(read)).toEqual({ n: 3 });
  });

  it("does not keep a failed read", async () => {
    const cache = sharedRead<number>(3000);
    await expect(cache.get(() => Promise.reject(new Error("database down")))).rejects.toThrow("database down");
    expect(await cache.get(async () => 7)).toBe(7);
  });
});
