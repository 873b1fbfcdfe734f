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

  it("with a claim, two instances share each interval: the job runs once per interval, not once per instance", async () => {
    // The claim the database gives (job-claims.server.ts), kept in memory: due one interval after the last run.
    const dueAt = new Map<string, number>();
    const claim = async (job: { name: string; everyMs: number }) => {
      if ((dueAt.get(job.name) ?? 0) > Date.now()) return false;
      dueAt.set(job.name, Date.now() + job.everyMs * 0.9);
      return true;
    };
    const ranBy: string[] = [];
    const instance = (name: string) => startRecurringJobs([{ name: "sweep", everyMs: 100, run: async () => ranBy.push(name) }], undefined, claim);
    const a = instance("a");
    await vi.advanceTimersByTimeAsync(50);
    const b = instance("b");
    await vi.advanceTimersByTimeAsync(1000);
    // 10 intervals in a's life, 10 in b's: without the claim that would be 20 runs.
    expect(ranBy.length).toBeGreaterThanOrEqual(9);
    expect(ranBy.length).toBeLessThanOrEqual(11);
    // a stops (killed): b takes over at the next due time.
    await a.stop();
    const before = ranBy.length;
    await vi.advanceTimersByTimeAsync(500);
    expect(ranBy.slice(before)).toEqual(["b", "b", "b", "b", "b"]);
    await b.stop();
  });

  it("a failing claim is logged like a failed run and tried again next interval", async () => {
    const logged: string[] = [];
    let runs = 0;
    let calls = 0;
    const jobs = startRecurringJobs(
      [{ name: "rescore", everyMs: 100, run: async () => runs++ }],
      (message) => logged.push(message),
      async () => {
        calls++;
        if (calls === 1) throw new Error("connection terminated");
        return true;
      },
    );
    await vi.advanceTimersByTimeAsync(250);
    expect(logged).toEqual(["[surge] background job rescore failed:"]);
    expect(runs).toBe(1);
    await jobs.stop();
  });
});
