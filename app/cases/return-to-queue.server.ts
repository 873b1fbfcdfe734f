// Handing assigned cases back to the queue they came from, for every path
// that does it without the agent (going offline, a lapsed heartbeat, the
// push time-out, a session that ended): one statement that locks the chosen
// cases with SKIP LOCKED (two app instances running the same job never wait
// for each other nor both act on one case), puts each back where it waited
// (an escalated case, escalationLevel >= 1, back in its escalation queue and
// its Escalation row open again; any other case open), and appends a
// `returned_to_queue` event saying why, stamped with the time of the write.
import { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import type { ReturnReason } from "./return-reasons";

export type { ReturnReason } from "./return-reasons";

type Client = Prisma.TransactionClient | typeof db;

/**
 * Returns the cases `candidates` selects (a SELECT of "Case" rows aliased c
 * that yields c.id and c."assigneeId"; it must keep c.status = 'assigned' in
 * its WHERE).
 * `from` in the event is the assignee the case leaves. Returns the case ids.
 */
export async function returnCasesToQueue(candidates: Prisma.Sql, actorId: string | null, why: ReturnReason, client: Client = db): Promise<{ id: string; from: string }[]> {
  return client.$queryRaw<{ id: string; from: string }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    due AS (${candidates} FOR UPDATE OF c SKIP LOCKED),
    returned AS (
      UPDATE "Case" c
      SET status = CASE WHEN c."escalationLevel" >= 1 THEN 'escalated'::"CaseStatus" ELSE 'open'::"CaseStatus" END,
          "assigneeId" = NULL, "assignedAt" = NULL, "updatedAt" = now.at
      FROM now, due
      WHERE c.id = due.id AND c.status = 'assigned'
      RETURNING c.id, due."assigneeId" AS "from", c.status
    ), reopened AS (
      UPDATE "Escalation" e SET status = 'open', "expertId" = NULL, "takenAt" = NULL
      FROM returned
      WHERE e."caseId" = returned.id AND returned.status = 'escalated' AND e.status = 'taken'
    ), logged AS (
      INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
      SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), returned.id, 'returned_to_queue', ${actorId},
             jsonb_build_object('from', returned."from", 'why', ${why}::text, 'to', returned.status::text), now.at
      FROM returned, now
    )
    SELECT id, "from" FROM returned`;
}

/** Cases held by the agent(s) and not touched since assignment: no event by them but the assignment (no reply, note, gesture). */
export function untouchedCasesOf(agents: string | readonly string[]): Prisma.Sql {
  const ids = typeof agents === "string" ? [agents] : [...agents];
  return Prisma.sql`
    SELECT c.id, c."assigneeId" FROM "Case" c
    WHERE c."assigneeId" = ANY(${ids}::text[]) AND c.status = 'assigned'
      AND NOT EXISTS (
        SELECT 1 FROM "CaseEvent" e
        WHERE e."caseId" = c.id AND e."actorId" = c."assigneeId" AND e.type <> 'assigned'
          AND (c."assignedAt" IS NULL OR e."createdAt" >= c."assignedAt")
      )`;
}
