// The JSON body posted to an integration's delivery webhook (the contract is
// in docs/delivery.md). Built here once so the worker, the sink and the docs
// agree on its fields.
import { parseJsonObject } from "~/server/received-json";

export interface WebhookMessage {
  id: string;
  idempotencyKey: string;
  caseId: string;
  kind: string;
  sender: "agent" | "bot";
  language: string;
  body: string;
  createdAt: string;
}

/** A message to post as the outbox holds it: the webhook's fields, its time a Date. */
export type OutgoingWebhookMessage = Omit<WebhookMessage, "createdAt"> & { createdAt: Date };

export function webhookBody(message: OutgoingWebhookMessage): string {
  const payload: WebhookMessage = {
    id: message.id,
    idempotencyKey: message.idempotencyKey,
    caseId: message.caseId,
    kind: message.kind,
    sender: message.sender,
    language: message.language,
    body: message.body,
    createdAt: message.createdAt.toISOString(),
  };
  return JSON.stringify(payload);
}

/** Parses a received body; null when it is not a webhook message. */
export function parseWebhookMessage(raw: string): WebhookMessage | null {
  const v = parseJsonObject(raw);
  if (!v) return null;
  const strings = ["id", "idempotencyKey", "caseId", "kind", "sender", "language", "body", "createdAt"] as const;
  if (!strings.every((key) => typeof v[key] === "string")) return null;
  if (v.sender !== "agent" && v.sender !== "bot") return null;
  return v as unknown as WebhookMessage;
}
