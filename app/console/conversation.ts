// The conversation of a case as the console shows it: the customer's first
// message and follow-ups (threaded in by intake), our replies and the bot's
// messages with their delivery state, and internal notes, in time order.

export type ConversationEntry =
  | { kind: "customer"; id: string; at: string; subject: string; body: string }
  | { kind: "reply"; id: string; at: string; author: string; body: string; delivery: string; language: string }
  | { kind: "bot"; id: string; at: string; body: string; delivery: string; language: string }
  | { kind: "note"; id: string; at: string; author: string; body: string };

export interface ConversationSources {
  kase: { id: string; subject: string; body: string; receivedAt: Date };
  /** CaseEvents of type "message": follow-ups threaded onto the case. */
  followUps: { id: string; createdAt: Date; data: unknown }[];
  messages: { id: string; createdAt: Date; sender: "agent" | "bot"; authorName: string | null; body: string; state: string; language: string }[];
  notes: { id: string; createdAt: Date; authorName: string; body: string }[];
}

function followUpFields(data: unknown): { subject: string; body: string; receivedAt: string | null } {
  const record = (data ?? {}) as Record<string, unknown>;
  return {
    subject: typeof record.subject === "string" ? record.subject : "",
    body: typeof record.body === "string" ? record.body : "",
    receivedAt: typeof record.receivedAt === "string" ? record.receivedAt : null,
  };
}

export function buildConversation(sources: ConversationSources): ConversationEntry[] {
  const entries: ConversationEntry[] = [
    { kind: "customer", id: sources.kase.id, at: sources.kase.receivedAt.toISOString(), subject: sources.kase.subject, body: sources.kase.body },
  ];
  for (const event of sources.followUps) {
    const fields = followUpFields(event.data);
    // The time the customer wrote it when the connector says so, else when it arrived.
    entries.push({ kind: "customer", id: event.id, at: fields.receivedAt ?? event.createdAt.toISOString(), subject: fields.subject, body: fields.body });
  }
  for (const message of sources.messages) {
    const at = message.createdAt.toISOString();
    if (message.sender === "bot") entries.push({ kind: "bot", id: message.id, at, body: message.body, delivery: message.state, language: message.language });
    else entries.push({ kind: "reply", id: message.id, at, author: message.authorName ?? "an agent", body: message.body, delivery: message.state, language: message.language });
  }
  for (const note of sources.notes) entries.push({ kind: "note", id: note.id, at: note.createdAt.toISOString(), author: note.authorName, body: note.body });
  // Stable: entries written at the same millisecond keep the order above.
  return entries
    .map((entry, index) => ({ entry, index }))
    .sort((a, b) => a.entry.at.localeCompare(b.entry.at) || a.index - b.index)
    .map(({ entry }) => entry);
}

/** What a delivery state means to the person reading the case. */
export function deliveryLabel(state: string): string {
  switch (state) {
    case "queued":
      return "queued for delivery";
    case "sent":
      return "delivered to the channel";
    case "failed":
      return "delivery failed";
    default:
      return state;
  }
}
