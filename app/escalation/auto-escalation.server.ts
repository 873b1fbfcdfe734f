// The automatic escalation job, run by every app instance (queue upkeep):
// a case held at the ordinary level by someone who works at no escalation
// level (a volunteer) goes up a level when they have held it longer than the
// configured time without a reply, or when its due time is breached. Each
// batch is one statement that locks the rows it picks and skips rows another
// instance holds (FOR UPDATE SKIP LOCKED), and the update checks the state
// again, so two instances never escalate the same case twice.
import { Prisma, type Role } from "@prisma/client";
import { db } from "~/db/db.server";
import { publishLiveMany } from "~/live/live.server";
import { AUTOMATIC_REASONS, type AutomaticReason } from "./escalation";
import type { EscalationSettings } from "./escalation-settings.server";
import { levelOfRole, nextLevelAbove } from "./levels";
import { loadEscalationLevels } from "./levels.server";

const BATCH = 200;
const ROLES: Role[] = ["planner", "volunteer", "agent", "supervisor", "admin"];

type Settings = Pick<EscalationSettings, "heldWithoutReplyMinutes" | "escalateOnBreach">;

async function escalateBatch(reason: AutomaticReason, condition: Prisma.Sql, target: number, holderRoles: Role[]) {
  const rows = await db.$queryRaw<{ id: string; holder: string }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    picked AS (
      SELECT c.id, c."assigneeId" FROM "Case" c JOIN "User" u ON u.id = c."assigneeId"
      WHERE c.status = 'assigned' AND c."escalationLevel" = 0 AND u.role::text = ANY(${holderRoles}::text[]) AND ${condition}
      ORDER BY c."assignedAt"
      LIMIT ${BATCH}
      FOR UPDATE OF c SKIP LOCKED
    ), moved AS (
      UPDATE "Case" c SET status = 'escalated', "assigneeId" = NULL, "assignedAt" = NULL, "escalationLevel" = ${target}, "updatedAt" = now.at
      FROM picked, now
      WHERE c.id = picked.id AND c.status = 'assigned' AND c."assigneeId" = picked."assigneeId"
      RETURNING c.id, picked."assigneeId" AS holder
    ), escalated AS (
      INSERT INTO "Escalation" (id, "caseId", "raisedById", reason, "reasonCode", automatic, "fromLevel", "toLevel", status, "createdAt")
      SELECT 'x' || replace(gen_random_uuid()::text, '-', ''), moved.id, moved.holder, ${AUTOMATIC_REASONS[reason]}, ${reason}, true, 0, ${target}, 'open', now.at
      FROM moved, now
      RETURNING id, "caseId"
    ), logged AS (
      INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
      SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), escalated."caseId", 'escalated', NULL,
             jsonb_build_object('escalationId', escalated.id, 'reason', ${reason}::text, 'automatic', true, 'toLevel', ${target}::int), now.at
      FROM escalated, now
    )
    SELECT id, holder FROM moved`;
  return rows;
}

/** One pass of the job; returns the cases escalated per reason. */
export async function runAutoEscalation(settings: Settings): Promise<Record<"heldTooLong" | "dueBreached", string[]>> {
  const result = { heldTooLong: [] as string[], dueBreached: [] as string[] };
  if (settings.heldWithoutReplyMinutes <= 0 && !settings.escalateOnBreach) return result;
  const levels = await loadEscalationLevels();
  const target = nextLevelAbove(0, levels);
  if (!target) return result;
  // Holders who work at no escalation level: the ones whose cases go up.
  const holderRoles = ROLES.filter((role) => levelOfRole(role, levels) === 0);
  const moved: { id: string; holder: string }[] = [];
  if (settings.heldWithoutReplyMinutes > 0) {
    const rows = await escalateBatch(
      "auto_held_too_long",
      Prisma.sql`c."assignedAt" < (clock_timestamp() AT TIME ZONE 'UTC') - make_interval(mins => ${settings.heldWithoutReplyMinutes}::int)
        AND NOT EXISTS (SELECT 1 FROM "CaseEvent" r WHERE r."caseId" = c.id AND r.type = 'replied' AND r."createdAt" >= c."assignedAt")`,
      target.level,
      holderRoles,
    );
    result.heldTooLong = rows.map((r) => r.id);
    moved.push(...rows);
  }
  if (settings.escalateOnBreach) {
    const rows = await escalateBatch(
      "auto_due_breached",
      Prisma.sql`((c."firstRespondedAt" IS NULL AND c."firstResponseDueAt" < (clock_timestamp() AT TIME ZONE 'UTC'))
          OR (c."resolvedAt" IS NULL AND c."resolutionDueAt" < (clock_timestamp() AT TIME ZONE 'UTC')))
        AND NOT EXISTS (SELECT 1 FROM "Escalation" x WHERE x."caseId" = c.id AND x."reasonCode" = 'auto_due_breached')`,
      target.level,
      holderRoles,
    );
    result.dueBreached = rows.map((r) => r.id);
    moved.push(...rows);
  }
  // Tell each holder's console that the case left them (after the statements committed).
  await publishLiveMany(db, moved.map((row) => ({ kind: "case_assigned" as const, caseId: row.id, userIds: [row.holder] })));
  return result;
}
