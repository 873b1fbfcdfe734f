// Claims of background job runs in the database (the RecurringJobRun table):
// with several app instances on one database, a job's run is claimed by
// moving its due time one interval forward in a single conditional upsert,
// so exactly one instance wins each interval and the others skip it. A
// killed instance holds nothing: the next due time simply passes and any
// instance claims it.
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { db } from "~/db/db.server";
import type { JobClaim, RecurringJob } from "./recurring-jobs";

/** Who ran a job last (host, pid and a per-process id), shown in the table for operators. */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

/**
 * Timers drift by a few milliseconds; without slack the instance that ran a
 * job last could find it not quite due again and skip a whole interval.
 */
export function claimWindowMs(everyMs: number): number {
  return Math.max(1, Math.floor(everyMs * 0.9));
}

export async function claimJobRun(job: Pick<RecurringJob, "name" | "everyMs">, instance: string = INSTANCE_ID): Promise<boolean> {
  const windowMs = claimWindowMs(job.everyMs);
  // The database clock decides, so instances whose clocks differ still agree.
  const rows = await db.$queryRaw<{ name: string }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at)
    INSERT INTO "RecurringJobRun" (name, "dueAt", "lastRunAt", "lastRunBy", runs)
    SELECT ${job.name}, now.at + make_interval(secs => ${windowMs}::float8 / 1000), now.at, ${instance}, 1 FROM now
    ON CONFLICT (name) DO UPDATE
      SET "dueAt" = EXCLUDED."dueAt", "lastRunAt" = EXCLUDED."lastRunAt", "lastRunBy" = EXCLUDED."lastRunBy",
          runs = "RecurringJobRun".runs + 1
      WHERE "RecurringJobRun"."dueAt" <= EXCLUDED."lastRunAt"
    RETURNING name`;
  return rows.length === 1;
}

export const claimInDatabase: JobClaim = (job) => claimJobRun(job);
