// An agent's slots on a channel, counted as "Next case" counts them (the
// cases they hold in SLOT_STATUSES against the channel's per-agent limit)
// and under the same per-agent lock, so two paths that hand the same agent a
// case at the same moment cannot both take their last slot. Used where a case
// goes to a chosen person without "Next case": a customer's message bringing
// a case back, an expert's hand-back, taking a case back from hold.
import type { Prisma } from "@prisma/client";
import { SLOT_STATUSES } from "./routing";

type Tx = Prisma.TransactionClient;

/**
 * Takes each agent's routing lock (the one the surge_next_cases function
 * takes), in one fixed order so that two transactions cannot deadlock; held
 * until the transaction ends. Count slots in a later statement: it then sees
 * whatever committed before the lock was granted.
 */
export async function lockAgentsForRouting(tx: Tx, agentIds: readonly string[]): Promise<void> {
  const ids = [...new Set(agentIds)];
  if (ids.length === 0) return;
  await tx.$queryRaw`
    SELECT count(pg_advisory_xact_lock(hashtextextended(agent, 0)))::int AS locked
    FROM (SELECT DISTINCT unnest(${ids}::text[]) AS agent ORDER BY 1) AS agents`;
}

/**
 * How many more cases of the channel the agent may hold now (0 when none,
 * or when the channel is unknown). `exceptCaseIds` are not counted: cases
 * on their way back to the agent, whose place is being decided.
 */
export async function freeSlotsOnChannel(tx: Tx, agentId: string, channelId: string, exceptCaseIds: readonly string[] = []): Promise<number> {
  const [row] = await tx.$queryRaw<{ free: number }[]>`
    SELECT (ch."maxConcurrentPerAgent" - (
      SELECT count(*) FROM "Case" h
      WHERE h."assigneeId" = ${agentId} AND h."channelId" = ch.id
        AND h.status = ANY(${[...SLOT_STATUSES]}::"CaseStatus"[]) AND NOT (h.id = ANY(${[...exceptCaseIds]}::text[]))
    ))::int AS free
    FROM "Channel" ch WHERE ch.id = ${channelId}`;
  return Math.max(0, row?.free ?? 0);
}

/** One agent's free slots on a channel, counted under their routing lock (held until the transaction ends). */
export async function lockedFreeSlots(tx: Tx, agentId: string, channelId: string): Promise<number> {
  await lockAgentsForRouting(tx, [agentId]);
  return freeSlotsOnChannel(tx, agentId, channelId);
}
