// What an agent or volunteer does with a case they hold: confirm the
// customer's identity, reply (through the outbox), write an internal note,
// put the case on hold or take it back, resolve it. Each state change is one
// conditional update on the state the caller saw (changeCaseState), so a
// case that moved meanwhile answers 409 instead of being overwritten.
import { Prisma } from "@prisma/client";
import { lockedFreeSlots } from "~/cases/agent-slots.server";
import { CaseMovedError, CaseRefusal, changeCaseState } from "~/cases/case-state.server";
import { db } from "~/db/db.server";
import { queueCustomerMessage } from "~/delivery/outbox.server";
import { recordEscalationResolved } from "~/escalation/escalation.server";
import { publishLive } from "~/live/live.server";
import { consoleSettings } from "./console-settings.server";
import { identityCheckBlocksReply, IDENTITY_CHECK_MESSAGE } from "./identity-check";
import { handleOf, mentionedHandles } from "./mentions";
import { fillTemplate, templateDisclosesBooking, textDisclosesBooking, TEMPLATE_PLACEHOLDERS } from "./reply-templates";

/** A refusal of a reply, note, hold or resolution. */
export class CaseWorkError extends CaseRefusal {}

const WORKING = ["assigned", "on_hold"] as const;

interface Actor {
  id: string;
  name: string;
}

export interface ReplyRequest {
  actor: Actor;
  caseId: string;
  templateId: string;
  text: string;
  /** Whether the ability lets this person write a reply without a template. */
  mayWriteFreeText: boolean;
}

/**
 * Sends a reply: fills the template from the case, checks the identity rule,
 * and in one transaction marks the first response, queues the message in the
 * outbox and writes the timeline event.
 */
export async function sendReply(request: ReplyRequest): Promise<{ messageId: string }> {
  const kase = await db.case.findUnique({
    where: { id: request.caseId },
    select: {
      id: true, number: true, status: true, assigneeId: true, language: true, customerName: true, bookingReference: true,
      flightNumber: true, departureAt: true, identityCheckedAt: true, channel: { select: { authenticatesCustomer: true } },
    },
  });
  if (!kase) throw new CaseMovedError(request.caseId, null);
  if (kase.assigneeId !== request.actor.id || kase.status !== "assigned")
    throw new CaseWorkError(kase.status === "on_hold" ? "Take the case back from hold before replying." : "This case is no longer assigned to you.", "form", 409);

  const context = { ...kase, agentName: request.actor.name };
  let body: string;
  let language = kase.language;
  let discloses = textDisclosesBooking(request.text, kase);
  let templateId: string | null = null;
  if (request.templateId) {
    const template = await db.replyTemplate.findFirst({ where: { id: request.templateId, active: true } });
    if (!template) throw new CaseWorkError("This template is not available any more. Choose another.", "templateId");
    const filled = fillTemplate(template.body, context);
    if (filled.missing.length)
      throw new CaseWorkError(
        `This case has no ${filled.missing.map((name) => TEMPLATE_PLACEHOLDERS[name]).join(" or ")} for this template. Choose another template.`,
        "templateId",
      );
    body = request.text ? `${request.text}\n\n${filled.text}` : filled.text;
    language = template.language;
    discloses ||= templateDisclosesBooking(template);
    templateId = template.id;
  } else {
    if (!request.mayWriteFreeText) throw new CaseWorkError("Choose a template: your role replies from approved templates.", "templateId");
    body = request.text;
  }
  const facts = { channelAuthenticatesCustomer: kase.channel.authenticatesCustomer, identityCheckedAt: kase.identityCheckedAt };
  if (identityCheckBlocksReply(facts, discloses)) throw new CaseWorkError(IDENTITY_CHECK_MESSAGE, "identity", 409);

  return db.$transaction(async (tx) => {
    const marked = await tx.$executeRaw`
      UPDATE "Case" SET
        "firstRespondedAt" = coalesce("firstRespondedAt", (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)),
        "firstResponseBreachedAt" = coalesce("firstResponseBreachedAt",
          CASE WHEN "firstRespondedAt" IS NULL AND "firstResponseDueAt" < (clock_timestamp() AT TIME ZONE 'UTC') THEN "firstResponseDueAt" END),
        "updatedAt" = (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
      WHERE id = ${kase.id} AND "assigneeId" = ${request.actor.id} AND status = 'assigned'`;
    if (marked === 0) throw new CaseWorkError("This case changed meanwhile. Reload it to see what happened.", "form", 409);
    const message = await queueCustomerMessage(tx, {
      caseId: kase.id,
      sender: "agent",
      authorId: request.actor.id,
      kind: "reply",
      language,
      body,
      templateId,
    });
    await tx.caseEvent.create({ data: { caseId: kase.id, type: "replied", actorId: request.actor.id, data: { messageId: message.id, templateId } } });
    return { messageId: message.id };
  });
}

/** The people a note's @handles name; unknown or ambiguous handles are refused. */
async function resolveMentions(body: string): Promise<{ id: string; handle: string }[]> {
  const handles = mentionedHandles(body);
  if (handles.length === 0) return [];
  const candidates = await db.$queryRaw<{ id: string; email: string }[]>`
    SELECT id, email FROM "User"
    WHERE status = 'active' AND lower(split_part(email, '@', 1)) = ANY(${handles}::text[])`;
  const byHandle = new Map<string, { id: string; email: string }[]>();
  for (const user of candidates) byHandle.set(handleOf(user.email), [...(byHandle.get(handleOf(user.email)) ?? []), user]);
  const unknown = handles.filter((handle) => (byHandle.get(handle)?.length ?? 0) !== 1);
  if (unknown.length)
    throw new CaseWorkError(`No one in Surge is called ${unknown.map((handle) => `@${handle}`).join(", ")}. Check the spelling (the handle is the part of the email before @).`, "body");
  return handles.map((handle) => ({ id: byHandle.get(handle)![0]!.id, handle }));
}

/** An internal note: stored with the case, never sent, mentions land in inboxes. */
export async function addNote(actor: Actor, caseId: string, body: string): Promise<{ noteId: string; mentioned: string[] }> {
  const mentions = await resolveMentions(body);
  return db.$transaction(async (tx) => {
    const exists = await tx.case.findUnique({ where: { id: caseId }, select: { id: true } });
    if (!exists) throw new CaseMovedError(caseId, null);
    const note = await tx.caseNote.create({ data: { caseId, authorId: actor.id, body } });
    const others = mentions.filter((mention) => mention.id !== actor.id);
    if (others.length) await tx.noteMention.createMany({ data: others.map((mention) => ({ noteId: note.id, userId: mention.id })) });
    await tx.caseEvent.create({ data: { caseId, type: "note", actorId: actor.id, data: { noteId: note.id, mentioned: others.map((m) => m.handle) } } });
    if (others.length) await publishLive(tx, { kind: "mention", caseId, userIds: others.map((mention) => mention.id) });
    return { noteId: note.id, mentioned: others.map((mention) => mention.id) };
  });
}

/** Waiting for the customer: the slot stays the agent's until holdSlotMinutes pass. */
export async function holdCase(actor: Actor, caseId: string): Promise<void> {
  const until = new Date(Date.now() + consoleSettings.holdSlotMinutes * 60_000);
  await changeCaseState(
    caseId,
    { status: "assigned", assigneeId: actor.id },
    { status: "on_hold", holdUntil: until, holdAgentId: actor.id },
    { type: "on_hold", actorId: actor.id, data: { slotFreedAt: until.toISOString() } },
  );
}

/** Takes a case back from hold (before or after its slot was freed). */
export async function resumeCase(actor: Actor, caseId: string): Promise<void> {
  const kase = await db.case.findUnique({ where: { id: caseId }, select: { status: true, assigneeId: true, holdAgentId: true, channelId: true } });
  if (!kase) throw new CaseMovedError(caseId, null);
  if (kase.status !== "on_hold" || (kase.assigneeId ?? kase.holdAgentId) !== actor.id)
    throw new CaseWorkError("This case is not on hold for you any more.", "form", 409);
  await db.$transaction(async (tx) => {
    // Its slot was freed after the hold time: taking it back needs a free one (the limit "Next case" keeps).
    if (!kase.assigneeId && (await lockedFreeSlots(tx, actor.id, kase.channelId)) === 0)
      throw new CaseWorkError("You hold as many cases of this channel as you may. Resolve or hold one of them, then take this one back.", "form", 409);
    await changeCaseState(
      caseId,
      { status: "on_hold", assigneeId: kase.assigneeId },
      { status: "assigned", assigneeId: actor.id, holdUntil: null, holdAgentId: null, ...(kase.assigneeId ? {} : { assignedAt: true }) },
      { type: "resumed", actorId: actor.id },
      tx,
    );
  });
}

/** Resolves with contact-reason tags; a resolution after the due time is recorded as a breach. */
export async function resolveCase(actor: Actor, caseId: string, reasons: readonly string[]): Promise<void> {
  const known = await db.contactReason.findMany({ where: { id: { in: [...reasons] }, active: true }, select: { id: true } });
  const missing = reasons.filter((reason) => !known.some((k) => k.id === reason));
  if (missing.length) throw new CaseWorkError(`Unknown contact reason: ${missing.join(", ")}.`, "reasons");
  await db.$transaction(async (tx) => {
    await changeCaseState(
      caseId,
      { status: [...WORKING], assigneeId: actor.id },
      { status: "resolved", resolvedAt: true, holdUntil: null, holdAgentId: null, contactReasons: [...new Set(reasons)], recordResolutionBreach: true },
      { type: "resolved", actorId: actor.id, data: { reasons: [...new Set(reasons)] } },
      tx,
    );
    // An escalated case the expert took over ends its escalation here.
    await recordEscalationResolved(tx, caseId, actor.id);
  });
}

/** The agent confirms the customer gave the booking reference and a passenger's family name. */
export async function confirmIdentity(actor: Actor, caseId: string): Promise<void> {
  const rows = await db.$executeRaw(Prisma.sql`
    UPDATE "Case" SET "identityCheckedAt" = (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3), "identityCheckedById" = ${actor.id},
      "updatedAt" = (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
    WHERE id = ${caseId} AND "assigneeId" = ${actor.id} AND status IN ('assigned', 'on_hold')`);
  if (rows === 0) throw new CaseWorkError("This case is no longer assigned to you.", "form", 409);
  await db.caseEvent.create({ data: { caseId, type: "identity_checked", actorId: actor.id } });
}
