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

/** How stale lastSeenAt may get before a request that finds the agent online refreshes it. */
export const PRESENCE_REFRESH_MS = 60_000;

/** Whether setting `online` needs a write, given the presence the request read. */
export function presenceNeedsWrite(known: KnownPresence | null, online: boolean, now: Date): boolean {
  if (!known || known.online !== online) return true;
  return online && now.getTime() - known.lastSeenAt.getTime() >= PRESENCE_REFRESH_MS;
}
