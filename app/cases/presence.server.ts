// Presence and the time-outs of routing after assignment (issue 15, point 7):
// - the open console's /live stream is the heartbeat: it refreshes
//   AgentPresence.lastSeenAt while it is open (and "Next case" and opening a
//   case count as signs of life);
// - an online agent not heard from for SURGE_PRESENCE_SILENCE_SECONDS is set
//   offline and their untouched cases go back to the queue;
// - a case assigned to someone who does not open it within
//   SURGE_PUSH_TIMEOUT_SECONDS goes back to the queue (the push time-out);
// - signing out, or a session that expired, hands back untouched cases.
// The jobs run in every app instance (queue-upkeep.server.ts): each acts
// through conditional statements that lock with SKIP LOCKED, so two
// instances never act twice on one agent or case.
import { Prisma } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { inTransaction } from "~/db/transactions.server";
import { returnCasesToQueue, untouchedCasesOf } from "./return-to-queue.server";

type Client = Prisma.TransactionClient | typeof db;

function secondsFromEnv(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value >= 0 && process.env[name] !== "" ? value : fallback;
}

/** Silence after which an online agent counts as offline (default 60 s: three missed heartbeats). */
export function presenceSilenceMs(): number {
  return secondsFromEnv("SURGE_PRESENCE_SILENCE_SECONDS", 60) * 1000;
}

/** How long an assignee has to open a case before it goes back to the queue (default 120 s; 0 turns it off). */
export function pushTimeoutMs(): number {
  return secondsFromEnv("SURGE_PUSH_TIMEOUT_SECONDS", 120) * 1000;
}

/** How often the open console's stream refreshes presence (a third of the silence, at most 20 s). */
export function heartbeatEveryMs(): number {
  return Math.max(1000, Math.min(20_000, Math.floor(presenceSilenceMs() / 3)));
}

/** A sign of life: refreshes lastSeenAt, leaving online/offline as the agent chose. */
export async function heartbeat(userId: string, client: Client = db): Promise<void> {
  await client.$executeRaw`
    INSERT INTO "AgentPresence" ("userId", online, "lastSeenAt")
    VALUES (${userId}, false, (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3))
    ON CONFLICT ("userId") DO UPDATE SET "lastSeenAt" = EXCLUDED."lastSeenAt"`;
}

/**
 * The assignee opened the case: stamps openedAt once per assignment (the
 * push time-out then leaves it alone). Nothing for anyone else.
 */
export async function markOpenedByAssignee(caseId: string, userId: string, client: Client = db): Promise<boolean> {
  const changed = await client.$executeRaw`
    UPDATE "Case" SET "openedAt" = (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
    WHERE id = ${caseId} AND "assigneeId" = ${userId} AND status = 'assigned'
      AND ("openedAt" IS NULL OR "openedAt" < "assignedAt")`;
  return changed > 0;
}

/**
 * Agents online but silent for longer than `silenceMs` go offline, and their
 * untouched cases back to the queue, in one transaction per run. The flip
 * locks each presence row with SKIP LOCKED and only flips rows still online,
 * so a second instance running the same job at once finds nothing to do.
 */
export async function lapseSilentAgents(silenceMs: number = presenceSilenceMs()): Promise<{ agents: string[]; returned: string[] }> {
  return inTransaction(async (tx) => {
    const lapsed = await tx.$queryRaw<{ userId: string }[]>`
      WITH silent AS (
        SELECT p."userId" FROM "AgentPresence" p
        WHERE p.online AND p."lastSeenAt" < (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) - make_interval(secs => ${silenceMs / 1000})
        LIMIT 500
        FOR UPDATE SKIP LOCKED
      )
      UPDATE "AgentPresence" p SET online = false FROM silent WHERE p."userId" = silent."userId"
      RETURNING p."userId"`;
    if (lapsed.length === 0) return { agents: [], returned: [] };
    const agents = lapsed.map((row) => row.userId);
    const returned = await returnCasesToQueue(untouchedCasesOf(agents), null, "presence_lapsed", tx);
    return { agents, returned: returned.map((row) => row.id) };
  });
}

/**
 * The push time-out: cases assigned longer than `timeoutMs` ago that their
 * assignee has not opened since go back to the queue (at most 500 a run).
 */
export async function returnUnopenedCases(timeoutMs: number = pushTimeoutMs()): Promise<string[]> {
  if (timeoutMs <= 0) return [];
  const rows = await returnCasesToQueue(
    Prisma.sql`
      SELECT c.id, c."assigneeId" FROM "Case" c
      WHERE c.status = 'assigned' AND c."assigneeId" IS NOT NULL
        AND c."assignedAt" < (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3) - make_interval(secs => ${timeoutMs / 1000})
        AND (c."openedAt" IS NULL OR c."openedAt" < c."assignedAt")
      LIMIT 500`,
    null,
    "push_timeout",
  );
  return rows.map((row) => row.id);
}

/**
 * Sessions that expired: their rows are deleted (each by exactly one
 * instance), and whoever is left with no live session gets their untouched
 * cases returned and goes offline.
 */
export async function returnCasesOfEndedSessions(): Promise<{ agents: string[]; returned: string[] }> {
  return inTransaction(async (tx) => {
    const ended = await tx.$queryRaw<{ userId: string }[]>`
      WITH expired AS (
        SELECT s.id FROM "Session" s
        WHERE s."expiresAt" <= (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
        LIMIT 500
        FOR UPDATE SKIP LOCKED
      ), deleted AS (
        DELETE FROM "Session" s USING expired WHERE s.id = expired.id RETURNING s."userId"
      )
      SELECT DISTINCT d."userId" FROM deleted d
      WHERE NOT EXISTS (
        SELECT 1 FROM "Session" live
        WHERE live."userId" = d."userId" AND live."expiresAt" > (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
      )`;
    if (ended.length === 0) return { agents: [], returned: [] };
    const agents = ended.map((row) => row.userId);
    await tx.agentPresence.updateMany({ where: { userId: { in: agents } }, data: { online: false } });
    const returned = await returnCasesToQueue(untouchedCasesOf(agents), null, "session_expired", tx);
    return { agents, returned: returned.map((row) => row.id) };
  });
}

/** Signing out: offline, and the untouched cases back to the queue (before the session ends). */
export async function signOutFromRouting(userId: string): Promise<string[]> {
  return inTransaction(async (tx) => {
    await tx.agentPresence.updateMany({ where: { userId }, data: { online: false } });
    const returned = await returnCasesToQueue(untouchedCasesOf(userId), userId, "signed_out", tx);
    if (returned.length)
      await writeAudit({ actorId: userId, action: "presence.signed_out", subjectType: "User", subjectId: userId, data: { returned: returned.length } }, tx);
    return returned.map((row) => row.id);
  });
}
