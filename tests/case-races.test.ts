// State changes of a case never land on a stale check: escalation racing the
// agent's own "go offline" and a supervisor's reassignment loses no write
// (truly concurrent on PostgreSQL; on the embedded database the same races
// run one transaction at a time, with the escalation deciding on a state read
// before the others ran). And "Next case" stamps an assignment with the time
// of the write, not of the batch. The holding-reply job running during
// dequeues never makes "Next case" answer "nothing for you" while cases wait.
import pg from "pg";
import { beforeAll, describe, expect, it } from "vitest";
import { CaseMovedError } from "../app/cases/case-state.server";
import { sendHoldingReplies } from "../app/cases/bot.server";
import { assignCase, forgetChannelCapacities, goOffline, nextCaseFor, takeNextCases } from "../app/cases/routing.server";
import { getDb } from "../app/db/db.server";
import { escalateForGesture } from "../app/gestures/gestures.server";
import { seedDemoData } from "../prisma/seed";
import { createAgent, insertOpenCases } from "./support/case-fixtures";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
let supervisorId: string;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  supervisorId = (await db.user.findUniqueOrThrow({ where: { email: "supervisor@surge.test" } })).id;
});

const skills = ["channel:whatsapp", "language:en"];

async function caseHeldBy(agentId: string): Promise<string> {
  const [caseId] = await insertOpenCases(db, [{ channelId: "whatsapp", language: "en" }]);
  // Assigned a minute ago, untouched since: "go offline" hands it back.
  await db.case.update({ where: { id: caseId! }, data: { status: "assigned", assigneeId: agentId, assignedAt: new Date(Date.now() - 60_000) } });
  return caseId!;
}

describe("escalation racing go-offline and reassignment", () => {
  it(`no write is lost, and each gesture either lands on the state it read or gets a 409 (${onPostgres ? "concurrently" : "one transaction at a time"})`, async () => {
    const rounds = onPostgres ? 12 : 6;
    const setups = await Promise.all(
      Array.from({ length: rounds }, async () => {
        // A volunteer holds the case (it escalates to experienced agents); the supervisor reassigns it to an experienced agent.
        const [agent, other] = await Promise.all([createAgent(db, { role: "volunteer", skills }), createAgent(db, { skills })]);
        return { agent: agent.id, other: other.id, caseId: await caseHeldBy(agent.id) };
      }),
    );
    const outcomes = await Promise.all(
      setups.map(async ({ agent, other, caseId }, round) => {
        // What the escalating agent's request read (and was authorised on) before the race.
        const expected = { status: "assigned" as const, assigneeId: agent };
        const escalate = () =>
          escalateForGesture({ actor: { id: agent, name: "Volunteer", role: "volunteer" }, caseId, expected, type: "money", amount: 90_000, reason: "Above my limit" });
        const offline = () => goOffline(agent);
        const reassign = () => assignCase(caseId, other, { id: supervisorId }, "Rebalancing");
        // Vary who starts first.
        const order = [escalate, offline, reassign];
        const ops: (() => Promise<unknown>)[] = order.map((_, i) => order[(i + round) % 3]!);
        const results = await Promise.allSettled(ops.map((op) => op()));
        const at = (op: () => Promise<unknown>) => results[ops.indexOf(op)]!;
        return {
          agent,
          other,
          caseId,
          escalated: at(escalate),
          offline: at(offline) as PromiseSettledResult<{ returned: string[] }>,
          reassigned: at(reassign),
        };
      }),
    );
    for (const o of outcomes) {
      // Going offline and reassigning always succeed; escalation succeeds or says the case moved.
      if (o.offline.status === "rejected") throw o.offline.reason;
      expect(o.reassigned.status).toBe("fulfilled");
      if (o.escalated.status === "rejected") expect(o.escalated.reason).toBeInstanceOf(CaseMovedError);
      const escalated = o.escalated.status === "fulfilled";
      const returned = o.offline.status === "fulfilled" && o.offline.value.returned.includes(o.caseId);
      // Both need the case assigned to the agent and take it away: at most one of them.
      expect(escalated && returned).toBe(false);
      const kase = await db.case.findUniqueOrThrow({ where: { id: o.caseId } });
      // The supervisor's assignment is never wiped by a write decided on an older state.
      expect(kase.assigneeId).toBe(o.other);
      // An escalated case a supervisor assigns to an expert is theirs to work: assigned, at its escalation level.
      expect(kase.status).toBe("assigned");
      expect(kase.escalationLevel).toBe(escalated ? 1 : 0);
      const events = await db.caseEvent.groupBy({ by: ["type"], where: { caseId: o.caseId }, _count: { _all: true } });
      const count = (type: string) => events.find((e) => e.type === type)?._count._all ?? 0;
      expect(count("escalated")).toBe(escalated ? 1 : 0);
      expect(count("returned_to_queue")).toBe(returned ? 1 : 0);
      expect(count("reassigned") + count("assigned")).toBe(1);
      expect(await db.escalation.count({ where: { caseId: o.caseId } })).toBe(escalated ? 1 : 0);
      if (escalated) expect(await db.escalation.findFirstOrThrow({ where: { caseId: o.caseId } })).toMatchObject({ status: "taken", expertId: o.other, toLevel: 1 });
    }
    // The races really raced: both outcomes of the escalation happened.
    expect(outcomes.some((o) => o.escalated.status === "rejected")).toBe(true);
  });

  it("an escalation decided on a state that has since changed writes nothing and says what the case is now", async () => {
    const agent = await createAgent(db, { role: "volunteer", skills });
    const caseId = await caseHeldBy(agent.id);
    expect((await goOffline(agent.id)).returned).toEqual([caseId]);
    const error = await escalateForGesture({
      actor: { id: agent.id, name: "Volunteer", role: "volunteer" },
      caseId,
      expected: { status: "assigned", assigneeId: agent.id },
      type: "money",
      amount: 90_000,
      reason: "Above my limit",
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CaseMovedError);
    expect((error as CaseMovedError).current).toEqual({ status: "open", assigneeId: null });
    expect(await db.escalation.count({ where: { caseId } })).toBe(0);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", assigneeId: null });
  });
});

describe("assignment time", () => {
  it("an assignment is stamped when it is written, not when the batch was formed", async () => {
    const agent = await createAgent(db, { skills });
    await insertOpenCases(db, [{ channelId: "whatsapp", language: "en", priorityTier: 1 }]);
    const request = { agent: agent.id, channels: ["whatsapp"], languages: ["en"], complexities: ["simple" as const] };
    let released = Date.now();
    let taken;
    if (onPostgres) {
      // Another instance's batch holds this agent's lock for 300 ms: the dequeue waits for it.
      const other = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await other.connect();
      try {
        await other.query("BEGIN");
        await other.query("SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [agent.id]);
        const pending = takeNextCases([request]);
        await new Promise((r) => setTimeout(r, 300));
        released = Date.now();
        await other.query("COMMIT");
        taken = await pending;
      } finally {
        await other.end();
      }
    } else {
      taken = await takeNextCases([request]);
    }
    expect(taken[0]).not.toBeNull();
    const kase = await db.case.findUniqueOrThrow({ where: { id: taken[0]!.id } });
    const event = await db.caseEvent.findFirstOrThrow({ where: { caseId: kase.id, type: "assigned" } });
    expect(event.createdAt.getTime()).toBe(kase.assignedAt!.getTime());
    // Same machine clock; a few ms of rounding allowed.
    expect(event.createdAt.getTime()).toBeGreaterThanOrEqual(released - 5);
  });
});

describe("holding replies during dequeues", () => {
  it("agents with free slots keep getting cases while the job claims the same back of the queue", async () => {
    await db.channel.update({ where: { id: "messenger" }, data: { maxConcurrentPerAgent: 1000 } });
    forgetChannelCapacities();
    const count = onPostgres ? 600 : 200;
    const receivedAt = new Date(Date.now() - 2 * 3_600_000);
    await db.case.createMany({
      data: Array.from({ length: count }, (_, i) => ({
        channelId: "messenger",
        language: "es",
        customerId: `HOLD-${i}`,
        customerName: "Holding Test",
        subject: `Waiting ${i}`,
        body: "Body",
        complexity: "simple" as const,
        priorityTier: 8,
        receivedAt: new Date(receivedAt.getTime() + i),
      })),
    });
    const agents = await Promise.all(Array.from({ length: 10 }, () => createAgent(db, { skills: ["channel:messenger", "language:es"] })));
    // The job starts first and claims the very cases the agents are about to ask for.
    const job = sendHoldingReplies({ minTier: 8, waitingMinutes: 30 });
    let taken = 0;
    await Promise.all(
      agents.map(async (agent) => {
        for (;;) {
          const result = await nextCaseFor(agent.id, { rescore: false });
          if (!result.ok) {
            expect(result.reason).toBe("queue_empty");
            return;
          }
          taken += 1;
        }
      }),
    );
    const { sent } = await job;
    // Nobody was told "nothing for you" while cases were waiting: every case was taken.
    expect(await db.case.count({ where: { channelId: "messenger", language: "es", status: "open" } })).toBe(0);
    expect(taken).toBe(count);
    // Each reply claimed is logged once.
    expect(await db.caseEvent.count({ where: { type: "holding_reply", case: { language: "es", channelId: "messenger" } } })).toBe(sent);
  });
});
