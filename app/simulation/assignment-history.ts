// Reads who held a case when from its timeline (CaseEvent rows), for the
// end-of-run checks: no case held by two people at once, and nobody holding
// more cases of a channel at once than the channel allows. Plain functions
// over rows the check query loads (run-checks.server.ts).

export interface TimelineEvent {
  caseId: string;
  channelId: string;
  type: string;
  actorId: string | null;
  data: Record<string, unknown> | null;
  /** Milliseconds since the epoch. */
  at: number;
}

/** Events that give the case to someone (data.to is the new holder). */
const TAKES = new Set(["assigned", "reassigned"]);
/** Events after which nobody holds the case (its slot is free). */
const RELEASES = new Set([
  "returned_to_queue",
  "resolved",
  "escalated",
  // An expert who escalates a case further gives it up like the first escalation.
  "escalated_further",
  "unassigned",
  "hold_slot_released",
  "swept",
  "deflected",
  "closed",
]);

/**
 * Who an event gives the case to, if it gives it to someone: a take, an
 * expert's hand-back to who escalated (data.to), a customer's message that
 * brings it back to its agent (data.to, else "queue"), taking it back from
 * hold (the actor).
 */
function newHolder(event: TimelineEvent): string | null {
  const to = typeof event.data?.to === "string" ? event.data.to : null;
  if (TAKES.has(event.type)) return to ?? event.actorId;
  if (event.type === "handed_back" || event.type === "reopened") return to === "queue" ? null : to;
  if (event.type === "resumed") return event.actorId;
  return null;
}

function releases(event: TimelineEvent): boolean {
  if (RELEASES.has(event.type)) return true;
  // A hand-back or a customer's message that sends the case to the queue frees whoever held it.
  if (event.type === "handed_back" || event.type === "reopened") return newHolder(event) === null;
  return event.type === "reclassified" && event.data?.returnedToQueue === true;
}

export interface HoldingInterval {
  caseId: string;
  channelId: string;
  agentId: string;
  from: number;
  /** Infinity: still held at the end of the run. */
  to: number;
}

export interface DoubleAssignment {
  caseId: string;
  holder: string;
  newcomer: string;
  at: number;
}

/**
 * Walks each case's timeline in time order. Within the same millisecond a
 * release counts before a take (one transaction may resolve and hand out).
 */
export function holdingIntervals(events: readonly TimelineEvent[]): { intervals: HoldingInterval[]; doubleAssignments: DoubleAssignment[] } {
  const byCase = new Map<string, TimelineEvent[]>();
  for (const event of events) {
    let list = byCase.get(event.caseId);
    if (!list) byCase.set(event.caseId, (list = []));
    list.push(event);
  }
  const intervals: HoldingInterval[] = [];
  const doubleAssignments: DoubleAssignment[] = [];
  for (const [caseId, list] of byCase) {
    list.sort((a, b) => a.at - b.at || Number(releases(b)) - Number(releases(a)));
    let current: HoldingInterval | null = null;
    for (const event of list) {
      const to = newHolder(event);
      if (to) {
        if (current && event.type === "assigned" && current.agentId !== to) {
          doubleAssignments.push({ caseId, holder: current.agentId, newcomer: to, at: event.at });
        }
        if (current) {
          current.to = event.at;
          intervals.push(current);
        }
        current = { caseId, channelId: event.channelId, agentId: to, from: event.at, to: Number.POSITIVE_INFINITY };
      } else if (releases(event) && current) {
        current.to = event.at;
        intervals.push(current);
        current = null;
      }
    }
    if (current) intervals.push(current);
  }
  return { intervals, doubleAssignments };
}

export interface SlotExcess {
  agentId: string;
  channelId: string;
  held: number;
  allowed: number;
  at: number;
}

/** Every moment an agent held more cases of a channel than its per-agent limit. */
export function slotExcesses(intervals: readonly HoldingInterval[], capacity: Readonly<Record<string, number>>): SlotExcess[] {
  const groups = new Map<string, HoldingInterval[]>();
  for (const interval of intervals) {
    const key = `${interval.agentId}\0${interval.channelId}`;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(interval);
  }
  const excesses: SlotExcess[] = [];
  for (const list of groups.values()) {
    const { agentId, channelId } = list[0]!;
    const allowed = capacity[channelId] ?? 1;
    // Ends before starts at the same instant: a slot freed and taken in the same millisecond is not two at once.
    const edges = list.flatMap((i) => [
      { at: i.from, delta: 1 },
      { at: i.to, delta: -1 },
    ]);
    edges.sort((a, b) => a.at - b.at || a.delta - b.delta);
    let held = 0;
    for (const edge of edges) {
      held += edge.delta;
      if (held > allowed) excesses.push({ agentId, channelId, held, allowed, at: edge.at });
    }
  }
  return excesses;
}
