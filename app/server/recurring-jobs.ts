// Runs background jobs at fixed intervals inside the app process. A job never
// overlaps itself (the next run is scheduled when the last one ends), a
// failing run is logged and retried at the next interval, and stop() waits
// for running jobs so a shutdown does not cut a write in half.
import { logger } from "./logger.server";

export interface RecurringJob {
  name: string;
  everyMs: number;
  run(): Promise<unknown>;
}

export interface RecurringJobs {
  stop(): Promise<void>;
}

export function startRecurringJobs(
  jobs: readonly RecurringJob[],
  log: (message: string, error: unknown) => void = (message, error) => logger.error({ err: error }, message)
): RecurringJobs {
  let stopped = false;
  const timers = new Set<ReturnType<typeof setTimeout>>();
  const running = new Set<Promise<void>>();

  function schedule(job: RecurringJob) {
    if (stopped) return;
    const timer = setTimeout(() => {
      timers.delete(timer);
      const run = job
        .run()
        .then(
          () => undefined,
          (error: unknown) => log(`[surge] background job ${job.name} failed:`, error)
        )
        .finally(() => {
          running.delete(run);
          schedule(job);
        });
      running.add(run);
    }, job.everyMs);
    // Background work never keeps the process alive on its own.
    timer.unref?.();
    timers.add(timer);
  }

  for (const job of jobs) schedule(job);
  return {
    async stop() {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      await Promise.all([...running]);
    },
  };
}
