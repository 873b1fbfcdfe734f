import { afterEach, describe, expect, it, vi } from "vitest";
import { createRequestBatches } from "./request-batches";

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe("request batches", () => {
  it("serves a lone request at once, alone", async () => {
    const batches: number[][] = [];
    const ask = createRequestBatches<number, number>({
      serve: async (requests) => {
        batches.push(requests);
        return requests.map((r) => r * 10);
      },
      maxBatch: 8,
      maxInFlight: 1,
    });
    expect(await ask(1)).toBe(10);
    expect(await ask(2)).toBe(20);
    expect(batches).toEqual([[1], [2]]);
  });

  it("groups the requests that arrive while a batch is served, up to maxBatch, in arrival order", async () => {
    const gates: ReturnType<typeof deferred<void>>[] = [];
    const batches: number[][] = [];
    const ask = createRequestBatches<number, string>({
      serve: async (requests) => {
        batches.push(requests);
        const gate = deferred<void>();
        gates.push(gate);
        await gate.promise;
        return requests.map((r) => `case-${r}`);
      },
      maxBatch: 3,
      maxInFlight: 1,
    });
    const results = [1, 2, 3, 4, 5, 6].map((n) => ask(n));
    expect(batches).toEqual([[1]]);
    gates[0]!.resolve();
    await results[0];
    await new Promise((r) => setTimeout(r, 0));
    expect(batches).toEqual([[1], [2, 3, 4]]);
    gates[1]!.resolve();
    await results[3];
    await new Promise((r) => setTimeout(r, 0));
    gates[2]!.resolve();
    expect(await Promise.all(results)).toEqual(["case-1", "case-2", "case-3", "case-4", "case-5", "case-6"]);
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it("serves at most maxInFlight batches at the same time", async () => {
    let serving = 0;
    let most = 0;
    const ask = createRequestBatches<number, number>({
      serve: async (requests) => {
        serving++;
        most = Math.max(most, serving);
        await new Promise((r) => setTimeout(r, 5));
        serving--;
        return requests;
      },
      maxBatch: 2,
      maxInFlight: 2,
    });
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => ask(i)));
    expect(results).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(most).toBe(2);
  });

  it("rejects every request of a failed batch and keeps serving the next ones", async () => {
    let calls = 0;
    const ask = createRequestBatches<number, number>({
      serve: async (requests) => {
        calls++;
        if (calls === 1) throw new Error("connection lost");
        return requests;
      },
      maxBatch: 4,
      maxInFlight: 1,
    });
    await expect(ask(1)).rejects.toThrow("connection lost");
    expect(await ask(2)).toBe(2);
  });

  it("rejects a batch whose results do not match its requests", async () => {
    const ask = createRequestBatches<number, number>({
      serve: async () => [],
      maxBatch: 4,
      maxInFlight: 1,
    });
    await expect(ask(1)).rejects.toThrow("A batch of 1 requests got 0 results");
  });

  describe("with a gathering window", () => {
    afterEach(() => {
      vi.useRealTimers();
    });

    /** Batches of at most `maxBatch`, one at a time, gathered for 50 ms; each result is the request plus 100. */
    function gatheringBatches(maxBatch: number) {
      const batches: number[][] = [];
      const ask = createRequestBatches<number, number>({
        serve: async (requests) => {
          batches.push(requests);
          return requests.map((r) => r + 100);
        },
        maxBatch,
        maxInFlight: 1,
        gatherMs: 50,
      });
      return { ask, batches };
    }

    it("holds a lone request for the window so that the requests arriving meanwhile share its batch", async () => {
      vi.useFakeTimers();
      const { ask, batches } = gatheringBatches(10);
      const first = ask(1);
      await vi.advanceTimersByTimeAsync(30);
      expect(batches).toEqual([]);
      const second = ask(2);
      const third = ask(3);
      await vi.advanceTimersByTimeAsync(20);
      expect(batches).toEqual([[1, 2, 3]]);
      expect(await Promise.all([first, second, third])).toEqual([101, 102, 103]);
      // The window starts again with the next lone request.
      const fourth = ask(4);
      await vi.advanceTimersByTimeAsync(49);
      expect(batches).toHaveLength(1);
      await vi.advanceTimersByTimeAsync(1);
      expect(await fourth).toBe(104);
      expect(batches).toEqual([[1, 2, 3], [4]]);
    });

    it("serves a full batch at once, without waiting for the window", async () => {
      vi.useFakeTimers();
      const { ask, batches } = gatheringBatches(3);
      const results = [1, 2, 3].map((n) => ask(n));
      expect(batches).toEqual([[1, 2, 3]]);
      expect(await Promise.all(results)).toEqual([101, 102, 103]);
    });
  });
});
