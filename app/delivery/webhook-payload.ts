// The JSON body posted to an integration's delivery webhook (the contract is
// in docs/delivery.md). Built here once so the worker, the sink and the docs
// agree on its fields.

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

export function webhookBody(message: {
  id: string;
  idempotencyKey: string;
  caseId: string;
  kind: string;
  sender: "agent" | "bot";
  language: string;
  body: string;
  createdAt: Date;
}): string {
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
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof value !== "object" || value === null) return null;
  const v = value as Record<string, unknown>;
  const strings = ["id", "idempotencyKey", "caseId", "kind", "sender", "language", "body", "createdAt"] as const;
  if (!strings.every((key) => typeof v[key] === "string")) return null;
  if (v.sender !== "agent" && v.sender !== "bot") return null;
  return v as unknown as WebhookMessage;
}
