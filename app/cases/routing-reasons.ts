// Why a case reached its agent, and why it went back, in words for the case
// page and its timeline, from the data of the `assigned` and
// `returned_to_queue` events (written by the dequeue, assignment and the
// presence jobs). Plain data in, text out.
import { levelName, type EscalationLevelDef } from "~/escalation/levels";
import { wideningLabel, RELAXATION_WIDENINGS, type RelaxationWidening } from "./relaxation";
import { returnReasonText } from "./return-reasons";

type EventData = Record<string, unknown> | null | undefined;

function asData(data: unknown): EventData {
  return data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : null;
}

/** Why the case reached its assignee, from their `assigned` event. */
export function routedReason(data: unknown, levels: readonly EscalationLevelDef[]): string | null {
  const d = asData(data);
  if (!d) return null;
  const parts: string[] = [];
  if (d.via === "next_case") parts.push("Next case");
  else if (d.via === "supervisor") parts.push("assigned by a supervisor");
  else if (typeof d.via === "string") parts.push(d.via.replaceAll("_", " "));
  if (typeof d.escalationLevel === "number" && d.escalationLevel >= 1)
    parts.push(`escalation queue, level ${d.escalationLevel} (${levelName(d.escalationLevel, levels)})`);
  if (typeof d.relaxationStep === "number") {
    const widen = RELAXATION_WIDENINGS.includes(d.relaxation as RelaxationWidening) ? wideningLabel(d.relaxation as RelaxationWidening) : "a wider pool";
    parts.push(`skill relaxation step ${d.relaxationStep}: ${widen}, after waiting without an exact match`);
  } else if (d.via === "next_case") parts.push("exact match of skills");
  return parts.length ? parts.join("; ") : null;
}

/** One line of detail for a timeline event, for the types routing writes; null for the others. */
export function timelineDetail(type: string, data: unknown, levels: readonly EscalationLevelDef[]): string | null {
  if (type === "assigned") return routedReason(data, levels);
  if (type === "returned_to_queue") {
    const d = asData(data);
    const why = returnReasonText(d?.why);
    const to = d?.to === "escalated" ? "back to the escalation queue" : null;
    return [why, to].filter(Boolean).join("; ") || null;
  }
  return null;
}
