// The queue's background upkeep as the server runs it: stale cases swept,
// holding replies sent, due priorities re-scored, without anyone pressing
// a button, and the case table vacuumed when dequeues leave dead rows.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { Prisma } from "@prisma/client";
import { dueForRescore, openCasesSql, rescoreDueCases } from "../app/cases/priority.server";
import { queueUpkeepJobs, startQueueUpkeep, vacuumCaseQueueIfNeeded } from "../app/cases/queue-upkeep.server";
import { getDb } from "../app/db/db.server";
import { seedDemoData } from "../prisma/seed";
import { insertOpenCases, intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const hours = (h: number) => new Date(Date.now() + h * 3_600_000);

async function intake(overrides: Record<string, unknown>): Promise<string> {
  const response = await postIntake(intakeCase(overrides));
  expect(response.status).toBe(201);
  return ((await response.json()) as { caseId: string }).caseId;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error("timed out waiting for the upkeep");
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

describe("queue upkeep", () => {
  it("sweeps stale cases, sends holding replies and re-scores due cases on its own", async () => {
    const departed = await intake({
      departureAt: hours(-2).toISOString(),
      topics: ["check-in"],
    });
    const waiting = await intake({
      language: "nl",
      receivedAt: hours(-3).toISOString(),
      topics: ["voucher"],
    });
    const fresh = await intake({ topics: ["voucher"] });
    // A case whose tier is due for a re-score: its flight now leaves in 2 hours.
    const soon = await intake({
      departureAt: hours(30).toISOString(),
      topics: ["baggage-lost"],
    });
    await db.case.update({
      where: { id: soon },
      data: { departureAt: hours(2), priorityRecheckAt: hours(-0.01) },
    });
    const before = await db.case.findUniqueOrThrow({ where: { id: soon } });

    const upkeep = startQueueUpkeep({ botEveryMs: 200 });
    try {
      await waitFor(async () => (await db.case.findUniqueOrThrow({ where: { id: departed } })).status === "closed");
      await waitFor(
        async () =>
          (await db.caseEvent.count({
            where: { caseId: waiting, type: "holding_reply" },
          })) === 1
      );
      await waitFor(async () => (await db.case.findUniqueOrThrow({ where: { id: soon } })).priorityTier < before.priorityTier);
      // Runs again and again, but a customer gets one holding reply only, and a fresh case none.
      await new Promise((resolve) => setTimeout(resolve, 600));
    } finally {
      await upkeep.stop();
    }
    expect(
      await db.caseEvent.count({
        where: { caseId: waiting, type: "holding_reply" },
      })
    ).toBe(1);
    expect(
      await db.caseEvent.count({
        where: { caseId: fresh, type: "holding_reply" },
      })
    ).toBe(0);
    expect((await db.case.findUniqueOrThrow({ where: { id: departed } })).closeReason).toBe("stale: flight_departed");
    expect(await db.caseEvent.count({ where: { caseId: departed, type: "swept" } })).toBe(1);
  });

  it("vacuums the case table only past the dead-row threshold", async () => {
    expect(await vacuumCaseQueueIfNeeded(Number.MAX_SAFE_INTEGER)).toBe(false);
    expect(await vacuumCaseQueueIfNeeded(0)).toBe(true);
  });

  it("runs re-scoring every second and the bot every minute by default", () => {
    expect(queueUpkeepJobs().map((job) => [job.name, job.everyMs])).toEqual([
      ["re-score due cases", 1000],
      ["vacuum the case queue", 2000],
      ["stale sweep", 60_000],
      ["holding replies", 60_000],
      ["due-time breaches", 15_000],
      ["automatic escalation", 15_000],
      ["free the slots of cases on hold", 15_000],
      ["lapsed presence", 5000],
      ["push time-out", 5000],
      ["ended sessions", 5000],
    ]);
  });
});

describe("re-scoring due cases beside dequeues", () => {
  it("finds the due cases through the index of open cases' recheck times, never by reading the table", async () => {
    // The index is partial (open cases only): a status sent as an enum
    // parameter would not match its condition, and every run would read the
    // whole table. With sequential scans priced out, the plan names the
    // index only if it can be used at all.
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${openCasesSql(dueForRescore(new Date(), 5000))}`);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("Case_status_priorityRecheckAt_idx");
  });

  it("writes in small batches, never waits for a case another transaction holds, and scores it on the next run", async () => {
    const ids = await insertOpenCases(
      db,
      Array.from({ length: 12 }, (_, i) => ({ channelId: "email", language: "de", subject: `Due ${i}`, priorityTier: 8 })),
    );
    // Due now, with a flight leaving in two hours: the model puts them above tier 8.
    await db.case.updateMany({ where: { id: { in: ids } }, data: { departureAt: hours(2), priorityRecheckAt: hours(-0.01) } });
    const [held, ...others] = ids;

    // On PostgreSQL another connection holds one case (as a dequeue does while it hands it out).
    // The embedded database serves one connection at a time, so there the lock part cannot be shown.
    const holder = process.env.TEST_DATABASE_URL ? new pg.Client({ connectionString: process.env.DATABASE_URL }) : null;
    if (holder) {
      await holder.connect();
      await holder.query("BEGIN");
      await holder.query(`SELECT id FROM "Case" WHERE id = $1 FOR UPDATE`, [held]);
    }
    try {
      const started = Date.now();
      const written = await rescoreDueCases(new Date(), { batchSize: 5 });
      expect(Date.now() - started).toBeLessThan(5000);
      expect(written).toBe(holder ? 11 : 12);
      const rescored = await db.case.findMany({ where: { id: { in: others } }, select: { priorityTier: true, priorityRecheckAt: true } });
      expect(rescored.every((row) => row.priorityTier < 8 && (row.priorityRecheckAt === null || row.priorityRecheckAt > new Date()))).toBe(true);
      const skipped = await db.case.findUniqueOrThrow({ where: { id: held } });
      expect(skipped.priorityTier).toBe(holder ? 8 : rescored[0]!.priorityTier);
    } finally {
      if (holder) {
        await holder.query("COMMIT");
        await holder.end();
      }
    }
    // Released, the skipped case is still due and the next run scores it.
    if (holder) {
      expect(await rescoreDueCases(new Date(), { batchSize: 5 })).toBe(1);
      expect((await db.case.findUniqueOrThrow({ where: { id: held } })).priorityTier).toBeLessThan(8);
    }
  });
});
