// What travels on the live channel: a hint that something changed, with ids
// only (never a message body or a customer field), so a console refetches
// through its loaders, which check permissions as always. Shared by the
// server (publish, filter) and the browser (parse).
import { parseJsonObject } from "~/server/received-json";

export const LIVE_EVENT_KINDS = [
  /** A customer message arrived on a case (intake threaded a follow-up). */
  "case_message",
  /** A message to the customer changed delivery state (queued -> sent / failed). */
  "case_message_state",
  /** A case was assigned, reassigned or handed back. */
  "case_assigned",
  /** A case changed otherwise (status, hold, resolve, notes). */
  "case_updated",
  /** Someone was mentioned in a note. */
  "mention",
  /** The server may have missed events (its database listener reconnected): refetch everything shown. */
  "resync",
] as const;

export type LiveEventKind = (typeof LIVE_EVENT_KINDS)[number];

export interface LiveEvent {
  kind: LiveEventKind;
  caseId?: string;
  /** Only these users receive it (mentions, assignments); absent: every user who may read cases. */
  userIds?: string[];
}

/** What a browser receives: the event without the other recipients' ids. */
export type ClientLiveEvent = Omit<LiveEvent, "userIds"> & { at: number };

export function parseLiveEvent(raw: string): LiveEvent | null {
  const v = parseJsonObject(raw);
  if (!v) return null;
  if (typeof v.kind !== "string" || !(LIVE_EVENT_KINDS as readonly string[]).includes(v.kind)) return null;
  if (v.caseId !== undefined && typeof v.caseId !== "string") return null;
  if (v.userIds !== undefined && !(Array.isArray(v.userIds) && v.userIds.every((id) => typeof id === "string"))) return null;
  return { kind: v.kind as LiveEventKind, ...(v.caseId ? { caseId: v.caseId } : {}), ...(v.userIds ? { userIds: v.userIds as string[] } : {}) };
}

/** Whether a signed-in user's console gets an event. */
export function isLiveEventFor(event: LiveEvent, user: { id: string; mayReadCases: boolean }): boolean {
  if (event.userIds) return event.userIds.includes(user.id);
  return user.mayReadCases;
}

export function clientEvent(event: LiveEvent, at: number): ClientLiveEvent {
  return { kind: event.kind, ...(event.caseId ? { caseId: event.caseId } : {}), at };
}
