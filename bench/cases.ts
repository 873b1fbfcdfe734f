// Case engine figures, on PostgreSQL only (the embedded database serves one
// connection, so a concurrency figure there would mean nothing):
// 200,000 waiting cases (20,000 of them escalated to level 1, each with its
// open Escalation row), 200 agents (half experienced agents, who take
// escalations too, half volunteers) asking for their next case at once over a
// pool of 20 connections, the same dequeue as one bare SQL statement through
// pg (alternating with "Next case" second by second), intake through the API route handler, and a full re-rank after a rule
// change. Expects process.env.DATABASE_URL to point at a migrated database.
// BENCH_CASES_PARTS (default "rerank,routing,intake") runs only some parts.
import { performance } from "node:perf_hooks";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { createIntegration } from "../app/cases/intake.server";
import { rerankOpenCases } from "../app/cases/priority.server";
import { startQueueUpkeep } from "../app/cases/queue-upkeep.server";
import { DEFAULT_PRIORITY_RULE_SET, type PriorityRuleSet } from "../app/cases/priority-rules";
import { channelCapacities, forgetChannelCapacities, loadRoutingAgent, nextCaseFor } from "../app/cases/routing.server";
import { routingContext } from "../app/cases/routing-settings.server";
import { dequeueRequestFor, routingFilterFor, SLOT_STATUSES, type DequeueRequest } from "../app/cases/routing";
import { getDb } from "../app/db/db.server";
import { CHANNELS, SUPPORTED_LANGUAGES } from "../app/reference/channels";
import type { Report } from "./report";

const OPEN_CASES = 200_000;
const AGENTS = 200;
const POOL = 20;
const DEQUEUES_PER_AGENT = 50;
const TARGET_PER_S = 2000;
const HISTORY_PER_AGENT = 100;
/** Every tenth waiting case is escalated (20,000 of 200,000), as issue 15's performance section asks. */
const ESCALATED_EVERY = 10;

export function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

// Deterministic pseudo-random choice so runs are comparable.
export function picker(seed: number) {
  let state = seed;
  return <T>(items: readonly T[]): T => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return items[state % items.length]!;
  };
}

export async function insertOpenCases(client: pg.Pool, count: number) {
  const channels = CHANNELS.map((c) => c.id);
  await client.query(
    `INSERT INTO "Case" (id, "channelId", language, "customerId", "customerName", "loyaltyTier", "bookingReference",
        "flightNumber", "departureAt", subject, body, "receivedAt", "liveConversation", "paymentLinkUnpaid", topics,
        status, complexity, "priorityTier", "priorityReason", "threadKey", "createdAt", "updatedAt")
     SELECT 'bench' || g,
            ($1::text[])[1 + g % cardinality($1::text[])],
            ($2::text[])[1 + (g / 7) % cardinality($2::text[])],
            'BCUST' || (g % 150000), 'Bench Customer ' || g,
            (ARRAY['none','none','none','none','silver','silver','gold','platinum'])[1 + (g / 3) % 8]::"LoyaltyTier",
            'BK' || g, CASE WHEN g % 5 = 0 THEN NULL ELSE 'SG' || (100 + g % 1900) END,
            CASE WHEN g % 5 = 0 THEN NULL ELSE now() AT TIME ZONE 'UTC' + ((g % 100) - 6) * interval '1 hour' END,
            CASE WHEN g % 4 = 0 THEN 'Urgent: flight tomorrow' ELSE 'Question about booking' END,
            CASE WHEN g % 4 = 0 THEN 'I need help urgently, my flight is tomorrow.' ELSE 'When will I get an answer about my booking?' END,
            now() AT TIME ZONE 'UTC' - (g % 172800) * interval '1 second',
            g % 13 = 0, g % 17 = 0,
            CASE WHEN g % 3 = 0 THEN ARRAY['rebooking'] ELSE ARRAY['voucher'] END,
            (CASE WHEN g % $4::int = 3 THEN 'escalated' ELSE 'open' END)::"CaseStatus",
            (CASE WHEN g % 10 < 7 THEN 'simple' ELSE 'complex' END)::"CaseComplexity",
            1 + g % 8, 'bench', 'bench-thread-' || g,
            now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
     FROM generate_series(1, $3::int) AS g`,
    [channels, [...SUPPORTED_LANGUAGES], count, ESCALATED_EVERY]
  );
  // Escalated cases wait at level 1 (experienced agents) with their open Escalation row (docs/escalation.md).
  await client.query(`UPDATE "Case" SET "escalationLevel" = 1 WHERE status = 'escalated' AND id LIKE 'bench%'`);
  await client.query(
    `INSERT INTO "Escalation" (id, "caseId", reason, "reasonCode", "fromLevel", "toLevel", status, "createdAt")
     SELECT 'besc' || c.id, c.id, 'Unsure', 'unsure', 0, 1, 'open', c."receivedAt" FROM "Case" c WHERE c.status = 'escalated' AND c.id LIKE 'bench%'`
  );
  await client.query(`ANALYZE "Case"`);
}

export async function createAgents(client: pg.Pool, count: number) {
  const pick = picker(42);
  const channels = CHANNELS.map((c) => c.id);
  const agents: {
    id: string;
    role: "agent" | "volunteer";
    skills: string[];
  }[] = [];
  for (let i = 0; i < count; i++) {
    // Half experienced agents (escalation level 1), half volunteers.
    const role = i % 2 === 0 ? ("volunteer" as const) : ("agent" as const);
    const skills = new Set<string>();
    for (let k = 0; k < 4; k++) skills.add(`channel:${pick(channels)}`);
    for (let k = 0; k < 3; k++) skills.add(`language:${pick(SUPPORTED_LANGUAGES)}`);
    agents.push({ id: `benchagent${i}`, role, skills: [...skills] });
  }
  await client.query(
    `INSERT INTO "User" (id, email, name, role, "createdAt", "updatedAt")
     SELECT id, id || '@bench.surge.test', 'Bench ' || id, role::"Role", now(), now()
     FROM unnest($1::text[], $2::text[]) AS a(id, role) ON CONFLICT DO NOTHING`,
    [agents.map((a) => a.id), agents.map((a) => a.role)]
  );
  // Volunteers take cases once certified (app/cases/routing.ts).
  await client.query(
    `INSERT INTO "Volunteer" (id, "userId", "employeeNumber", origin, status, "createdAt", "updatedAt")
     SELECT 'v' || id, id, 'BENCH-' || id, 'cabin_crew', 'certified', now(), now() FROM unnest($1::text[]) AS a(id) ON CONFLICT DO NOTHING`,
    [agents.filter((a) => a.role === "volunteer").map((a) => a.id)]
  );
  const pairs = agents.flatMap((a) => a.skills.map((s) => [a.id, s] as const));
  await client.query(
    `INSERT INTO "UserSkill" ("userId", "skillId", source) SELECT u, s, 'planner' FROM unnest($1::text[], $2::text[]) AS p(u, s) ON CONFLICT DO NOTHING`,
    [pairs.map((p) => p[0]), pairs.map((p) => p[1])]
  );
  return agents;
}

/**
 * The bench's cases all carry a topic that needs a skill (refunds,
 * rebooking): agents who work a crisis queue hold those skills. Without
 * them every request finds nothing and takes the slowest path.
 */
export async function grantTopicSkills(pool: pg.Pool, agentIds: string[]) {
  await pool.query(
    `INSERT INTO "UserSkill" ("userId", "skillId", source)
     SELECT a.id, t."skillId", 'planner' FROM unnest($1::text[]) AS a(id) CROSS JOIN (SELECT DISTINCT "skillId" FROM "Topic" WHERE "skillId" IS NOT NULL) t
     ON CONFLICT DO NOTHING`,
    [agentIds]
  );
}

/**
 * Agents in a live queue have history: resolved cases still name them as
 * assignee, and a case on hold. Gives each agent some, then refreshes the
 * planner statistics as autovacuum would on a live database.
 */
async function addCaseHistory(pool: pg.Pool, agents: { id: string }[], perAgent: number) {
  await pool.query(
    `INSERT INTO "Case" (id, "channelId", language, "customerId", "customerName", subject, body, "receivedAt", status,
        "assigneeId", "assignedAt", "closedAt", "createdAt", "updatedAt")
     SELECT 'history' || a.ord || '-' || g, 'email', 'en', 'HCUST' || g, 'History Customer', 'Earlier question', 'Answered',
            now() - interval '2 days', CASE WHEN g = 1 THEN 'on_hold' ELSE 'resolved' END::"CaseStatus", a.id,
            now() - interval '2 days', CASE WHEN g = 1 THEN NULL ELSE now() - interval '1 day' END, now(), now()
     FROM unnest($1::text[]) WITH ORDINALITY AS a(id, ord), generate_series(1, $2::int) AS g`,
    [agents.map((a) => a.id), perAgent]
  );
  await settle(pool);
}

/**
 * Before a timed part: vacuum and analyze what the set-up wrote (as
 * autovacuum would have on a live database), then a checkpoint, as pgbench
 * does, so the set-up's writes are not flushed in the middle of the
 * measurement. Without the right (not a superuser), the checkpoint is skipped.
 */
export async function settle(pool: pg.Pool) {
  await pool.query(`VACUUM ANALYZE "Case"`);
  await pool.query(`CHECKPOINT`).catch((error: Error) => console.log(`# no CHECKPOINT before the measurement: ${error.message}`));
}

/** Runs `agents` loops concurrently, each doing `perAgent` timed calls; returns samples and wall time. */
async function concurrently<T>(agents: T[], perAgent: number, call: (agent: T) => Promise<Taken | null>) {
  const samples: number[] = [];
  const taken: Taken[] = [];
  const start = performance.now();
  await Promise.all(
    agents.map(async (agent) => {
      for (let i = 0; i < perAgent; i++) {
        const t0 = performance.now();
        const caseId = await call(agent);
        samples.push(performance.now() - t0);
        if (!caseId) break;
        taken.push(caseId);
      }
    })
  );
  return { samples, taken, seconds: (performance.now() - start) / 1000 };
}

type Taken = { agent: string; caseId: string };

async function nextCase(agentId: string): Promise<Taken | null> {
  const result = await nextCaseFor(agentId);
  return result.ok ? { agent: agentId, caseId: result.caseId } : null;
}

/**
 * Open load: `perSecond` requests a second spread over the agents, each
 * agent asking at its own random moment of every period (a slow answer
 * delays only that agent's next request). Returns latencies and what was taken.
 */
async function paced<T>(agents: T[], load: { perSecond: number; seconds: number }, call: (agent: T) => Promise<Taken | null>) {
  const periodMs = (agents.length / load.perSecond) * 1000;
  const rounds = Math.round((load.seconds * 1000) / periodMs);
  const pick = picker(7);
  const offsets = Array.from({ length: 1000 }, (_, i) => i / 1000);
  const samples: number[] = [];
  const taken: Taken[] = [];
  const start = performance.now();
  await Promise.all(
    agents.map(async (agent) => {
      for (let round = 0; round < rounds; round++) {
        const due = start + (round + pick(offsets)) * periodMs;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
        const t0 = performance.now();
        const result = await call(agent);
        samples.push(performance.now() - t0);
        if (result) taken.push(result);
      }
    })
  );
  return { samples, taken, seconds: (performance.now() - start) / 1000 };
}

/** Resolves the bench's assigned cases every 100 ms, as agents finish them. */
export function resolveInBackground(pool: pg.Pool) {
  let stopped = false;
  const loop = (async () => {
    while (!stopped) {
      await pool.query(`UPDATE "Case" SET status = 'resolved' WHERE status = 'assigned' AND "assigneeId" LIKE 'benchagent%'`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  })();
  return {
    async stop() {
      stopped = true;
      await loop;
    },
  };
}

/**
 * Counts every way an assignment could have gone wrong: a case handed out
 * twice, a case with more than one "assigned" event, a case whose assignee
 * is not the agent it was handed to, an assignment with no event or an
 * event with no assignment.
 */
async function countAssignmentFaults(pool: pg.Pool, taken: Taken[]): Promise<number> {
  const ids = taken.map((t) => t.caseId);
  const handedOutTwice = ids.length - new Set(ids).size;
  const { rows: multi } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM (SELECT "caseId" FROM "CaseEvent" WHERE type = 'assigned' AND "caseId" = ANY($1::text[]) GROUP BY "caseId" HAVING count(*) > 1) d`,
    [ids]
  );
  const { rows: wrong } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM unnest($1::text[], $2::text[]) AS t(case_id, agent)
     LEFT JOIN "Case" c ON c.id = t.case_id
     WHERE c."assigneeId" IS DISTINCT FROM t.agent`,
    [ids, taken.map((t) => t.agent)]
  );
  // Every assignment the bench agents got, whatever the case (the demo data's open cases included).
  const { rows: events } = await pool.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM "CaseEvent" WHERE type = 'assigned' AND "actorId" LIKE 'benchagent%'`
  );
  const unreported = Math.abs(events[0]!.n - new Set(ids).size);
  return handedOutTwice + multi[0]!.n + wrong[0]!.n + unreported;
}

/**
 * The baseline: the very dequeue "Next case" runs (the surge_next_cases
 * statement, SKIP LOCKED, capacity check and event included) for one agent,
 * sent as one statement through pg with the agent's routing filter worked
 * out beforehand: none of the app's extras (no batching, no per-agent lock,
 * no skills cache or its lookups, no lazy re-scoring).
 */
async function bareDequeue(pool: pg.Pool, request: DequeueRequest): Promise<string | null> {
  const { rows } = await pool.query<{ case_id: string | null }>({
    name: "bench-bare-dequeue",
    text: `SELECT case_id FROM surge_next_cases($1::jsonb, NULL::timestamp(3), $2::text[])`,
    values: [JSON.stringify([request]), [...SLOT_STATUSES]],
  });
  return rows[0]?.case_id ?? null;
}

export async function benchCases(label: "embedded" | "postgres", report: Report): Promise<void> {
  if (label !== "postgres") return;
  const parts = new Set((process.env.BENCH_CASES_PARTS ?? "rerank,routing,intake").split(","));
  const url = process.env.DATABASE_URL!;
  const pool = new pg.Pool({ connectionString: url, max: POOL });
  const prisma = new PrismaClient({
    adapter: new PrismaPg({ connectionString: url, max: POOL }),
  });
  try {
    await pool.query(
      `INSERT INTO "Channel" (id, name, kind, "maxConcurrentPerAgent") SELECT * FROM unnest($1::text[], $2::text[], $3::"ChannelKind"[], $4::int[]) ON CONFLICT (id) DO NOTHING`,
      [CHANNELS.map((c) => c.id), CHANNELS.map((c) => c.name), CHANNELS.map((c) => c.kind), CHANNELS.map((c) => c.maxConcurrentPerAgent)]
    );
    const skillIds = [...CHANNELS.map((c) => `channel:${c.id}`), ...SUPPORTED_LANGUAGES.map((l) => `language:${l}`)];
    await pool.query(
      `INSERT INTO "Skill" (id, kind, name) SELECT id, split_part(id, ':', 1)::"SkillKind", id FROM unnest($1::text[]) AS id ON CONFLICT DO NOTHING`,
      [skillIds]
    );
    await insertOpenCases(pool, OPEN_CASES);

    // Cases arrive scored (intake scores them): score the inserted ones once, untimed.
    const initialStart = performance.now();
    const initial = await rerankOpenCases(new Date(), {
      ruleSet: DEFAULT_PRIORITY_RULE_SET,
    });
    console.log(
      `# initial scoring of ${initial.scanned} unscored cases (every row written): ${(performance.now() - initialStart).toFixed(0)} ms`
    );
    await settle(pool);

    if (parts.has("rerank")) {
      // Re-rank after a rule change: the 4-hour rule becomes 6 hours, Silver loses its tier.
      const changed: PriorityRuleSet = {
        ...DEFAULT_PRIORITY_RULE_SET,
        rules: DEFAULT_PRIORITY_RULE_SET.rules.map((rule) =>
          rule.id === "departs-within-4h"
            ? {
                ...rule,
                conditions: [{ type: "departsWithinHours" as const, hours: 6 }],
              }
            : rule.id === "loyalty-silver"
            ? { ...rule, enabled: false }
            : rule
        ),
      };
      const rerankStart = performance.now();
      const reranked = await rerankOpenCases(new Date(), { ruleSet: changed });
      const rerankMs = performance.now() - rerankStart;
      console.log(`# rerank: scanned ${reranked.scanned}, changed ${reranked.changed}`);
      report("rerank_200k_ms", rerankMs, "ms");
      await settle(pool);
    }

    if (parts.has("routing")) {
      // Routing: 200 agents. Capacity is raised and a background loop resolves
      // what the agents take (as agents do between two cases), so the run
      // measures the dequeue, not agents stuck at capacity; the statement
      // still counts each agent's held cases on every call.
      await pool.query(`UPDATE "Channel" SET "maxConcurrentPerAgent" = 100000`);
      forgetChannelCapacities();
      const agents = await createAgents(pool, AGENTS);
      await grantTopicSkills(pool, agents.map((a) => a.id));
      await addCaseHistory(pool, agents, HISTORY_PER_AGENT);
      // The resolving loop on a connection of its own: on the bench's pool it
      // waited behind an overloaded round of the bare dequeue, then resolved
      // the whole backlog at once at the start of the next round.
      const resolverConnection = new pg.Pool({ connectionString: url, max: 1 });
      const resolver = resolveInBackground(resolverConnection);
      // The server's background upkeep (re-scoring, queue vacuum), as in production.
      const upkeep = startQueueUpkeep();
      const taken: Taken[] = [];
      try {
        // Warm-up at the target load for 2 s (connections, cached plans, agent skills, JIT); what it takes is counted below.
        taken.push(...(await paced(agents, { perSecond: TARGET_PER_S, seconds: 2 }, (agent) => nextCase(agent.id))).taken);

        // Latency at the target load: 200 agents asking 2,000 times a second in
        // all, each at its own moment (see README: with no pause at all between
        // requests, latency is only in-flight requests / throughput). Rounds
        // of one second alternate between "Next case" and the bare dequeue,
        // so both meet the same table state (dead rows, vacuum, upkeep).
        // The bare dequeue sends each agent the request "Next case" sends
        // (escalation levels included: experienced agents take escalations).
        const requests = new Map<string, DequeueRequest>();
        for (const agent of agents) {
          const routing = (await loadRoutingAgent(agent.id, prisma))!;
          const filter = routingFilterFor({ ...routing, openCasesByChannel: {} }, await channelCapacities(prisma), await routingContext(prisma));
          requests.set(agent.id, dequeueRequestFor(agent.id, filter));
        }
        const experienced = new Set(agents.filter((a) => a.role === "agent").map((a) => a.id));
        const expertTakes: { caseId: string; ms: number }[] = [];
        const atLoad = { samples: [] as number[], taken: 0, seconds: 0 };
        const bare = { samples: [] as number[], taken: 0, seconds: 0 };
        for (let round = 0; round < 20; round++) {
          const run =
            round % 2 === 0
              ? await paced(agents, { perSecond: TARGET_PER_S, seconds: 1 }, async (agent) => {
                  const t0 = performance.now();
                  const result = await nextCase(agent.id);
                  if (result && experienced.has(agent.id)) expertTakes.push({ caseId: result.caseId, ms: performance.now() - t0 });
                  return result;
                })
              : await paced(agents, { perSecond: TARGET_PER_S, seconds: 1 }, async (agent) => {
                  const caseId = await bareDequeue(pool, requests.get(agent.id)!);
                  return caseId ? { agent: agent.id, caseId } : null;
                });
          const into = round % 2 === 0 ? atLoad : bare;
          into.samples.push(...run.samples);
          into.taken += run.taken.length;
          into.seconds += run.seconds;
          taken.push(...run.taken);
        }
        report("next_case_p50_ms", percentile(atLoad.samples, 50), "ms");
        report("next_case_p99_ms", percentile(atLoad.samples, 99), "ms");
        const bareP50 = percentile(bare.samples, 50);
        report("bare_dequeue_p50_ms", bareP50, "ms");
        report("next_case_vs_bare_ratio", percentile(atLoad.samples, 50) / bareP50, "x");
        // Experienced agents' "Next case" calls that handed them an escalated case, in the same rounds.
        const { rows: escalatedTaken } = await pool.query<{ id: string }>(`SELECT id FROM "Case" WHERE id = ANY($1::text[]) AND "escalationLevel" >= 1`, [
          expertTakes.map((t) => t.caseId),
        ]);
        const escalatedIds = new Set(escalatedTaken.map((row) => row.id));
        const escalationTakes = expertTakes.filter((t) => escalatedIds.has(t.caseId)).map((t) => t.ms);
        if (escalationTakes.length) report("escalation_take_p99_ms", percentile(escalationTakes, 99), "ms");
        const expertP = expertTakes.map((t) => t.ms);
        console.log(
          `# escalations taken by experienced agents at load: ${escalationTakes.length} (p50 ${percentile(escalationTakes, 50)?.toFixed(1)} ms); experienced agents' next case p50 ${percentile(expertP, 50)?.toFixed(1)} ms, p99 ${percentile(expertP, 99)?.toFixed(1)} ms`,
        );
        console.log(
          `# at ${TARGET_PER_S}/s offered, 10 alternating rounds of 1 s each: next case ${(atLoad.taken / atLoad.seconds).toFixed(0)}/s served (${
            atLoad.samples.length
          } requests), bare dequeue ${(bare.taken / bare.seconds).toFixed(0)}/s served, p99 ${percentile(bare.samples, 99).toFixed(2)} ms`
        );

        // Throughput: the same 200 agents asking again the moment they get an answer.
        const flatOut = await concurrently(agents, DEQUEUES_PER_AGENT, (agent) => nextCase(agent.id));
        taken.push(...flatOut.taken);
        report("next_case_per_s", flatOut.taken.length / flatOut.seconds, "/s");
        console.log(
          `# next case flat out: p50 ${percentile(flatOut.samples, 50).toFixed(1)} ms, p99 ${percentile(flatOut.samples, 99).toFixed(
            1
          )} ms (${AGENTS} requests always in flight)`
        );
      } finally {
        await upkeep.stop();
        await resolver.stop();
        await resolverConnection.end();
      }
      report("next_case_assignment_faults", await countAssignmentFaults(pool, taken), "count");
      await pool.query(
        `UPDATE "Channel" SET "maxConcurrentPerAgent" = v.cap FROM unnest($1::text[], $2::int[]) AS v(id, cap) WHERE "Channel".id = v.id`,
        [CHANNELS.map((c) => c.id), CHANNELS.map((c) => c.maxConcurrentPerAgent)]
      );
      forgetChannelCapacities();
    }

    if (parts.has("intake")) {
      // Intake through the route handler: batches of 500, four requests in flight.
      await settle(pool);
      getDb();
      const { dispatch } = await import("../tests/support/app-client");
      const integration = await createIntegration(`bench-${Date.now()}`, null);
      const batches = 24;
      const batchSize = 500;
      const payloads = Array.from({ length: batches }, (_, b) =>
        JSON.stringify({
          cases: Array.from({ length: batchSize }, (_, i) => ({
            idempotencyKey: `bench-${b}-${i}`,
            channelId: CHANNELS[i % CHANNELS.length]!.id,
            language: SUPPORTED_LANGUAGES[i % SUPPORTED_LANGUAGES.length],
            customerId: `INTAKE${b}-${i}`,
            customerName: "Intake Bench",
            bookingReference: `IB${b}X${i}`,
            flightNumber: "SG123",
            departureAt: new Date(Date.now() + ((i % 48) + 1) * 3_600_000).toISOString(),
            subject: i % 3 ? "Need to rebook, urgent" : "Where is my refund?",
            body: i % 3 ? "My flight is cancelled and I need to travel tomorrow." : "How do I get my refund?",
            topics: i % 3 ? ["rebooking"] : ["refund-status", "voucher"],
          })),
        })
      );
      let next_ = 0;
      const intakeStart = performance.now();
      await Promise.all(
        Array.from({ length: 4 }, async () => {
          while (next_ < payloads.length) {
            const body = payloads[next_++]!;
            const response = await dispatch(
              new Request("http://surge.test/api/cases", {
                method: "POST",
                headers: {
                  "Content-Type": "application/json",
                  Authorization: `Bearer ${integration.token}`,
                },
                body,
              })
            );
            if (response.status !== 201) throw new Error(`intake failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
            await response.arrayBuffer();
          }
        })
      );
      report("intake_cases_per_s", (batches * batchSize) / ((performance.now() - intakeStart) / 1000), "/s");
    }
  } finally {
    await prisma.$disconnect();
    await pool.end();
  }
}
