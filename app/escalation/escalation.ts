// Escalation rules that need no database: where a case goes when it is
// escalated or handed back, the automatic reasons, which reasons a person
// escalates often (the learning loop) and the escalation rates planners see.
import { nextLevelAbove, ORDINARY_LEVEL, type EscalationLevelDef } from "./levels";

/** Reasons the system records when it escalates by itself (Escalation.reasonCode). */
export const AUTOMATIC_REASONS = {
  auto_held_too_long: "Held too long without a reply",
  auto_due_breached: "Due time breached",
  auto_reclassified_complex: "Reclassified as complex while a volunteer held it",
} as const;

export type AutomaticReason = keyof typeof AUTOMATIC_REASONS;

export const OUTCOME_LABELS = {
  resolved: "Taken over and resolved by the expert",
  handed_back: "Handed back with advice",
  reclassified: "Reclassified and returned to the queue",
  escalated_further: "Escalated further",
  withdrawn: "Closed another way",
} as const;

export type EscalationOutcomeCode = keyof typeof OUTCOME_LABELS;

/**
 * The level a case goes to when its holder escalates it: the next level above
 * both the case's level and the holder's own (an experienced agent escalates
 * to supervisors, not to their peers). Null: nobody above.
 */
export function escalationTarget(caseLevel: number, holderLevel: number, levels: readonly EscalationLevelDef[]): EscalationLevelDef | null {
  return nextLevelAbove(Math.max(caseLevel, holderLevel), levels);
}

export type HandBackTarget = { kind: "holder"; assigneeId: string; level: number } | { kind: "queue"; level: number };

/**
 * Where a handed-back case goes: to the person who escalated this hop when
 * they are online, still work at the level it came from and have a free slot
 * on the case's channel, otherwise to the queue of that level (the ordinary
 * queue for a volunteer's escalation).
 */
export function handBackTarget(hop: {
  raisedById: string | null;
  fromLevel: number;
  raiser: { online: boolean; active: boolean; level: number; freeSlot: boolean } | null;
}): HandBackTarget {
  const level = Math.max(ORDINARY_LEVEL, hop.fromLevel);
  const raiser = hop.raiser;
  if (hop.raisedById && raiser && raiser.online && raiser.active && raiser.level >= level && raiser.freeSlot)
    return { kind: "holder", assigneeId: hop.raisedById, level };
  return { kind: "queue", level };
}

/** A case back in a queue: the ordinary queue is status open, an escalation level's queue is status escalated. */
export function queueStatusOf(level: number): "open" | "escalated" {
  return level > ORDINARY_LEVEL ? "escalated" : "open";
}

export interface ReasonCount {
  reasonCode: string;
  count: number;
}

/** Reasons escalated at least `threshold` times (the rows given are already within the window), most frequent first. */
export function frequentReasons(rows: readonly { reasonCode: string }[], threshold: number): ReasonCount[] {
  if (threshold <= 0) return [];
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.reasonCode, (counts.get(row.reasonCode) ?? 0) + 1);
  return [...counts]
    .filter(([, count]) => count >= threshold)
    .map(([reasonCode, count]) => ({ reasonCode, count }))
    .sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode));
}

export interface PersonRate {
  userId: string;
  name: string;
  escalated: number;
  resolved: number;
  /** escalated / (escalated + resolved): the share of the cases they finished that went up. */
  rate: number;
}

/** Escalation rate per person: escalations raised against cases they resolved themselves. */
export function ratesPerPerson(
  escalated: readonly { userId: string; name: string; count: number }[],
  resolved: readonly { userId: string; count: number }[],
): PersonRate[] {
  const resolvedBy = new Map(resolved.map((r) => [r.userId, r.count]));
  return escalated
    .map((e) => {
      const done = resolvedBy.get(e.userId) ?? 0;
      const total = e.count + done;
      return { userId: e.userId, name: e.name, escalated: e.count, resolved: done, rate: total ? e.count / total : 0 };
    })
    .sort((a, b) => b.rate - a.rate || b.escalated - a.escalated || a.name.localeCompare(b.name));
}

export interface ReasonRate {
  reasonCode: string;
  count: number;
  share: number;
}

/** Share of all escalations per reason, most frequent first. */
export function ratesPerReason(rows: readonly { reasonCode: string; count: number }[]): ReasonRate[] {
  const total = rows.reduce((sum, r) => sum + r.count, 0);
  return rows
    .map((r) => ({ reasonCode: r.reasonCode, count: r.count, share: total ? r.count / total : 0 }))
    .sort((a, b) => b.count - a.count || a.reasonCode.localeCompare(b.reasonCode));
}

/** "3 min", "2 h 5 min", "1 d 4 h": the age of an unanswered question. */
export function ageLabel(since: Date, now: Date): string {
  const minutes = Math.max(0, Math.floor((now.getTime() - since.getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} h ${minutes % 60} min` : `${hours} h`;
  const days = Math.floor(hours / 24);
  return hours % 24 ? `${days} d ${hours % 24} h` : `${days} d`;
}
