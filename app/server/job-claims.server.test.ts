// Claims of background job runs on the real database: of many instances
// asking at the same moment, exactly one runs the job; the next interval is
// claimable again, by any instance.
import { describe, expect, it } from "vitest";
import { db } from "~/db/db.server";
import { claimJobRun } from "./job-claims.server";

describe("job run claims", () => {
  it("one claim per interval wins, whichever instances ask and however many at once", async () => {
    // A long interval, so a slow machine cannot reach the next one during the test.
    const job = { name: "test: stale sweep", everyMs: 60_000 };
    const first = await Promise.all(Array.from({ length: 8 }, (_, i) => claimJobRun(job, `instance-${i % 2}`)));
    expect(first.filter(Boolean)).toHaveLength(1);
    // Within the interval nobody else runs it, not even the instance that ran it.
    expect(await claimJobRun(job, "instance-0")).toBe(false);
    expect(await claimJobRun(job, "instance-1")).toBe(false);
    let row = await db.recurringJobRun.findUniqueOrThrow({ where: { name: job.name } });
    expect(row.dueAt.getTime() - row.lastRunAt.getTime()).toBe(54_000);
    // The interval passes (its due time moved into the past): the next run is claimed once again.
    await db.recurringJobRun.update({ where: { name: job.name }, data: { dueAt: new Date(Date.now() - 1000) } });
    const second = await Promise.all([claimJobRun(job, "instance-1"), claimJobRun(job, "instance-0")]);
    expect(second.filter(Boolean)).toHaveLength(1);
    row = await db.recurringJobRun.findUniqueOrThrow({ where: { name: job.name } });
    expect(row.lastRunBy).toBe(second[0] ? "instance-1" : "instance-0");
    expect(row.runs).toBe(2);
  });
});
