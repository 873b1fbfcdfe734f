// A case's messages to the customer with their delivery state, for the
// conversation in the console. "undeliverable" is not stored: it is a queued
// message whose case has no integration (CSV import) or whose integration has
// no webhook or was revoked; it goes out once a webhook is set.
import { db } from "~/db/db.server";

export type MessageDelivery = "queued" | "sent" | "failed" | "undeliverable";

export interface CaseMessage {
  id: string;
  kind: string;
  sender: "agent" | "bot";
  authorId: string | null;
  authorName: string | null;
  language: string;
  body: string;
  templateId: string | null;
  createdAt: Date;
  delivery: MessageDelivery;
  /** Why a message is undeliverable, or the last delivery error. */
  deliveryNote: string | null;
  attempts: number;
  nextAttemptAt: Date | null;
  sentAt: Date | null;
}

export async function listCaseMessages(caseId: string): Promise<CaseMessage[]> {
  const rows = await db.outboundMessage.findMany({
    where: { caseId },
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
    select: {
      id: true,
      kind: true,
      sender: true,
      authorId: true,
      author: { select: { name: true } },
      language: true,
      body: true,
      templateId: true,
      createdAt: true,
      state: true,
      attempts: true,
      nextAttemptAt: true,
      lastError: true,
      sentAt: true,
      integration: { select: { name: true, webhookUrl: true, webhookSecret: true, revokedAt: true } },
    },
  });
  return rows.map((row) => {
    const integration = row.integration;
    const unreachable =
      row.state === "queued"
        ? !integration
          ? "No channel to deliver it: the case did not come in through an integration."
          : integration.revokedAt
            ? `The ${integration.name} integration was revoked.`
            : !integration.webhookUrl || !integration.webhookSecret
              ? `The ${integration.name} integration has no delivery webhook yet.`
              : null
        : null;
    return {
      id: row.id,
      kind: row.kind,
      sender: row.sender,
      authorId: row.authorId,
      authorName: row.author?.name ?? null,
      language: row.language,
      body: row.body,
      templateId: row.templateId,
      createdAt: row.createdAt,
      delivery: unreachable ? "undeliverable" : row.state,
      deliveryNote: unreachable ?? row.lastError,
      attempts: row.attempts,
      nextAttemptAt: row.state === "queued" && !unreachable ? row.nextAttemptAt : null,
      sentAt: row.sentAt,
    };
  });
}
