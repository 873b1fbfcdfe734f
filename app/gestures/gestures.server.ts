// Database side of the gestures toolkit: limits per role, gestures given,
// and the escalation offered when a gesture is above the limit.
import type { GestureType, PrismaClient, Role } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import type { ExpectedCaseState } from "~/cases/case-state.server";
import { db } from "~/db/db.server";
import { inTransaction } from "~/db/transactions.server";
import { escalateCase } from "~/escalation/escalation.server";
import type { AppAbility } from "~/permissions/ability";
import { asSubject } from "~/permissions/guard.server";
import { DEFAULT_GESTURE_LIMITS, decideGesture, startOfBudgetDay, type GestureDecision, type GestureLimitFact } from "./limits";

/** Seeds the default limits; existing rows (a supervisor's changes) are kept. */
export async function seedGestureLimits(client: PrismaClient = db): Promise<void> {
  const data = Object.entries(DEFAULT_GESTURE_LIMITS).flatMap(([role, limits]) =>
    (limits ?? []).map((limit) => ({ role: role as Role, ...limit })),
  );
  await client.gestureLimit.createMany({ data, skipDuplicates: true });
}

export async function listGestureLimits() {
  return db.gestureLimit.findMany({ orderBy: [{ role: "asc" }, { type: "asc" }] });
}

/** Sets one role's limit for one gesture type, with an audit row in the same transaction. */
export async function setGestureLimit(
  actorId: string,
  change: { role: Role; type: GestureType; perCaseLimit: number; dailyBudget: number },
): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.gestureLimit.findUnique({ where: { role_type: { role: change.role, type: change.type } } });
    await tx.gestureLimit.upsert({
      where: { role_type: { role: change.role, type: change.type } },
      create: { ...change, updatedById: actorId },
      update: { perCaseLimit: change.perCaseLimit, dailyBudget: change.dailyBudget, updatedById: actorId },
    });
    await writeAudit(
      {
        actorId,
        action: "gesture_limit.update",
        subjectType: "GestureLimit",
        subjectId: `${change.role}:${change.type}`,
        data: {
          role: change.role,
          type: change.type,
          before: before ? { perCaseLimit: before.perCaseLimit, dailyBudget: before.dailyBudget } : null,
          after: { perCaseLimit: change.perCaseLimit, dailyBudget: change.dailyBudget },
        },
      },
      tx,
    );
  });
}

async function usage(userId: string, caseId: string, now: Date) {
  const [onCase, today] = await Promise.all([
    db.gesture.groupBy({ by: ["type"], where: { caseId }, _sum: { amount: true } }),
    db.gesture.groupBy({ by: ["type"], where: { userId, createdAt: { gte: startOfBudgetDay(now) } }, _sum: { amount: true } }),
  ]);
  const sum = (rows: typeof onCase) => Object.fromEntries(rows.map((r) => [r.type, r._sum.amount ?? 0])) as Partial<Record<GestureType, number>>;
  return { onCase: sum(onCase), today: sum(today) };
}

/** What the case view's gesture panel shows: per type, the limit and what is left. */
export async function gesturePanelData(user: { id: string; gestureLimits?: readonly GestureLimitFact[] }, caseId: string, now = new Date()) {
  const [{ onCase, today }, given] = await Promise.all([
    usage(user.id, caseId, now),
    db.gesture.findMany({
      where: { caseId },
      orderBy: { createdAt: "asc" },
      take: 50,
      select: { id: true, type: true, amount: true, reason: true, createdAt: true, user: { select: { name: true } } },
    }),
  ]);
  const options = (user.gestureLimits ?? [])
    .filter((l) => l.perCaseLimit > 0 && l.dailyBudget > 0)
    .map((l) => ({
      type: l.type,
      perCaseLimit: l.perCaseLimit,
      dailyBudget: l.dailyBudget,
      caseRemaining: Math.max(0, l.perCaseLimit - (onCase[l.type] ?? 0)),
      budgetRemaining: Math.max(0, l.dailyBudget - (today[l.type] ?? 0)),
    }));
  return { options, given };
}

/** What the ability and the escalation check need to know of a case before a gesture (null when there is no such case). */
export async function findCaseForGesture(caseId: string) {
  return db.case.findUnique({ where: { id: caseId }, select: { id: true, assigneeId: true, status: true, channelId: true, language: true } });
}

export type GiveResult = { ok: true; gestureId: string } | Extract<GestureDecision, { ok: false }>;

/**
 * Records a gesture if it fits the per-case limit and the daily budget. The
 * check and the insert run in one serialisable transaction so two quick
 * clicks cannot both spend the last of a budget; PostgreSQL refuses one of
 * two that overlap, and inTransaction runs it again (with a fresh check), so
 * a double click gives the gesture once and answers the other by the limit,
 * or TransactionConflictError (409) after a few refusals in a row.
 */
export async function giveGesture(input: {
  actor: { id: string; gestureLimits?: readonly GestureLimitFact[] };
  caseId: string;
  type: GestureType;
  amount: number;
  reason: string;
  now?: Date;
}): Promise<GiveResult> {
  const now = input.now ?? new Date();
  const limit = input.actor.gestureLimits?.find((l) => l.type === input.type);
  return inTransaction(
    async (tx) => {
      const [onCase, today] = await Promise.all([
        tx.gesture.aggregate({ where: { caseId: input.caseId, type: input.type }, _sum: { amount: true } }),
        tx.gesture.aggregate({
          where: { userId: input.actor.id, type: input.type, createdAt: { gte: startOfBudgetDay(now) } },
          _sum: { amount: true },
        }),
      ]);
      const decision = decideGesture({
        type: input.type,
        amount: input.amount,
        limit,
        givenOnCase: onCase._sum.amount ?? 0,
        givenTodayByAgent: today._sum.amount ?? 0,
      });
      if (!decision.ok) return decision;
      const gesture = await tx.gesture.create({
        data: { caseId: input.caseId, userId: input.actor.id, type: input.type, amount: input.amount, reason: input.reason, createdAt: now },
      });
      await tx.caseEvent.create({
        data: { caseId: input.caseId, type: "gesture", actorId: input.actor.id, data: { gestureId: gesture.id, type: input.type, amount: input.amount } },
      });
      await writeAudit(
        {
          actorId: input.actor.id,
          action: "gesture.give",
          subjectType: "Gesture",
          subjectId: gesture.id,
          data: { caseId: input.caseId, type: input.type, amount: input.amount, reason: input.reason },
        },
        tx,
      );
      return { ok: true as const, gestureId: gesture.id };
    },
    { isolationLevel: "Serializable" },
  );
}

/**
 * Escalates the case instead of giving a gesture above the limit, with the
 * gesture prefilled and the reason "compensation above my limit" (the panel's
 * one-click offer; the case page's escalate form lets the person choose the
 * reason and write the note). The case leaves the agent only if it is still
 * as they saw it (`expected`); otherwise CaseMovedError becomes a 409.
 */
export async function escalateForGesture(input: {
  actor: { id: string; name: string; role: Role };
  caseId: string;
  expected: ExpectedCaseState;
  type: GestureType;
  amount: number;
  reason: string;
}) {
  const note = `Gesture above my limit: ${input.type} ${input.amount}. ${input.reason}`.trim();
  return escalateCase({
    actor: input.actor,
    caseId: input.caseId,
    expected: input.expected,
    reasonCode: "compensation_above_limit",
    note,
    gesture: { type: input.type, amount: input.amount },
  });
}

/** The gesture panel's data for the case view, or null when the user may not give gestures on this case. */
export async function gesturePanelFor(
  ability: AppAbility,
  user: { id: string; gestureLimits?: readonly GestureLimitFact[] },
  found: { id: string; assigneeId: string | null },
) {
  if (!ability.can("create", "Gesture") || !ability.can("update", asSubject("Case", found))) return null;
  return { caseId: found.id, ...(await gesturePanelData(user, found.id)) };
}
