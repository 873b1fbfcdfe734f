// Database side of escalation: a holder escalates a case up a tier, an expert
// takes it, hands it back with advice, returns it as simple, escalates it
// further or resolves it. Every change of the case goes through
// changeCaseState (one conditional update on the state the caller saw), in
// one transaction with the Escalation row, so a case that moved meanwhile
// answers 409 and nothing is written.
import type { GestureType, Prisma, Role } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { lockedFreeSlots } from "~/cases/agent-slots.server";
import { CaseMovedError, CaseRefusal, changeCaseState, type ExpectedCaseState } from "~/cases/case-state.server";
import { presenceSilenceMs } from "~/cases/presence.server";
import { isPresent } from "~/cases/routing";
import { db } from "~/db/db.server";
import { inTransaction } from "~/db/transactions.server";
import { publishLive } from "~/live/live.server";
import { AUTOMATIC_REASONS, escalationTarget, handBackTarget, queueStatusOf, type AutomaticReason } from "./escalation";
import { levelOfRole, mayWorkEscalation, nextLevelAbove } from "./levels";
import { loadEscalationLevels } from "./levels.server";

type Tx = Prisma.TransactionClient;

/** A refusal of an escalation step (escalate, take, hand back, resolve). */
export class EscalationError extends CaseRefusal {}

interface Actor {
  id: string;
  name: string;
  role: Role;
}

/** The escalation of a case still in progress (waiting or taken), if any. */
async function activeEscalation(tx: Tx, caseId: string) {
  return tx.escalation.findFirst({ where: { caseId, status: { in: ["open", "taken"] } }, orderBy: { createdAt: "desc" } });
}

/** Reads the case under a row lock: nothing else changes it until the transaction ends. */
async function lockCase(tx: Tx, caseId: string) {
  const [row] = await tx.$queryRaw<{ id: string; status: string; assigneeId: string | null; escalationLevel: number; holdAgentId: string | null; channelId: string }[]>`
    SELECT id, status::text AS status, "assigneeId", "escalationLevel", "holdAgentId", "channelId" FROM "Case" WHERE id = ${caseId} FOR UPDATE`;
  if (!row) throw new CaseMovedError(caseId, null);
  return row;
}

/**
 * Closes the case's escalation in progress with an outcome (a hand-back, a
 * resolution, a further escalation). Returns the closed row, or null.
 */
export async function closeActiveEscalation(
  tx: Tx,
  caseId: string,
  outcome: "resolved" | "handed_back" | "reclassified" | "escalated_further" | "withdrawn",
  expertId: string | null,
  advice: string | null = null,
) {
  const active = await activeEscalation(tx, caseId);
  if (!active) return null;
  return tx.escalation.update({
    where: { id: active.id },
    data: { status: "resolved", outcome, advice, resolvedAt: new Date(), expertId: active.expertId ?? expertId, takenAt: active.takenAt ?? (expertId ? new Date() : null) },
  });
}

/**
 * The contract with routing: when an expert takes an escalated case (the
 * dequeue or a supervisor's assignment), its waiting escalation is marked
 * taken by them. Call it in the transaction that assigns the case.
 */
export async function markEscalationTaken(tx: Tx, caseId: string, expertId: string): Promise<number> {
  return tx.$executeRaw`
    UPDATE "Escalation" SET status = 'taken', "expertId" = ${expertId}, "takenAt" = (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
    WHERE "caseId" = ${caseId} AND status = 'open'`;
}

export interface EscalateInput {
  actor: Actor;
  caseId: string;
  /** The state the route read and authorised. */
  expected: ExpectedCaseState;
  reasonCode: string;
  note: string;
  gesture?: { type: GestureType; amount: number };
}

/**
 * The holder escalates the case (a volunteer to experienced agents, an expert
 * further up): it leaves them (their slot is freed) and waits, with its
 * priority tier and waiting time, in the queue of the next level.
 */
export async function escalateCase(input: EscalateInput): Promise<{ escalationId: string; toLevel: number; levelName: string }> {
  return inTransaction(async (tx) => {
    const reason = await tx.escalationReason.findFirst({ where: { id: input.reasonCode, active: true } });
    if (!reason) throw new EscalationError("Choose a reason from the list.", "reasonCode");
    const kase = await lockCase(tx, input.caseId);
    const levels = await loadEscalationLevels(tx);
    const target = escalationTarget(kase.escalationLevel, levelOfRole(input.actor.role, levels), levels);
    if (!target) throw new EscalationError("There is no level above yours to escalate to. Resolve the case or ask a colleague.", "form", 409);
    const further = await closeActiveEscalation(tx, input.caseId, "escalated_further", input.actor.id);
    const escalation = await tx.escalation.create({
      data: {
        caseId: input.caseId,
        raisedById: input.actor.id,
        reason: reason.label,
        reasonCode: reason.id,
        note: input.note,
        fromLevel: kase.escalationLevel,
        toLevel: target.level,
        gestureType: input.gesture?.type ?? null,
        gestureAmount: input.gesture?.amount ?? null,
      },
    });
    await changeCaseState(
      input.caseId,
      input.expected,
      { status: "escalated", assigneeId: null, assignedAt: null, holdUntil: null, holdAgentId: null, escalationLevel: target.level },
      {
        type: further ? "escalated_further" : "escalated",
        actorId: input.actor.id,
        data: { escalationId: escalation.id, reason: reason.id, fromLevel: kase.escalationLevel, toLevel: target.level },
      },
      tx,
    );
    await writeAudit(
      {
        actorId: input.actor.id,
        action: "case.escalate",
        subjectType: "Case",
        subjectId: input.caseId,
        data: { reason: reason.id, toLevel: target.level, ...(input.gesture ? { gesture: input.gesture } : {}) },
      },
      tx,
    );
    await publishLive(tx, { kind: "case_updated", caseId: input.caseId });
    return { escalationId: escalation.id, toLevel: target.level, levelName: target.name };
  });
}

/**
 * Escalates a case its holder did not escalate (the escalation job, a
 * reclassification as complex): recorded as automatic, with its reason.
 * Runs in the caller's transaction; returns null when there is no level above.
 */
export async function escalateAutomatically(
  tx: Tx,
  input: { caseId: string; expected: ExpectedCaseState; holderId: string | null; fromLevel: number; reasonCode: AutomaticReason; note: string; actorId: string | null },
) {
  const levels = await loadEscalationLevels(tx);
  const target = nextLevelAbove(input.fromLevel, levels);
  if (!target) return null;
  await closeActiveEscalation(tx, input.caseId, "escalated_further", null);
  const escalation = await tx.escalation.create({
    data: {
      caseId: input.caseId,
      raisedById: input.holderId,
      reason: AUTOMATIC_REASONS[input.reasonCode],
      reasonCode: input.reasonCode,
      automatic: true,
      note: input.note,
      fromLevel: input.fromLevel,
      toLevel: target.level,
    },
  });
  await changeCaseState(
    input.caseId,
    input.expected,
    { status: "escalated", assigneeId: null, assignedAt: null, holdUntil: null, holdAgentId: null, escalationLevel: target.level },
    { type: "escalated", actorId: input.actorId, data: { escalationId: escalation.id, reason: input.reasonCode, automatic: true, toLevel: target.level } },
    tx,
  );
  if (input.holderId) await publishLive(tx, { kind: "case_assigned", caseId: input.caseId, userIds: [input.holderId] });
  return { escalationId: escalation.id, toLevel: target.level };
}

/** The expert holds the case and works at its level or above; otherwise a 409 with why. */
async function requireExpertHolding(tx: Tx, caseId: string, expert: Actor) {
  const kase = await lockCase(tx, caseId);
  if (kase.status !== "assigned" || kase.assigneeId !== expert.id)
    throw new CaseMovedError(caseId, { status: kase.status as never, assigneeId: kase.assigneeId });
  const levels = await loadEscalationLevels(tx);
  if (!mayWorkEscalation(levelOfRole(expert.role, levels), kase.escalationLevel))
    throw new EscalationError("This case is not an escalation at your level.", "form", 409);
  const hop = await activeEscalation(tx, caseId);
  if (!hop) throw new EscalationError("This case has no escalation in progress.", "form", 409);
  return { kase, hop, levels };
}

/**
 * The expert answers and gives the case back: to the person who escalated it
 * when they are online (it is theirs again at once), otherwise to the queue
 * of the level it came from (for a volunteer: the ordinary queue, as a simple
 * case). The advice is kept on the escalation and written into the case as a
 * note.
 */
export async function handBack(input: { expert: Actor; caseId: string; advice: string }) {
  return inTransaction(async (tx) => {
    const { kase, hop, levels } = await requireExpertHolding(tx, input.caseId, input.expert);
    const raiser = hop.raisedById
      ? await tx.user.findUnique({ where: { id: hop.raisedById }, select: { status: true, role: true, presence: { select: { online: true, lastSeenAt: true } } } })
      : null;
    // Online means present: online by choice and heard from within the silence (routing's presence rule).
    const online = raiser !== null && isPresent(raiser.presence, new Date(), presenceSilenceMs());
    const active = raiser?.status === "active";
    // Their slots are counted (under their routing lock) only when the case could go to them.
    const freeSlot = online && active && hop.raisedById !== null && (await lockedFreeSlots(tx, hop.raisedById, kase.channelId)) > 0;
    const target = handBackTarget({
      raisedById: hop.raisedById,
      fromLevel: hop.fromLevel,
      raiser: raiser ? { online, active, level: levelOfRole(raiser.role, levels), freeSlot } : null,
    });
    const simple = target.level === 0 ? { complexity: { value: "simple" as const, reason: `Simple: handed back by ${input.expert.name} with advice` } } : {};
    const expected = { status: "assigned" as const, assigneeId: input.expert.id };
    const data = { escalationId: hop.id, to: target.kind === "holder" ? target.assigneeId : null, level: target.level };
    if (target.kind === "holder")
      await changeCaseState(
        input.caseId,
        expected,
        { status: "assigned", assigneeId: target.assigneeId, assignedAt: true, escalationLevel: target.level, ...simple },
        { type: "handed_back", actorId: input.expert.id, data },
        tx,
      );
    else
      await changeCaseState(
        input.caseId,
        expected,
        { status: queueStatusOf(target.level), assigneeId: null, assignedAt: null, escalationLevel: target.level, ...simple },
        { type: "handed_back", actorId: input.expert.id, data },
        tx,
      );
    await tx.escalation.update({
      where: { id: hop.id },
      data: { status: "resolved", outcome: "handed_back", advice: input.advice, resolvedAt: new Date(), expertId: input.expert.id, takenAt: hop.takenAt ?? new Date() },
    });
    // The earlier hop (the one this expert escalated further from) goes back to them, or to their queue, open again.
    if (target.level > 0) {
      const earlier = await tx.escalation.findFirst({ where: { caseId: input.caseId, toLevel: target.level, outcome: "escalated_further" }, orderBy: { createdAt: "desc" } });
      if (earlier)
        await tx.escalation.update({
          where: { id: earlier.id },
          data: target.kind === "holder" ? { status: "taken", outcome: null, resolvedAt: null } : { status: "open", outcome: null, resolvedAt: null, expertId: null, takenAt: null },
        });
    }
    await tx.caseNote.create({ data: { caseId: input.caseId, authorId: input.expert.id, body: `Advice from ${input.expert.name} (escalation handed back): ${input.advice}` } });
    await writeAudit({ actorId: input.expert.id, action: "escalation.hand_back", subjectType: "Case", subjectId: input.caseId, data }, tx);
    if (target.kind === "holder") await publishLive(tx, { kind: "case_assigned", caseId: input.caseId, userIds: [target.assigneeId] });
    await publishLive(tx, { kind: "case_updated", caseId: input.caseId });
    return { target, fromLevel: kase.escalationLevel };
  });
}

/** The expert finds the case simple after all: it goes back to the ordinary queue, reclassified. */
export async function returnAsSimple(input: { expert: Actor; caseId: string; reason: string }) {
  return inTransaction(async (tx) => {
    const { hop } = await requireExpertHolding(tx, input.caseId, input.expert);
    await changeCaseState(
      input.caseId,
      { status: "assigned", assigneeId: input.expert.id },
      {
        status: "open",
        assigneeId: null,
        assignedAt: null,
        escalationLevel: 0,
        complexity: { value: "simple", reason: `Simple: ${input.reason} (reclassified by ${input.expert.name})` },
      },
      { type: "reclassified", actorId: input.expert.id, data: { to: "simple", reason: input.reason, escalationId: hop.id, returnedToQueue: true } },
      tx,
    );
    // Every hop of the case ends here: it is no escalation any more.
    await tx.escalation.updateMany({
      where: { caseId: input.caseId, OR: [{ status: { in: ["open", "taken"] } }, { id: hop.id }] },
      data: { status: "resolved", outcome: "reclassified", advice: input.reason, resolvedAt: new Date() },
    });
    await tx.escalation.update({ where: { id: hop.id }, data: { expertId: hop.expertId ?? input.expert.id } });
    await writeAudit({ actorId: input.expert.id, action: "case.reclassified", subjectType: "Case", subjectId: input.caseId, data: { to: "simple", escalationId: hop.id } }, tx);
    return { escalationId: hop.id };
  });
}

/** Called when a case is resolved: its escalation in progress ends with the expert's resolution. */
export async function recordEscalationResolved(tx: Tx, caseId: string, actorId: string): Promise<void> {
  await tx.escalation.updateMany({
    where: { caseId, status: { in: ["open", "taken"] } },
    data: { status: "resolved", outcome: "resolved", resolvedAt: new Date() },
  });
  await tx.escalation.updateMany({ where: { caseId, outcome: "resolved", expertId: null }, data: { expertId: actorId } });
}

/** What the expert (and the one who escalated) sees about a case's escalations, oldest hop first. */
export async function escalationsOfCase(caseId: string) {
  return db.escalation.findMany({
    where: { caseId },
    orderBy: { createdAt: "asc" },
    select: {
      id: true, reason: true, reasonCode: true, automatic: true, note: true, fromLevel: true, toLevel: true, gestureType: true, gestureAmount: true,
      status: true, outcome: true, advice: true, createdAt: true, takenAt: true, resolvedAt: true,
      raisedBy: { select: { id: true, name: true } },
      expert: { select: { name: true } },
    },
  });
}

export async function listEscalationReasons(options: { activeOnly?: boolean } = {}) {
  return db.escalationReason.findMany({
    where: options.activeOnly ? { active: true } : {},
    orderBy: [{ position: "asc" }, { label: "asc" }],
    select: { id: true, label: true, trainingModuleId: true, active: true },
  });
}

/** A supervisor adds or edits a reason and the training module it points to, with an audit row. */
export async function saveEscalationReason(actorId: string, input: { id: string; label: string; trainingModuleId: string | null; active: boolean }) {
  await db.$transaction(async (tx) => {
    const before = await tx.escalationReason.findUnique({ where: { id: input.id } });
    // Saved unchanged: nothing to write, nothing to audit.
    if (before && before.label === input.label && before.trainingModuleId === input.trainingModuleId && before.active === input.active) return;
    const position = before?.position ?? ((await tx.escalationReason.aggregate({ _max: { position: true } }))._max.position ?? 0) + 1;
    await tx.escalationReason.upsert({
      where: { id: input.id },
      create: { ...input, position },
      update: { label: input.label, trainingModuleId: input.trainingModuleId, active: input.active },
    });
    await writeAudit(
      {
        actorId,
        action: "escalation_reason.save",
        subjectType: "EscalationReason",
        subjectId: input.id,
        data: { before: before ? { label: before.label, trainingModuleId: before.trainingModuleId, active: before.active } : null, after: input },
      },
      tx,
    );
  });
}
