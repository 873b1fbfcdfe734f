// A commit of an enrolment import whose app instance dies is taken over by
// another instance within seconds (the dead one's lease lapses), finishes
// without duplicates, and reports the rows the cut attempt enrolled as
// created. On PostgreSQL the dying instance is a real process killed with
// SIGKILL; on both databases, a commit abandoned mid-way in this process.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import {
  CommitAbandoned,
  findImport,
  importState,
  previewImport,
  runDryRunStep,
  startCommit,
  storeUpload,
  takeOverStalledCommits,
} from "../app/enrolment/enrolment-import.server";
import { seedDemoData } from "../prisma/seed";
import { root } from "./support/databases";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const ROWS = 120;
let plannerId: string;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  plannerId = (await db.user.findUniqueOrThrow({ where: { email: "planner@surge.test" } })).id;
  process.env.SURGE_IMPORT_LEASE_MS = "1000";
});

function csv(prefix: string): string {
  const lines = ["Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes"];
  for (let i = 0; i < ROWS; i++)
    lines.push(`Person ${i},${prefix}.${i}@airline.example,${prefix.toUpperCase()}${100000 + i},Cabin crew,AMS,en:fluent,whatsapp,Europe/Amsterdam,Any,2024-03-16,2024-05-31,`);
  return lines.join("\n") + "\n";
}

async function checkedImport(prefix: string): Promise<string> {
  const upload = await storeUpload(plannerId, `${prefix}.csv`, Buffer.from(csv(prefix)));
  if (!upload.ok) throw new Error(upload.problem.message);
  const preview = await previewImport(upload.importId);
  if (!preview.ok) throw new Error(preview.problem.message);
  const step = await runDryRunStep(upload.importId, [...preview.mapping]);
  if (!step.ok) throw new Error(step.problem.message);
  return upload.importId;
}

const enrolled = (prefix: string) => db.user.count({ where: { email: { startsWith: `${prefix}.` } } });

/** Asks for stalled commits the way every instance's job does, until this one is taken over. */
async function takenOver(importId: string): Promise<{ afterMs: number; job: Promise<void> }> {
  const began = Date.now();
  for (;;) {
    const found = (await takeOverStalledCommits({ batchSize: 20 })).find((t) => t.importId === importId);
    if (found) return { afterMs: Date.now() - began, job: found.job };
    if (Date.now() - began > 10_000) throw new Error("not taken over within 10 s");
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function expectFinishedWithEveryRowCreated(importId: string, prefix: string) {
  const row = await findImport(importId);
  expect(row?.status).toBe("committed");
  expect(importState(row!).result).toMatchObject({ created: ROWS, unchanged: 0, updated: 0 });
  expect(await enrolled(prefix)).toBe(ROWS);
}

describe("a commit cut off by a stopped instance", () => {
  it("is taken over within seconds once the lease lapses, and counts the cut attempt's rows as created", async () => {
    const importId = await checkedImport("abandoned");
    const { job } = await startCommit(importId, "valid_only", plannerId, {
      batchSize: 20,
      afterBatch: (processed) => {
        if (processed >= 40) throw new CommitAbandoned("the instance stopped");
      },
    });
    await job;
    expect(await enrolled("abandoned")).toBe(40);
    // While the lease runs, "commit again" does not start a second commit.
    expect((await startCommit(importId, "valid_only", plannerId)).started).toBe(false);
    const { afterMs, job: resumed } = await takenOver(importId);
    expect(afterMs).toBeLessThan(3000);
    await resumed;
    await expectFinishedWithEveryRowCreated(importId, "abandoned");
  });

  if (onPostgres) {
    it("is taken over from an instance killed with SIGKILL in the middle of it", async () => {
      const importId = await checkedImport("killed");
      const worker = path.join(root, "tests/support/enrolment-commit-worker.ts");
      const outcome = await promisify(execFile)(process.execPath, ["--import", "tsx", worker, importId, plannerId], {
        cwd: root,
        env: { ...process.env, DATABASE_POOL_MAX: "2", SURGE_IMPORT_LEASE_MS: "1000" },
        timeout: 60_000,
      }).catch((error: { signal?: string }) => error);
      expect((outcome as { signal?: string }).signal).toBe("SIGKILL");
      const killedAt = Date.now();
      expect(await enrolled("killed")).toBe(40);
      expect((await db.enrolmentImport.findUniqueOrThrow({ where: { id: importId } })).status).toBe("committing");
      const { job } = await takenOver(importId);
      expect(Date.now() - killedAt).toBeLessThan(3000);
      await job;
      await expectFinishedWithEveryRowCreated(importId, "killed");
    });
  }
});
