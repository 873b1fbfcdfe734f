// Due-time upkeep, run by every instance's background jobs in small batches
// that skip rows another transaction holds (a dequeue never waits on them):
// breaches are recorded once per case, and a case on hold past its time frees
// its agent's slot (it keeps the agent it returns to).
import { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import type { ServiceTargetMinutes } from "./due-times";

const BATCH = 500;

/** Per service target: when it fell due, whether it was met, where its breach is recorded. */
const TARGET_COLUMNS = {
  firstResponse: { dueAt: "firstResponseDueAt", metAt: "firstRespondedAt", breachedAt: "firstResponseBreachedAt" },
  resolution: { dueAt: "resolutionDueAt", metAt: "resolvedAt", breachedAt: "resolutionBreachedAt" },
} as const;

/**
 * Records up to a batch of breaches of one target on cases still being
 * worked. Each target's due time has a partial index of the cases this reads
 * (prisma/migrations: firstResponseDueAt, resolutionDueAt), so a run never
 * reads the whole case table.
 */
export function targetBreachesSql(target: keyof typeof TARGET_COLUMNS): Prisma.Sql {
  const { dueAt, metAt, breachedAt } = TARGET_COLUMNS[target];
  const [due, met, breached] = [dueAt, metAt, breachedAt].map((column) => Prisma.raw(`"${column}"`));
  return Prisma.sql`
    UPDATE "Case" SET ${breached} = ${due}
    WHERE id IN (
      SELECT id FROM "Case"
      WHERE ${breached} IS NULL AND ${met} IS NULL
        AND ${due} < (now() AT TIME ZONE 'UTC') AND status IN ('open', 'assigned', 'on_hold', 'escalated')
      LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)`;
}

function recordTargetBreaches(target: keyof typeof TARGET_COLUMNS): Promise<number> {
  return db.$executeRaw(targetBreachesSql(target));
}

export async function recordBreaches(): Promise<{ firstResponse: number; resolution: number }> {
  const firstResponse = await recordTargetBreaches("firstResponse");
  const resolution = await recordTargetBreaches("resolution");
  return { firstResponse, resolution };
}

export async function releaseHeldSlots(): Promise<number> {
  const rows = await db.$queryRaw<{ id: string }[]>`
    WITH now AS (SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) AS at),
    released AS (
      UPDATE "Case" c SET "assigneeId" = NULL, "updatedAt" = now.at
      FROM now
      WHERE c.id IN (
        SELECT id FROM "Case"
        WHERE status = 'on_hold' AND "assigneeId" IS NOT NULL AND "holdUntil" <= (now() AT TIME ZONE 'UTC')
        LIMIT ${BATCH} FOR UPDATE SKIP LOCKED)
      RETURNING c.id, c."holdAgentId"
    ), logged AS (
      INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
      SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), r.id, 'hold_slot_released', NULL,
             jsonb_build_object('agent', r."holdAgentId"), now.at
      FROM released r, now
    )
    SELECT id FROM released`;
  return rows.length;
}

export async function listServiceTargets(): Promise<ServiceTargetMinutes[]> {
  return db.serviceTarget.findMany({ orderBy: { tier: "asc" }, select: { tier: true, firstResponseMinutes: true, resolutionMinutes: true } });
}

/** Saves the targets; cases keep the due times they were given at arrival. */
export async function saveServiceTargets(targets: readonly ServiceTargetMinutes[]): Promise<void> {
  await db.$transaction(
    targets.map((target) =>
      db.serviceTarget.upsert({
        where: { tier: target.tier },
        update: { firstResponseMinutes: target.firstResponseMinutes, resolutionMinutes: target.resolutionMinutes },
        create: target,
      }),
    ),
  );
}

/** Gives due times to waiting cases that have none (rows written outside intake, such as the demo seed). */
export async function giveMissingDueTimes(client: Pick<typeof db, "$executeRaw"> = db): Promise<number> {
  return client.$executeRaw`
    UPDATE "Case" c SET
      "firstResponseDueAt" = c."receivedAt" + make_interval(mins => t."firstResponseMinutes"),
      "resolutionDueAt" = c."receivedAt" + make_interval(mins => t."resolutionMinutes")
    FROM "ServiceTarget" t
    WHERE t.tier = c."priorityTier" AND c."firstResponseDueAt" IS NULL AND c.status IN ('open', 'assigned', 'on_hold', 'escalated')`;
}
