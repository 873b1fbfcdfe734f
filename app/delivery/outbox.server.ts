// The outbox: every message to a customer is written here, in the same
// transaction as the change that causes it (a reply, a holding message, the
// bot closing a case), so nothing is sent that was not stored and nothing
// stored is lost. The delivery worker posts queued rows to the webhook of
// the integration the case came in through.
import { randomUUID } from "node:crypto";
import type { OutboundSender, Prisma } from "@prisma/client";
import { db } from "~/db/db.server";

type Client = Prisma.TransactionClient | typeof db;

export interface CustomerMessage {
  caseId: string;
  sender: OutboundSender;
  /** The agent who wrote it; null for the bot. */
  authorId: string | null;
  /** reply, holding, closing, deflection ... */
  kind: string;
  language: string;
  body: string;
  templateId?: string | null;
}

/**
 * Queues one message to the customer of a case. The integration is the one
 * that delivered the case's first message (null when the case came from a
 * CSV import: the message is kept, shown, and not deliverable).
 */
export async function queueCustomerMessage(client: Client, message: CustomerMessage): Promise<{ id: string; idempotencyKey: string }> {
  const [queued] = await queueCustomerMessages(client, [message]);
  return queued!;
}

/** Queues many messages in one statement (the bot's holding replies and sweeps). */
export async function queueCustomerMessages(
  client: Client,
  messages: readonly CustomerMessage[]
): Promise<{ id: string; idempotencyKey: string }[]> {
  if (messages.length === 0) return [];
  const ids = messages.map(() => `m${randomUUID().replaceAll("-", "")}`);
  const keys = ids.map((id) => `surge-${id}`);
  await client.$executeRaw`
    INSERT INTO "OutboundMessage" (id, "caseId", "integrationId", sender, "authorId", kind, language, body, "templateId", "idempotencyKey")
    SELECT v.id, v."caseId",
           (SELECT d."integrationId" FROM "IntakeDelivery" d WHERE d."caseId" = v."caseId" ORDER BY d."createdAt", d."idempotencyKey" LIMIT 1),
           v.sender::"OutboundSender", v."authorId", v.kind, v.language, v.body, v."templateId", v.key
    FROM unnest(${ids}::text[], ${messages.map((m) => m.caseId)}::text[], ${messages.map((m) => m.sender)}::text[],
                ${messages.map((m) => m.authorId)}::text[], ${messages.map((m) => m.kind)}::text[],
                ${messages.map((m) => m.language)}::text[], ${messages.map((m) => m.body)}::text[],
                ${messages.map((m) => m.templateId ?? null)}::text[], ${keys}::text[])
      AS v(id, "caseId", sender, "authorId", kind, language, body, "templateId", key)`;
  return ids.map((id, i) => ({ id, idempotencyKey: keys[i]! }));
}
