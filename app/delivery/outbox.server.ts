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
  const id = `m${randomUUID().replaceAll("-", "")}`;
  const idempotencyKey = `surge-${id}`;
  await client.$executeRaw`
    INSERT INTO "OutboundMessage" (id, "caseId", "integrationId", sender, "authorId", kind, language, body, "templateId", "idempotencyKey")
    VALUES (${id}, ${message.caseId},
            (SELECT d."integrationId" FROM "IntakeDelivery" d WHERE d."caseId" = ${message.caseId} ORDER BY d."createdAt", d."idempotencyKey" LIMIT 1),
            ${message.sender}::"OutboundSender", ${message.authorId}, ${message.kind}, ${message.language}, ${message.body},
            ${message.templateId ?? null}, ${idempotencyKey})`;
  return { id, idempotencyKey };
}
