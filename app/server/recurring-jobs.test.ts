import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { startRecurringJobs } from "./recurring-jobs";

describe("recurring jobs", () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it("runs each job at its own interval", async () => {
    const runs: string[] = [];
    const jobs = startRecurringJobs([
      { name: "fast", everyMs: 100, run: async () => runs.push("fast") },
      { name: "slow", everyMs: 250, run: async () => runs.push("slow") },
    ]);
    await vi.advanceTimersByTimeAsync(520);
    expect(runs.filter((r) => r === "fast")).toHaveLength(5);
    expect(runs.filter((r) => r === "slow")).toHaveLength(2);
    await jobs.stop();
  });

  it("never overlaps a job with itself: the next run waits for the last one to end", async () => {
    let concurrent = 0;
    let most = 0;
    let runs = 0;
    const jobs = startRecurringJobs([
      {
        name: "slow job",
        everyMs: 10,
        run: async () => {
          concurrent++;
          runs++;
          most = Math.max(most, concurrent);
          await new Promise((resolve) => setTimeout(resolve, 50));
          concurrent--;
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(200);
    expect(most).toBe(1);
    expect(runs).toBe(4); // 10 + 50, then every 60 ms
    const stopping = jobs.stop();
    await vi.advanceTimersByTimeAsync(50);
    await stopping;
  });

  it("logs a failing run and keeps the job scheduled", async () => {
    const logged: string[] = [];
    let calls = 0;
    const jobs = startRecurringJobs(
      [
        {
          name: "sweep",
          everyMs: 100,
          run: async () => {
            calls++;
            if (calls === 1) throw new Error("database restarting");
          },
        },
      ],
      (message, error) => logged.push(`${message} ${(error as Error).message}`)
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(calls).toBe(2);
    expect(logged).toEqual(["[surge] background job sweep failed: database restarting"]);
    await jobs.stop();
  });

  it("stop() cancels what is scheduled and waits for what is running", async () => {
    let finished = false;
    let runs = 0;
    const jobs = startRecurringJobs([
      {
        name: "write",
        everyMs: 10,
        run: async () => {
          runs++;
          await new Promise((resolve) => setTimeout(resolve, 30));
          finished = true;
        },
      },
    ]);
    await vi.advanceTimersByTimeAsync(15);
    const stopping = jobs.stop();
    await vi.advanceTimersByTimeAsync(30);
    await stopping;
    expect(finished).toBe(true);
    await vi.advanceTimersByTimeAsync(500);
    expect(runs).toBe(1);
  });
});
