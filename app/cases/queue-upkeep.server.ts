// The case queue's background upkeep, run by every app instance from
// app/server/start.ts. Each job is safe to run in several instances at once,
// and each run is claimed in the database (app/server/job-claims.server.ts),
// so with N instances a job still runs once per interval, not N times:
// - re-score cases whose time-based priority is due, every second, so "Next
//   case" never waits for it;
// - vacuum the case table when dequeues have left many dead row versions:
//   a taken case leaves a dead entry at the head of the queue index, and
//   every dequeue walks over those until VACUUM removes them; autovacuum
//   wakes up only once a minute by default, too slow for a queue that hands
//   out thousands of cases a minute;
// - the stale sweep and the holding replies, every minute;
// - due-time breaches and freeing the slots of cases on hold too long, every
//   15 seconds, in small batches that skip locked rows;
// - automatic escalation of cases held too long without a reply or past
//   their due time, every 15 seconds (app/escalation/auto-escalation.server.ts);
// - presence and time-outs (presence.server.ts), every 5 seconds: agents
//   whose console went silent go offline, cases not opened in time and those
//   of expired sessions go back to the queue.
import { recordBreaches, releaseHeldSlots } from "~/console/service-levels.server";
import { connectSingleClient, db } from "~/db/db.server";
import { runAutoEscalation } from "~/escalation/auto-escalation.server";
import { escalationSettings } from "~/escalation/escalation-settings.server";
import { claimInDatabase } from "~/server/job-claims.server";
import { startRecurringJobs, type RecurringJob, type RecurringJobs } from "~/server/recurring-jobs";
import { runStaleSweep, sendHoldingReplies } from "./bot.server";
import { lapseSilentAgents, returnCasesOfEndedSessions, returnUnopenedCases } from "./presence.server";
import { rescoreDueCasesLazily } from "./priority.server";

export interface QueueUpkeepOptions {
  /** Dead row versions in "Case" that trigger a VACUUM (default 5,000, or SURGE_VACUUM_AFTER_DEAD_ROWS). */
  vacuumAfterDeadRows?: number;
  /** How often the stale sweep and holding replies run (default a minute). */
  botEveryMs?: number;
}

// SKIP_LOCKED: if another instance is vacuuming it, this one has nothing to
// add. No parallel workers: on a small machine, extra processes scanning the
// indexes take the cores the dequeues run on.
const VACUUM_CASES = `VACUUM (SKIP_LOCKED, PARALLEL 0) "Case"`;

/**
 * VACUUM "Case" when it holds at least `threshold` dead row versions; returns
 * whether it ran. On PostgreSQL it runs on its own connection, throttled
 * (vacuum_cost_delay), so the dequeues running meanwhile keep most of the
 * server's CPU. The embedded database serves one connection and cannot
 * sleep inside VACUUM, so there it runs plainly on the app's connection.
 */
export async function vacuumCaseQueueIfNeeded(threshold: number, options: { costDelayMs?: number } = {}): Promise<boolean> {
  const [stats] = await db.$queryRaw<{ dead: bigint | number | null; embedded: boolean }[]>`
    SELECT (SELECT n_dead_tup FROM pg_stat_user_tables WHERE relid = '"Case"'::regclass) AS dead,
           version() LIKE '%PGlite%' AS embedded`;
  if (Number(stats?.dead ?? 0) < threshold) return false;
  if (stats?.embedded) {
    await db.$executeRawUnsafe(VACUUM_CASES);
    return true;
  }
  const connection = await connectSingleClient();
  try {
    await connection.query(`SET vacuum_cost_delay = ${Math.max(0, Math.min(100, options.costDelayMs ?? 5))}`);
    await connection.query(VACUUM_CASES);
  } finally {
    await connection.end();
  }
  return true;
}

export function queueUpkeepJobs(options: QueueUpkeepOptions = {}): RecurringJob[] {
  const botEveryMs = options.botEveryMs ?? 60_000;
  return [
    { name: "re-score due cases", everyMs: 1000, run: () => rescoreDueCasesLazily(0, 0) },
    {
      name: "vacuum the case queue",
      everyMs: 2000,
      run: () =>
        vacuumCaseQueueIfNeeded(options.vacuumAfterDeadRows ?? Number(process.env.SURGE_VACUUM_AFTER_DEAD_ROWS ?? 5000), {
          costDelayMs: Number(process.env.SURGE_VACUUM_COST_DELAY_MS ?? 5),
        }),
    },
    { name: "stale sweep", everyMs: botEveryMs, run: () => runStaleSweep(new Date(), null) },
    { name: "holding replies", everyMs: botEveryMs, run: () => sendHoldingReplies() },
    { name: "due-time breaches", everyMs: 15_000, run: () => recordBreaches() },
    { name: "automatic escalation", everyMs: 15_000, run: () => runAutoEscalation(escalationSettings) },
    { name: "free the slots of cases on hold", everyMs: 15_000, run: () => releaseHeldSlots() },
    { name: "lapsed presence", everyMs: 5000, run: () => lapseSilentAgents() },
    { name: "push time-out", everyMs: 5000, run: () => returnUnopenedCases() },
    { name: "ended sessions", everyMs: 5000, run: () => returnCasesOfEndedSessions() },
  ];
}

export function startQueueUpkeep(options: QueueUpkeepOptions = {}): RecurringJobs {
  return startRecurringJobs(queueUpkeepJobs(options), undefined, claimInDatabase);
}
