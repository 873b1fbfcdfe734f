// The "bot" against the database: the stale sweep, holding replies for the
// back of the queue, reopening what the bot closed (everything it does is
// reversible), the counts the bot page shows, and reclassification.
import type { CaseComplexity } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { queueCustomerMessages } from "~/delivery/outbox.server";
import { escalateAutomatically } from "~/escalation/escalation.server";
import { changeCaseState } from "./case-state.server";
import { HANDLED_CASE_STATUSES } from "./case-fields";
import { holdingReplyFor } from "./customer-replies";
import { loadRuleSet } from "./rule-sets.server";
import { DEFAULT_TIME_BOUND_TOPICS, findStaleCases } from "./stale-sweep";

export const BOT_CLOSE_EVENTS = ["deflected", "swept"] as const;

/**
 * Closes stale open cases (flight departed and question time-bound; duplicate
 * of a case being handled), recording the reason and telling the customer
 * (a "swept" event carries the message sent). Returns what was closed.
 */
export async function runStaleSweep(now: Date = new Date(), actorId: string | null = null) {
  const nowIso = now.toISOString();
  // Candidates only: departed flights, and open cases whose customer and booking have a case being handled.
  const departed = await db.case.findMany({
    where: { status: "open", departureAt: { lte: now }, topics: { isEmpty: false } },
    select: { id: true, language: true, customerId: true, bookingReference: true, departureAt: true, subject: true, topics: true },
    take: 5000,
  });
  const duplicates = await db.$queryRaw<
    { id: string; language: string; customerId: string; bookingReference: string | null; departureAt: Date | null; subject: string; topics: string[] }[]
  >`
    SELECT o.id, o.language, o."customerId", o."bookingReference", o."departureAt", o.subject, o.topics
    FROM "Case" o
    WHERE o.status = 'open' AND o."bookingReference" IS NOT NULL
      AND EXISTS (SELECT 1 FROM "Case" h WHERE h."customerId" = o."customerId" AND h."bookingReference" = o."bookingReference"
                  AND h.status IN ('assigned', 'escalated', 'on_hold') AND h.id <> o.id)
    LIMIT 5000`;
  const byId = new Map([...departed, ...duplicates].map((c) => [c.id, c]));
  const openCases = [...byId.values()];
  const handled = openCases.length
    ? await db.case.findMany({
        where: {
          status: { in: [...HANDLED_CASE_STATUSES] },
          customerId: { in: [...new Set(openCases.map((c) => c.customerId))] },
          bookingReference: { not: null },
        },
        select: { id: true, customerId: true, bookingReference: true, subject: true, status: true },
      })
    : [];
  const stale = findStaleCases(openCases, handled, now, { timeBoundTopics: DEFAULT_TIME_BOUND_TOPICS });
  if (stale.length === 0) return { closed: [] as { caseId: string; reason: string }[] };
  // Closed in small batches, each its own transaction, skipping cases locked
  // right now (an agent is taking it; if it stays open, the next sweep closes it).
  const done: typeof stale = [];
  for (let start = 0; start < stale.length; start += QUEUE_BATCH_SIZE) {
    const batch = stale.slice(start, start + QUEUE_BATCH_SIZE);
    await db.$transaction(async (tx) => {
      const closed = await tx.$queryRaw<{ id: string }[]>`
        UPDATE "Case" SET status = 'closed', "closedAt" = ${nowIso}::timestamp(3), "updatedAt" = ${nowIso}::timestamp(3),
          "closeReason" = v.reason
        FROM unnest(${batch.map((s) => s.caseId)}::text[], ${batch.map((s) => `stale: ${s.reason}${s.duplicateOf ? ` of ${s.duplicateOf}` : ""}`)}::text[]) AS v(id, reason)
        WHERE "Case".id = v.id AND "Case".id IN (
          SELECT id FROM "Case" WHERE id = ANY(${batch.map((s) => s.caseId)}::text[]) AND status = 'open' FOR UPDATE SKIP LOCKED
        )
        RETURNING "Case".id`;
      const closedIds = new Set(closed.map((c) => c.id));
      const closedNow = batch.filter((s) => closedIds.has(s.caseId));
      await tx.caseEvent.createMany({
        data: closedNow.map((s) => ({
          caseId: s.caseId,
          type: "swept",
          actorId,
          createdAt: now,
          data: { reason: s.reason, duplicateOf: s.duplicateOf ?? null, customerMessage: s.customerMessage },
        })),
      });
      // The closing message leaves through the outbox with the close, or not at all.
      await queueCustomerMessages(
        tx,
        closedNow.map((s) => ({
          caseId: s.caseId,
          sender: "bot" as const,
          authorId: null,
          kind: "closing",
          language: byId.get(s.caseId)?.language ?? "en",
          body: s.customerMessage,
        })),
      );
      done.push(...closedNow);
    });
  }
  if (done.length > 0) await writeAudit({ actorId, action: "bot.sweep", subjectType: "Case", data: { closed: done.length } });
  stale.splice(0, stale.length, ...done);
  return { closed: stale.map((s) => ({ caseId: s.caseId, reason: s.reason })) };
}

/**
 * Sends the holding reply to one case at most once: the conditional update
 * on holdingReplySentAt IS NULL decides, so concurrent callers cannot both
 * send it. Returns whether this call sent it.
 */
export async function sendHoldingReply(caseId: string, now: Date = new Date()): Promise<boolean> {
  return db.$transaction(async (tx) => {
    const claimed = await tx.case.updateMany({
      where: { id: caseId, holdingReplySentAt: null, status: "open" },
      data: { holdingReplySentAt: now },
    });
    if (claimed.count === 0) return false;
    const kase = await tx.case.findUniqueOrThrow({ where: { id: caseId }, select: { language: true } });
    const message = holdingReplyFor(kase.language);
    await tx.caseEvent.create({
      data: { caseId, type: "holding_reply", createdAt: now, data: { language: kase.language, message } },
    });
    await queueCustomerMessages(tx, [{ caseId, sender: "bot", authorId: null, kind: "holding", language: kase.language, body: message }]);
    return true;
  });
}

/**
 * Background work on the open queue claims this many cases per transaction
 * (FOR UPDATE SKIP LOCKED), so it never waits for a dequeue and holds row
 * locks for a few milliseconds only: a dequeue skips locked rows, and a
 * single transaction over thousands of cases left agents with free slots
 * told "Nothing for you" while it ran.
 */
export const QUEUE_BATCH_SIZE = 100;

/**
 * Holding replies for the back of the queue: open cases in the least urgent
 * tier(s) (tier >= minTier, default the fallback tier) waiting at least
 * `waitingMinutes`, that have not had one. Claimed and logged in small
 * batches, each its own transaction.
 */
export async function sendHoldingReplies(options: { now?: Date; minTier?: number; waitingMinutes?: number; limit?: number; batchSize?: number } = {}) {
  const now = options.now ?? new Date();
  const minTier = options.minTier ?? (await loadRuleSet("priority")).ruleSet.fallbackTier;
  const waitedSince = new Date(now.getTime() - (options.waitingMinutes ?? 30) * 60_000).toISOString();
  const nowIso = now.toISOString();
  const limit = options.limit ?? 10_000;
  const batchSize = Math.max(1, options.batchSize ?? QUEUE_BATCH_SIZE);
  let sent = 0;
  while (sent < limit) {
    const claimed = await db.$transaction(async (tx) => {
      const rows = await tx.$queryRaw<{ id: string; language: string }[]>`
        UPDATE "Case" SET "holdingReplySentAt" = ${nowIso}::timestamp(3)
        WHERE id IN (
          SELECT id FROM "Case"
          WHERE status = 'open' AND "holdingReplySentAt" IS NULL AND "priorityTier" >= ${minTier}
            AND "receivedAt" <= ${waitedSince}::timestamp(3)
          LIMIT ${Math.min(batchSize, limit - sent)}
          FOR UPDATE SKIP LOCKED
        ) AND "holdingReplySentAt" IS NULL
        RETURNING id, language`;
      if (rows.length)
        await tx.caseEvent.createMany({
          data: rows.map((c) => ({
            caseId: c.id,
            type: "holding_reply",
            createdAt: now,
            data: { language: c.language, message: holdingReplyFor(c.language) },
          })),
        });
      if (rows.length)
        await queueCustomerMessages(
          tx,
          rows.map((c) => ({ caseId: c.id, sender: "bot" as const, authorId: null, kind: "holding", language: c.language, body: holdingReplyFor(c.language) })),
        );
      return rows.length;
    });
    sent += claimed;
    if (claimed === 0) break;
  }
  return { sent };
}

export class ReopenError extends Error {}

/** Undoes a bot close (deflection or sweep): the case goes back to the open queue. */
export async function reopenBotClosedCase(caseId: string, actorId: string, reason: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const kase = await tx.case.findUnique({ where: { id: caseId }, select: { status: true, closeReason: true, deflectedAt: true } });
    if (!kase) throw new ReopenError("There is no case with this id.");
    const byBot = kase.deflectedAt !== null || (kase.closeReason ?? "").startsWith("stale:");
    if (kase.status !== "closed" || !byBot) throw new ReopenError("Only cases the bot closed can be reopened here.");
    const reopened = await tx.case.updateMany({
      where: { id: caseId, status: "closed" },
      data: { status: "open", closedAt: null, closeReason: null, deflectedAt: null },
    });
    if (reopened.count === 0) throw new ReopenError("The case changed meanwhile; reload and try again.");
    await tx.caseEvent.create({
      data: { caseId, type: "reopened", actorId, data: { reason, previousCloseReason: kase.closeReason } },
    });
    await writeAudit({ actorId, action: "case.reopened", subjectType: "Case", subjectId: caseId, data: { reason } }, tx);
  });
}

/** What the bot did, counted from the append-only events (reopening does not erase a count). */
export async function botCounts(since: Date) {
  const rows = await db.caseEvent.groupBy({
    by: ["type"],
    where: { type: { in: ["deflected", "swept", "holding_reply", "reopened"] }, createdAt: { gte: since } },
    _count: { _all: true },
  });
  const count = (type: string) => rows.find((r) => r.type === type)?._count._all ?? 0;
  return { deflected: count("deflected"), swept: count("swept"), holdingReplies: count("holding_reply"), reopened: count("reopened") };
}

/** Recent cases the bot closed that are still closed (candidates to reopen). */
export async function recentBotClosures(limit = 50) {
  return db.case.findMany({
    where: { status: "closed", OR: [{ deflectedAt: { not: null } }, { closeReason: { startsWith: "stale:" } }] },
    select: { id: true, number: true, subject: true, closeReason: true, closedAt: true, language: true },
    orderBy: { closedAt: "desc" },
    take: limit,
  });
}

export class ReclassifyError extends Error {}

/**
 * An agent or supervisor overrides the classification with a reason. A case
 * made complex that a volunteer holds goes back to the queue for an
 * experienced agent.
 */
export async function reclassifyCase(caseId: string, complexity: CaseComplexity, reason: string, actor: { id: string; name: string }) {
  return db.$transaction(async (tx) => {
    // A locked transaction: the case cannot move between this read and the update below.
    await tx.$queryRaw`SELECT id FROM "Case" WHERE id = ${caseId} FOR UPDATE`;
    const kase = await tx.case.findUnique({
      where: { id: caseId },
      select: { complexity: true, assigneeId: true, status: true, escalationLevel: true, assignee: { select: { role: true } } },
    });
    if (!kase) throw new ReclassifyError("There is no case with this id.");
    if (kase.complexity === complexity) throw new ReclassifyError(`The case is already ${complexity}.`);
    // A volunteer may not keep a complex case: it escalates with the reason, rather than silently returning to the queue.
    const heldByVolunteer = complexity === "complex" && kase.assignee?.role === "volunteer" && kase.status === "assigned";
    const label = complexity === "simple" ? "Simple" : "Complex";
    await tx.case.update({
      where: { id: caseId },
      data: { complexity, complexityRuleId: "manual", complexityReason: `${label}: ${reason} (reclassified by ${actor.name})` },
    });
    let escalated = false;
    if (heldByVolunteer) {
      const up = await escalateAutomatically(tx, {
        caseId,
        expected: { status: "assigned", assigneeId: kase.assigneeId },
        holderId: kase.assigneeId,
        fromLevel: kase.escalationLevel,
        reasonCode: "auto_reclassified_complex",
        note: `Reclassified as complex by ${actor.name}: ${reason}`,
        actorId: actor.id,
      });
      escalated = up !== null;
      // No level to escalate to: the case goes back to the queue for an experienced agent.
      if (!up)
        await changeCaseState(caseId, { status: "assigned", assigneeId: kase.assigneeId }, { status: "open", assigneeId: null, assignedAt: null }, { type: "returned_to_queue", actorId: actor.id }, tx);
    }
    await tx.caseEvent.create({
      data: { caseId, type: "reclassified", actorId: actor.id, data: { from: kase.complexity, to: complexity, reason, returnedToQueue: heldByVolunteer, escalated } },
    });
    await writeAudit({ actorId: actor.id, action: "case.reclassified", subjectType: "Case", subjectId: caseId, data: { from: kase.complexity, to: complexity } }, tx);
    return { backToQueue: heldByVolunteer, escalated };
  });
}
