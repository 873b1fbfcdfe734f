// No case is ever assigned twice and none is lost: many agents at once in this
// process (truly concurrent on PostgreSQL; the embedded database serves one
// connection, so there the same invariants are checked serially), and, on
// PostgreSQL (TEST_DATABASE_URL), two separate app processes.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { forgetChannelCapacities, nextCaseFor } from "../app/cases/routing.server";
import { getDb } from "../app/db/db.server";
import { seedDemoData } from "../prisma/seed";
import { createAgent, insertOpenCases } from "./support/case-fixtures";
import { root } from "./support/databases";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  // Capacity is not what this test is about: let every agent hold many chats.
  await db.channel.update({ where: { id: "messenger" }, data: { maxConcurrentPerAgent: 1000 } });
  forgetChannelCapacities();
});

async function queueOf(language: string, count: number): Promise<string[]> {
  const base = Date.now() - 86_400_000;
  return insertOpenCases(
    db,
    Array.from({ length: count }, (_, i) => ({ channelId: "messenger", language, priorityTier: 1 + (i % 8), receivedAt: new Date(base + i * 1000) })),
  );
}

async function expectEachCaseOnceAndNoneLost(caseIds: string[], taken: { agentId: string; caseId: string }[]) {
  const takenIds = taken.map((t) => t.caseId);
  expect(new Set(takenIds).size).toBe(takenIds.length); // never twice
  expect(new Set(takenIds)).toEqual(new Set(caseIds)); // none lost, nothing foreign
  const rows = await db.case.findMany({ where: { id: { in: caseIds } }, select: { id: true, status: true, assigneeId: true } });
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const t of taken) expect(byId.get(t.caseId)).toMatchObject({ status: "assigned", assigneeId: t.agentId });
  expect(await db.caseEvent.count({ where: { caseId: { in: caseIds }, type: "assigned" } })).toBe(caseIds.length);
}

describe("atomic dequeue", () => {
  it(`50 agents dequeuing at once (${onPostgres ? "concurrently on PostgreSQL" : "serially on the embedded database"}) get every case exactly once`, async () => {
    const caseIds = await queueOf("es", 400);
    const agents = await Promise.all(Array.from({ length: 50 }, () => createAgent(db, { skills: ["channel:messenger", "language:es"] })));
    const taken: { agentId: string; caseId: string }[] = [];
    await Promise.all(
      agents.map(async (agent) => {
        for (;;) {
          const result = await nextCaseFor(agent.id, { rescore: false });
          if (!result.ok) {
            expect(result.reason).toBe("queue_empty");
            break;
          }
          taken.push({ agentId: agent.id, caseId: result.caseId });
        }
      }),
    );
    await expectEachCaseOnceAndNoneLost(caseIds, taken);
    // Urgent first: the first case any agent got was a tier-1 case.
    const firstTaken = await db.case.findUniqueOrThrow({ where: { id: taken[0]!.caseId } });
    expect(firstTaken.priorityTier).toBe(1);
  });

  it(
    onPostgres
      ? "two app processes on one PostgreSQL database never get the same case"
      : "the same agent asking many times at once never exceeds the queue or takes a case twice",
    async () => {
      if (onPostgres) {
        const caseIds = await queueOf("pt", 600);
        const agents = await Promise.all(Array.from({ length: 20 }, () => createAgent(db, { skills: ["channel:messenger", "language:pt"] })));
        const run = promisify(execFile);
        const worker = path.join(root, "tests/support/dequeue-worker.ts");
        const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_POOL_MAX: "5" };
        const outputs = await Promise.all(
          [agents.slice(0, 10), agents.slice(10)].map((group) =>
            run(process.execPath, ["--import", "tsx", worker, group.map((a) => a.id).join(",")], { cwd: root, env, timeout: 120_000 }),
          ),
        );
        const results = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop()!) as { pid: number; taken: { agentId: string; caseId: string }[] });
        expect(new Set(results.map((r) => r.pid)).size).toBe(2);
        expect(results.every((r) => r.taken.length > 0)).toBe(true);
        await expectEachCaseOnceAndNoneLost(caseIds, results.flatMap((r) => r.taken));
      } else {
        const caseIds = await queueOf("it", 30);
        const agent = await createAgent(db, { skills: ["channel:messenger", "language:it"] });
        const results = await Promise.all(Array.from({ length: 40 }, () => nextCaseFor(agent.id, { rescore: false })));
        const taken = results.flatMap((r) => (r.ok ? [{ agentId: agent.id, caseId: r.caseId }] : []));
        expect(results.filter((r) => !r.ok).every((r) => !r.ok && r.reason === "queue_empty")).toBe(true);
        await expectEachCaseOnceAndNoneLost(caseIds, taken);
      }
    },
  );
});
