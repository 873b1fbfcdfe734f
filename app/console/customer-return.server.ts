// A customer writes again on a case that waits for them (on hold) or that was
// resolved recently: the case comes back to the same agent if they are
// online, else to the queue. Runs inside intake's transaction.
import type { Prisma } from "@prisma/client";
import { publishLiveMany } from "~/live/live.server";

/** Statuses a customer message brings back to work. */
export const RETURNING_STATUSES = ["on_hold", "resolved"] as const;

export async function returnCasesOnCustomerMessage(tx: Prisma.TransactionClient, caseIds: readonly string[]): Promise<{ id: string; to: string | null }[]> {
  if (caseIds.length === 0) return [];
  const returned = await tx.$queryRaw<{ id: string; to: string | null }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    target AS (
      SELECT c.id, coalesce(c."assigneeId", c."holdAgentId") AS agent, c.status AS was
      FROM "Case" c
      WHERE c.id = ANY(${[...caseIds]}::text[]) AND c.status IN ('on_hold', 'resolved')
      ORDER BY c.id
      FOR UPDATE
    ), routed AS (
      SELECT t.id, t.was, CASE WHEN p.online AND u.status = 'active' THEN t.agent END AS agent
      FROM target t
      LEFT JOIN "AgentPresence" p ON p."userId" = t.agent
      LEFT JOIN "User" u ON u.id = t.agent
    ), moved AS (
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
             jsonb_build_object('why', 'customer_message', 'was', m.was::text, 'to', coalesce(m.agent, 'queue')), now.at
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
