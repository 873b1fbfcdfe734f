// A customer writes again on a case that waits for them (on hold) or that was
// resolved recently: the case comes back to the same agent if they are
// online and have a free slot on its channel, else to the queue. Runs inside
// intake's transaction.
import type { Prisma } from "@prisma/client";
import { freeSlotsOnChannel, lockAgentsForRouting } from "~/cases/agent-slots.server";
import { publishLiveMany } from "~/live/live.server";

/** Statuses a customer message brings back to work. */
export const RETURNING_STATUSES = ["on_hold", "resolved"] as const;

interface Returning {
  id: string;
  channelId: string;
  was: string;
  /** Who held it (or holds it on hold), when they are online and active. */
  agent: string | null;
}

export async function returnCasesOnCustomerMessage(tx: Prisma.TransactionClient, caseIds: readonly string[]): Promise<{ id: string; to: string | null }[]> {
  if (caseIds.length === 0) return [];
  const returning = await tx.$queryRaw<Returning[]>`
    SELECT c.id, c."channelId", c.status::text AS was, CASE WHEN p.online AND u.status = 'active' THEN coalesce(c."assigneeId", c."holdAgentId") END AS agent
    FROM "Case" c
    LEFT JOIN "AgentPresence" p ON p."userId" = coalesce(c."assigneeId", c."holdAgentId")
    LEFT JOIN "User" u ON u.id = coalesce(c."assigneeId", c."holdAgentId")
    WHERE c.id = ANY(${[...caseIds]}::text[]) AND c.status IN ('on_hold', 'resolved')
    ORDER BY c.id
    FOR UPDATE OF c`;
  // Each agent gets back as many of their cases as they have free slots on its channel (oldest id first).
  const agents = returning.flatMap((c) => (c.agent ? [c.agent] : []));
  await lockAgentsForRouting(tx, agents);
  const free = new Map<string, number>();
  const moves: { id: string; was: string; agent: string | null }[] = [];
  for (const kase of returning) {
    let agent: string | null = null;
    if (kase.agent) {
      const key = `${kase.agent}\u0000${kase.channelId}`;
      const left = free.get(key) ?? (await freeSlotsOnChannel(tx, kase.agent, kase.channelId, caseIds));
      if (left > 0) agent = kase.agent;
      free.set(key, Math.max(0, left - 1));
    }
    moves.push({ id: kase.id, was: kase.was, agent });
  }
  const returned = await tx.$queryRaw<{ id: string; to: string | null }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    routed AS (SELECT * FROM jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) AS r(id text, was text, agent text)),
    moved AS (
      UPDATE "Case" c SET
        status = CASE WHEN r.agent IS NULL THEN 'open'::"CaseStatus" ELSE 'assigned'::"CaseStatus" END,
        "assigneeId" = r.agent,
        "assignedAt" = CASE WHEN r.agent IS NULL THEN NULL ELSE now.at END,
        "holdUntil" = NULL, "holdAgentId" = NULL, "resolvedAt" = NULL, "updatedAt" = now.at
      FROM routed r, now
      WHERE c.id = r.id
      RETURNING c.id, r.agent, r.was
    ), logged AS (
      INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
      SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), m.id, 'reopened', NULL,
             jsonb_build_object('why', 'customer_message', 'was', m.was, 'to', coalesce(m.agent, 'queue')), now.at
      FROM moved m, now
    )
    SELECT id, agent AS "to" FROM moved`;
  // The agent it went back to hears of it at once.
  await publishLiveMany(
    tx,
    returned.filter((row) => row.to).map((row) => ({ kind: "case_assigned" as const, caseId: row.id, userIds: [row.to!] })),
  );
  return returned;
}
