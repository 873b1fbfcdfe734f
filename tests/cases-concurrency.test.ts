// No case is ever assigned twice and none is lost: many agents at once in this
// process (truly concurrent on PostgreSQL; the embedded database serves one
// connection, so there the same invariants are checked serially), and, on
// PostgreSQL (TEST_DATABASE_URL), two separate app processes, also with
// escalated cases between the open ones, and with the presence and time-out
// jobs of two instances running at once.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { lapseSilentAgents, returnCasesOfEndedSessions, returnUnopenedCases } from "../app/cases/presence.server";
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

async function escalate(caseIds: string[]) {
  await db.case.updateMany({ where: { id: { in: caseIds } }, data: { status: "escalated", escalationLevel: 1 } });
  await db.escalation.createMany({ data: caseIds.map((caseId) => ({ caseId, reason: "Unsure", reasonCode: "unsure", toLevel: 1 })) });
}

describe("atomic dequeue with escalations", () => {
  it(
    onPostgres
      ? "two app processes, experts and volunteers: every case once, escalations to experts only, each escalation taken once"
      : "experts and volunteers at once: every case once, escalations to experts only, each escalation taken once",
    async () => {
      const caseIds = await queueOf("ko", onPostgres ? 300 : 60);
      const escalated = caseIds.filter((_, i) => i % 5 === 0);
      await escalate(escalated);
      const experts = await Promise.all(Array.from({ length: 8 }, () => createAgent(db, { skills: ["channel:messenger", "language:ko"] })));
      const volunteers = await Promise.all(Array.from({ length: 8 }, () => createAgent(db, { role: "volunteer", skills: ["channel:messenger", "language:ko"] })));
      let taken: { agentId: string; caseId: string }[];
      if (onPostgres) {
        const run = promisify(execFile);
        const worker = path.join(root, "tests/support/dequeue-worker.ts");
        const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_POOL_MAX: "5" };
        // Each process serves half the experts and half the volunteers.
        const groups = [[...experts.slice(0, 4), ...volunteers.slice(0, 4)], [...experts.slice(4), ...volunteers.slice(4)]];
        const outputs = await Promise.all(
          groups.map((group) => run(process.execPath, ["--import", "tsx", worker, group.map((a) => a.id).join(",")], { cwd: root, env, timeout: 120_000 })),
        );
        const results = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop()!) as { pid: number; taken: { agentId: string; caseId: string }[] });
        expect(new Set(results.map((r) => r.pid)).size).toBe(2);
        taken = results.flatMap((r) => r.taken);
      } else {
        taken = [];
        await Promise.all(
          [...experts, ...volunteers].map(async (agent) => {
            for (;;) {
              const result = await nextCaseFor(agent.id, { rescore: false });
              if (!result.ok) break;
              taken.push({ agentId: agent.id, caseId: result.caseId });
            }
          }),
        );
      }
      await expectEachCaseOnceAndNoneLost(caseIds, taken);
      const expertIds = new Set(experts.map((e) => e.id));
      const escalatedSet = new Set(escalated);
      for (const t of taken.filter((t) => escalatedSet.has(t.caseId))) expect(expertIds.has(t.agentId)).toBe(true);
      // Volunteers worked too (the open cases are shared), so both kinds of request ran side by side.
      expect(taken.some((t) => !expertIds.has(t.agentId))).toBe(true);
      const rows = await db.escalation.findMany({ where: { caseId: { in: escalated } }, select: { caseId: true, status: true, expertId: true } });
      const assignee = new Map(taken.map((t) => [t.caseId, t.agentId]));
      expect(rows).toHaveLength(escalated.length);
      for (const row of rows) expect(row).toEqual({ caseId: row.caseId, status: "taken", expertId: assignee.get(row.caseId) });
    },
  );
});

describe("presence and time-out jobs in two instances at once", () => {
  it(onPostgres ? "two app processes return each case once and flip each agent once" : "the jobs run twice at once return each case once", async () => {
    const agents = await Promise.all(Array.from({ length: 30 }, () => createAgent(db, { skills: ["channel:messenger", "language:ja"] })));
    const caseIds = await queueOf("ja", 90);
    const now = Date.now();
    // Agents 0-9: cases assigned 200 s ago, never opened (push time-out).
    // Agents 10-19: online, silent for 90 s, cases assigned 10 s ago (lapsed presence).
    // Agents 20-29: their only session expired, cases assigned 10 s ago (ended session).
    for (const [i, caseId] of caseIds.entries()) {
      const agent = agents[Math.floor(i / 3)]!;
      const group = Math.floor(i / 30);
      await db.case.update({ where: { id: caseId }, data: { status: "assigned", assigneeId: agent.id, assignedAt: new Date(now - (group === 0 ? 200_000 : 10_000)) } });
    }
    await db.agentPresence.createMany({ data: agents.slice(10, 20).map((a) => ({ userId: a.id, online: true, lastSeenAt: new Date(now - 90_000) })) });
    await db.session.createMany({ data: agents.slice(20).map((a) => ({ id: `expired-${a.id}`, userId: a.id, expiresAt: new Date(now - 1000) })) });
    let returned: string[];
    let flipped: string[];
    if (onPostgres) {
      const run = promisify(execFile);
      const worker = path.join(root, "tests/support/timeout-jobs-worker.ts");
      const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_POOL_MAX: "4" };
      const outputs = await Promise.all([0, 1].map(() => run(process.execPath, ["--import", "tsx", worker], { cwd: root, env, timeout: 120_000 })));
      const results = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").pop()!) as { pid: number; returned: string[]; lapsed: string[] });
      expect(new Set(results.map((r) => r.pid)).size).toBe(2);
      returned = results.flatMap((r) => r.returned);
      flipped = results.flatMap((r) => r.lapsed);
    } else {
      const runs = await Promise.all([0, 1].map(async () => {
        const [unopened, silent, ended] = await Promise.all([returnUnopenedCases(120_000), lapseSilentAgents(60_000), returnCasesOfEndedSessions()]);
        return { returned: [...unopened, ...silent.returned, ...ended.returned], lapsed: [...silent.agents, ...ended.agents] };
      }));
      returned = runs.flatMap((r) => r.returned);
      flipped = runs.flatMap((r) => r.lapsed);
    }
    const mine = returned.filter((id) => caseIds.includes(id));
    expect(mine.length).toBe(new Set(mine).size); // never twice
    expect(new Set(mine)).toEqual(new Set(caseIds)); // none left behind
    const myAgents = new Set(agents.slice(10).map((a) => a.id));
    const flippedMine = flipped.filter((id) => myAgents.has(id));
    expect(flippedMine.length).toBe(20);
    expect(new Set(flippedMine).size).toBe(20);
    const events = await db.caseEvent.groupBy({ by: ["caseId"], where: { caseId: { in: caseIds }, type: "returned_to_queue" }, _count: { _all: true } });
    expect(events).toHaveLength(caseIds.length);
    expect(events.every((e) => e._count._all === 1)).toBe(true);
    expect(await db.case.count({ where: { id: { in: caseIds }, status: "open", assigneeId: null } })).toBe(caseIds.length);
  });
});
