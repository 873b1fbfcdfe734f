// Presence: whether an agent is online to take cases. Asking for a case
// puts the agent online; every request of a signed-in user reads their
// presence with the session, so a request that finds nothing to change
// writes nothing (a crowd of agents asking for cases would otherwise
// rewrite their presence row on every request).

/** Presence as the request found it (null: never recorded). */
export interface KnownPresence {
  online: boolean;
  lastSeenAt: Date;
}

/**
 * Whether setting `online` needs a write, given the presence the request
 * read. `refreshMs`: how stale lastSeenAt may get before a request that finds
 * the agent online refreshes it; well under the silence after which an agent
 * counts as offline (presence.server.ts), so an agent who works through
 * requests alone does not lapse.
 */
export function presenceNeedsWrite(known: KnownPresence | null, online: boolean, now: Date, refreshMs: number): boolean {
  if (!known || known.online !== online) return true;
  return online && now.getTime() - known.lastSeenAt.getTime() >= refreshMs;
}
