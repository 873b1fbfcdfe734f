// Routing against the database: "Next case" (batched calls of the
// surge_next_cases function), manual assignment by supervisors, presence,
// and returning untouched cases to the queue when an agent goes offline.
// (Releasing a volunteer returns every case they held: see
// app/enrolment/volunteers.server.ts.)
import type { CaseComplexity, CaseStatus, Prisma, Role, VolunteerStatus } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db, queryRows } from "~/db/db.server";
import { inTransaction } from "~/db/transactions.server";
import { markEscalationTaken } from "~/escalation/escalation.server";
import { levelName, levelOfRole, mayWorkEscalation } from "~/escalation/levels";
import { loadEscalationLevels } from "~/escalation/levels.server";
import { changeCaseState } from "./case-state.server";
import { HANDLED_CASE_STATUSES } from "./case-fields";
import { presenceNeedsWrite, type KnownPresence } from "./presence";
import { rescoreDueCasesLazily } from "./priority.server";
import { heartbeatEveryMs, presenceSilenceMs } from "./presence.server";
import { createRequestBatches } from "./request-batches";
import { returnCasesToQueue, untouchedCasesOf, type ReturnReason } from "./return-to-queue.server";
import { routingContext } from "./routing-settings.server";
import { sharedRead } from "./shared-read";
import {
  agentCanTake,
  CASE_TAKING_ROLES,
  dequeueRequestFor,
  isPresent,
  routingFilterFor,
  SLOT_STATUSES,
  takingRefusal,
  type ChannelCapacities,
  type DequeueRequest,
  type RoutingAgent,
} from "./routing";

type Client = Prisma.TransactionClient | typeof db;

const capacityCache = sharedRead<ChannelCapacities>(10_000);

/**
 * Channel -> concurrent cases per agent, from the Channel table (cached 10 s
 * per process; the requests that find it expired at the same moment share
 * one query).
 */
export function channelCapacities(client: Client = db): Promise<ChannelCapacities> {
  return capacityCache.get(() =>
    client.channel
      .findMany({ where: { active: true }, select: { id: true, maxConcurrentPerAgent: true } })
      .then((channels) => Object.fromEntries(channels.map((c) => [c.id, c.maxConcurrentPerAgent]))),
  );
}

export function forgetChannelCapacities(): void {
  capacityCache.forget();
}

/** The agent as routing sees them: role, certification, skills and the cases they hold per channel. */
export async function loadRoutingAgent(userId: string, client: Client = db): Promise<RoutingAgent | null> {
  const [facts] = await loadRoutingFacts(client, [userId]);
  if (!facts) return null;
  const held = await client.case.groupBy({
    by: ["channelId"],
    where: { assigneeId: userId, status: { in: [...SLOT_STATUSES] } },
    _count: { _all: true },
  });
  return { ...facts, openCasesByChannel: Object.fromEntries(held.map((h) => [h.channelId, h._count._all])) };
}

export type TakenCase = { id: string; number: number } | null;

/**
 * "Next case" for a batch of agents in one round trip: the
 * surge_next_cases function (prisma/migrations/*_next_case_batches) checks
 * each agent's free slots, locks the most urgent matching open case with
 * FOR UPDATE SKIP LOCKED (two agents, or two app instances, never get the
 * same row and never wait for each other), assigns it and logs the event,
 * stamped with the time of that write (*_dequeue_write_time; its second
 * argument is no longer used).
 */
export async function takeNextCases(requests: readonly DequeueRequest[]): Promise<TakenCase[]> {
  if (new Set(requests.map((r) => r.agent)).size !== requests.length) throw new Error("An agent may appear once per dequeue batch");
  const rows = await queryRows<{ agent_id: string; case_id: string | null; case_number: number | null }>({
    name: "surge-next-cases",
    text: `SELECT agent_id, case_id, case_number FROM surge_next_cases($1::jsonb, NULL::timestamp(3), $2::text[])`,
    values: [JSON.stringify(requests), [...SLOT_STATUSES]],
  });
  const byAgent = new Map(rows.map((row) => [row.agent_id, row]));
  return requests.map((request) => {
    const row = byAgent.get(request.agent);
    return row?.case_id ? { id: row.case_id, number: row.case_number! } : null;
  });
}

type SkilledAgent = Omit<RoutingAgent, "openCasesByChannel"> | null;

/**
 * What routing needs to know of many people in one query: role, volunteer
 * status, skills, the languages held at basic level and the topics whose
 * skill they lack. Null for unknown or disabled accounts.
 */
async function loadRoutingFacts(client: Client, userIds: readonly string[]): Promise<SkilledAgent[]> {
  const rows = await client.$queryRaw<
    { id: string; role: Role; status: string; volunteerStatus: VolunteerStatus | null; skills: string[] | null; basic: string[] | null; missing: string[] | null }[]
  >`
    SELECT u.id, u.role::text AS role, u.status::text AS status, v.status::text AS "volunteerStatus",
           (SELECT array_agg(s."skillId") FROM "UserSkill" s WHERE s."userId" = u.id) AS skills,
           (SELECT array_agg(substr(s."skillId", 10)) FROM "UserSkill" s
             WHERE s."userId" = u.id AND s.proficiency = 'basic' AND s."skillId" LIKE 'language:%') AS basic,
           (SELECT array_agg(t.id) FROM "Topic" t
             WHERE t."skillId" IS NOT NULL
               AND NOT EXISTS (SELECT 1 FROM "UserSkill" s WHERE s."userId" = u.id AND s."skillId" = t."skillId")) AS missing
    FROM "User" u LEFT JOIN "Volunteer" v ON v."userId" = u.id
    WHERE u.id = ANY(${userIds}::text[])`;
  const byId = new Map(rows.map((row) => [row.id, row]));
  return userIds.map((id) => {
    const row = byId.get(id);
    if (!row || row.status !== "active") return null;
    return { id, role: row.role, volunteerStatus: row.volunteerStatus, skills: row.skills ?? [], basicLanguages: row.basic ?? [], missingTopics: row.missing ?? [] };
  });
}

// Concurrent "Next case" requests of this process share dequeue batches (see
// request-batches.ts), at most DEQUEUE_CONNECTIONS at a time, each one
// statement and one commit for up to 100 agents; agents whose skills must be
// (re)loaded share one query the same way.
const DEQUEUE_CONNECTIONS = Math.max(1, Number(process.env.SURGE_DEQUEUE_CONNECTIONS ?? 2));

const dequeueInBatches = createRequestBatches<DequeueRequest, TakenCase>({
  serve: (requests) => takeNextCases(requests),
  maxBatch: 100,
  maxInFlight: DEQUEUE_CONNECTIONS,
});

const skillLookups = (gatherMs: number) =>
  createRequestBatches<string, SkilledAgent>({ serve: (userIds) => loadRoutingFacts(db, userIds), maxBatch: 500, maxInFlight: 1, gatherMs });
const skillsInBatches = skillLookups(0);
/** Background refreshes of cached skills: nobody waits on them, so a burst of them shares one query. */
const skillRefreshesInBatches = skillLookups(50);

export type NextCaseResult =
  | { ok: true; caseId: string; caseNumber: number }
  | {
      ok: false;
      reason: "not_allowed" | "not_certified" | "no_skills" | "at_capacity" | "queue_empty";
      message: string;
    };

// One dequeue at a time per agent in this process, so a double click cannot
// take two slots when only one is free.
const agentLocks = new Map<string, Promise<unknown>>();

async function serialisedPerAgent<T>(userId: string, fn: () => Promise<T>): Promise<T> {
  const previous = agentLocks.get(userId) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(fn);
  agentLocks.set(userId, next);
  try {
    return await next;
  } finally {
    if (agentLocks.get(userId) === next) agentLocks.delete(userId);
  }
}

/**
 * Skills are cached per process. After 3 to 4 s an entry is still used
 * while it is reloaded in the background; after AGENT_MAX_AGE_MS it is
 * reloaded first. A revoked skill or a disabled account therefore stops
 * routing about 4 s after the change. Each entry draws its own freshness, so
 * entries loaded together (a crowd of agents starting at once) do not all
 * fall due together, and the reloads that fall due within 50 ms share one
 * query: one round trip per query cost more than the lookup itself.
 */
const AGENT_FRESH_MS = 3000;
const AGENT_FRESH_SPREAD_MS = 1000;
const AGENT_MAX_AGE_MS = 15_000;
const agentCache = new Map<string, { at: number; freshFor: number; agent: SkilledAgent; refreshing?: boolean }>();

/** Drops the cached routing facts of a person whose skills or status just changed (a module passed). */
export function forgetRoutingAgent(userId: string): void {
  agentCache.delete(userId);
}

async function routingSkillsOf(userId: string): Promise<SkilledAgent> {
  const cached = agentCache.get(userId);
  const age = cached ? Date.now() - cached.at : Infinity;
  const load = async (batches: typeof skillsInBatches) => {
    const agent = await batches(userId);
    if (agentCache.size > 10_000) agentCache.clear();
    agentCache.set(userId, { at: Date.now(), freshFor: AGENT_FRESH_MS + Math.random() * AGENT_FRESH_SPREAD_MS, agent });
    return agent;
  };
  if (!cached || age >= AGENT_MAX_AGE_MS) return load(skillsInBatches);
  if (age >= cached.freshFor && !cached.refreshing) {
    cached.refreshing = true;
    load(skillRefreshesInBatches).catch(() => {
      cached.refreshing = false;
    });
  }
  return cached.agent;
}

/**
 * "Next case": the most urgent open case this agent may and can take,
 * assigned to them. The skills are the request's own (`agent`: read with
 * the session, see app/auth/session.server.ts) or else come from a cache
 * of a few seconds; the dequeue (which also checks capacity) shares a
 * batch with the other agents asking at the same moment; the reason for
 * "nothing" is worked out only when nothing was found.
 */
export async function nextCaseFor(
  userId: string,
  options: { rescore?: boolean; agent?: Omit<RoutingAgent, "openCasesByChannel"> } = {}
): Promise<NextCaseResult> {
  if (options.agent && options.agent.id !== userId) throw new Error("nextCaseFor: the agent's facts belong to someone else");
  return serialisedPerAgent(userId, async () => {
    if (options.rescore !== false) await rescoreDueCasesLazily();
    const [agent, capacities, context] = await Promise.all([
      options.agent ?? routingSkillsOf(userId),
      channelCapacities(),
      routingContext(),
    ]);
    if (!agent)
      return {
        ok: false,
        reason: "not_allowed",
        message: "Your account cannot take cases.",
      };
    const refusal = takingRefusal(agent);
    if (refusal) return { ok: false, ...refusal };
    const filter = routingFilterFor({ ...agent, openCasesByChannel: {} }, capacities, context);
    if ((filter.channelIds.length === 0 || filter.languages.length === 0) && filter.relaxed.length === 0)
      return {
        ok: false,
        reason: "no_skills",
        message: "You have no channel or language skills yet, so there is nothing for you. Ask a planner to grant them.",
      };
    const taken = await dequeueInBatches(dequeueRequestFor(userId, filter));
    if (taken) return { ok: true, caseId: taken.id, caseNumber: taken.number };
    const withHeld = await loadRoutingAgent(userId);
    if (withHeld && routingFilterFor(withHeld, capacities).channelIds.length === 0)
      return {
        ok: false,
        reason: "at_capacity",
        message: "You are at capacity on every channel you serve. Resolve or hand back a case first.",
      };
    return {
      ok: false,
      reason: "queue_empty",
      message: "Nothing for you right now: no open case matches your languages, channels and free slots. Try again in a minute.",
    };
  });
}

/**
 * Sets the agent's presence. `known` is the presence the request read with
 * its session: when it already says `online` (and lastSeenAt is recent, see
 * presence.ts), nothing is written.
 */
export async function setPresence(userId: string, online: boolean, options: { client?: Client; known?: KnownPresence | null } = {}): Promise<void> {
  const now = new Date();
  if (options.known !== undefined && !presenceNeedsWrite(options.known, online, now, heartbeatEveryMs())) return;
  await (options.client ?? db).agentPresence.upsert({
    where: { userId },
    update: { online, lastSeenAt: now },
    create: { userId, online, lastSeenAt: now },
  });
}

/** Online by choice and heard from within the allowed silence (see presence.server.ts). */
export async function isOnline(userId: string, client: Client = db): Promise<boolean> {
  return isPresent(await client.agentPresence.findUnique({ where: { userId } }), new Date(), presenceSilenceMs());
}

/**
 * Returns the agent's untouched cases to the queue: assigned to them, and no
 * event by them on the case since it was assigned (no reply, note, gesture).
 * One conditional statement: a case that meanwhile moved (escalated,
 * reassigned) no longer matches and is left alone. Stamped with the time of
 * the write. Returns the case ids.
 */
export async function returnUntouchedCases(userId: string, actorId: string | null, why: ReturnReason, client: Client = db): Promise<string[]> {
  const rows = await returnCasesToQueue(untouchedCasesOf(userId), actorId, why, client);
  return rows.map((r) => r.id);
}

/** Going offline, in one transaction: stop routing to the agent and hand back what they have not started. */
export async function goOffline(userId: string): Promise<{ returned: string[] }> {
  return inTransaction(async (tx) => {
    await setPresence(userId, false, { client: tx });
    const returned = await returnUntouchedCases(userId, userId, "offline", tx);
    await writeAudit(
      {
        actorId: userId,
        action: "presence.offline",
        subjectType: "User",
        subjectId: userId,
        data: { returned: returned.length },
      },
      tx,
    );
    return { returned };
  });
}

export class AssignmentError extends Error {}

/**
 * A supervisor assigns (or reassigns) a case by hand. The new assignee needs
 * the case's language and channel skills, and volunteers take simple cases
 * only; capacity is the supervisor's call, so it is reported, not enforced.
 * `assigneeId` null puts the case back in the queue.
 */
export async function assignCase(
  caseId: string,
  assigneeId: string | null,
  actor: { id: string },
  reason?: string
): Promise<{ from: string | null; to: string | null; note: string }> {
  return inTransaction(async (tx) => {
    const [kase] = await tx.$queryRaw<
      {
        id: string;
        status: string;
        assigneeId: string | null;
        channelId: string;
        language: string;
        complexity: CaseComplexity;
        topics: string[];
        escalationLevel: number;
      }[]
    >`
      SELECT id, status::text AS status, "assigneeId", "channelId", language, complexity, topics, "escalationLevel" FROM "Case" WHERE id = ${caseId} FOR UPDATE`;
    if (!kase) throw new AssignmentError("There is no case with this id.");
    if (kase.status === "resolved" || kase.status === "closed")
      throw new AssignmentError(`This case is ${kase.status}; reopen it before assigning it.`);
    let note = "";
    if (assigneeId) {
      if (assigneeId === kase.assigneeId) throw new AssignmentError("The case is already assigned to this person.");
      const [agent, capacities] = await Promise.all([loadRoutingAgent(assigneeId, tx), channelCapacities(tx)]);
      if (!agent) throw new AssignmentError("This person cannot take cases (unknown or disabled account).");
      const check = agentCanTake({ ...agent, openCasesByChannel: {} }, kase, capacities);
      if (!check.ok) throw new AssignmentError(check.reason);
      const capacity = agentCanTake(agent, kase, capacities);
      note = capacity.ok ? "" : capacity.reason;
      if (kase.escalationLevel > 0) {
        // An escalated case goes only to someone who works at its level or above.
        const levels = await loadEscalationLevels(tx);
        const role = (await tx.user.findUnique({ where: { id: assigneeId }, select: { role: true } }))?.role;
        if (!role || !mayWorkEscalation(levelOfRole(role, levels), kase.escalationLevel))
          throw new AssignmentError(`This case is escalated to ${levelName(kase.escalationLevel, levels).toLowerCase()}; choose someone who works at that level.`);
      }
    }
    // The row is locked, so the state read above is the state changed here.
    const type = !assigneeId ? "returned_to_queue" : kase.assigneeId ? "reassigned" : "assigned";
    await changeCaseState(
      caseId,
      { status: kase.status as CaseStatus, assigneeId: kase.assigneeId },
      assigneeId
        ? { assigneeId, assignedAt: true, ...(kase.status === "open" || kase.status === "escalated" ? { status: "assigned" as const } : {}) }
        : { assigneeId: null, assignedAt: null, status: kase.escalationLevel > 0 ? "escalated" : "open" },
      {
        type,
        actorId: actor.id,
        data: { from: kase.assigneeId, to: assigneeId, reason: reason ?? null, note: note || null, via: "supervisor" },
      },
      tx,
    );
    // The escalation follows the case: taken by the expert, or waiting again in its level's queue.
    if (kase.escalationLevel > 0) {
      if (assigneeId) await markEscalationTaken(tx, caseId, assigneeId);
      else await tx.escalation.updateMany({ where: { caseId, status: "taken" }, data: { status: "open", expertId: null, takenAt: null } });
    }
    await writeAudit(
      {
        actorId: actor.id,
        action: `case.${type}`,
        subjectType: "Case",
        subjectId: caseId,
        data: { from: kase.assigneeId, to: assigneeId },
      },
      tx
    );
    return { from: kase.assigneeId, to: assigneeId, note };
  });
}

/** People a supervisor can pick when assigning this case: everyone the routing rules let take it (capacity aside). */
export async function assignableAgents(kase: { channelId: string; language: string; complexity: CaseComplexity; topics: string[] }) {
  const users = await db.user.findMany({
    where: {
      status: "active",
      role: { in: [...CASE_TAKING_ROLES] },
      AND: [{ skills: { some: { skillId: `channel:${kase.channelId}` } } }, { skills: { some: { skillId: `language:${kase.language}` } } }],
    },
    select: {
      id: true,
      name: true,
      role: true,
      presence: { select: { online: true, lastSeenAt: true } },
    },
    orderBy: { name: "asc" },
    take: 200,
  });
  const facts = await loadRoutingFacts(db, users.map((u) => u.id));
  const now = new Date();
  return users
    .filter((_, index) => {
      const agent = facts[index];
      return agent !== null && agent !== undefined && agentCanTake({ ...agent, openCasesByChannel: {} }, kase, { [kase.channelId]: 1 }).ok;
    })
    .map((u) => ({
      id: u.id,
      name: u.name,
      role: u.role,
      online: isPresent(u.presence, now, presenceSilenceMs()),
    }));
}

/** Cases the agent holds now (for the presence page). */
export async function heldCases(userId: string) {
  return db.case.findMany({
    where: { assigneeId: userId, status: { in: [...HANDLED_CASE_STATUSES] } },
    select: {
      id: true,
      number: true,
      subject: true,
      channelId: true,
      status: true,
      assignedAt: true,
    },
    orderBy: { assignedAt: "asc" },
  });
}
