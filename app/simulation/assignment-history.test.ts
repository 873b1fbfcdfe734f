import { describe, expect, it } from "vitest";
import { holdingIntervals, slotExcesses, type TimelineEvent } from "./assignment-history";

const event = (caseId: string, type: string, at: number, to: string | null = null, channelId = "whatsapp"): TimelineEvent => ({
  caseId,
  channelId,
  type,
  actorId: to,
  data: to ? { to } : {},
  at,
});

describe("who held a case when", () => {
  it("a case taken, resolved, and never held by two people is clean", () => {
    const { intervals, doubleAssignments } = holdingIntervals([
      event("c1", "received", 0),
      event("c1", "assigned", 10, "ann"),
      event("c1", "replied", 20, "ann"),
      event("c1", "resolved", 30, "ann"),
    ]);
    expect(doubleAssignments).toEqual([]);
    expect(intervals).toEqual([{ caseId: "c1", channelId: "whatsapp", agentId: "ann", from: 10, to: 30 }]);
  });

  it("a second take while someone holds it is a double assignment; a reassignment is not", () => {
    const { doubleAssignments } = holdingIntervals([
      event("c1", "assigned", 10, "ann"),
      event("c1", "assigned", 12, "bob"),
      event("c2", "assigned", 10, "ann"),
      event("c2", "reassigned", 15, "bob"),
      event("c3", "assigned", 10, "ann"),
      event("c3", "returned_to_queue", 11),
      event("c3", "assigned", 11, "bob"),
    ]);
    expect(doubleAssignments).toEqual([{ caseId: "c1", holder: "ann", newcomer: "bob", at: 12 }]);
  });

  it("events arriving out of order are read in time order; a case still held ends open", () => {
    const { intervals, doubleAssignments } = holdingIntervals([event("c1", "escalated", 40, "ann"), event("c1", "assigned", 5, "ann"), event("c2", "assigned", 50, "bob")]);
    expect(doubleAssignments).toEqual([]);
    expect(intervals.find((i) => i.caseId === "c1")).toMatchObject({ from: 5, to: 40 });
    expect(intervals.find((i) => i.caseId === "c2")!.to).toBe(Number.POSITIVE_INFINITY);
  });
});

describe("slots", () => {
  it("flags the moment an agent holds more cases of a channel than it allows, not a slot freed and retaken at once", () => {
    const { intervals } = holdingIntervals([
      event("a", "assigned", 0, "ann", "email"),
      event("a", "resolved", 10, "ann", "email"),
      event("b", "assigned", 10, "ann", "email"),
      event("b", "resolved", 20, "ann", "email"),
      event("c", "assigned", 15, "ann", "email"),
      event("w1", "assigned", 0, "ann"),
      event("w2", "assigned", 0, "ann"),
    ]);
    expect(slotExcesses(intervals, { email: 1, whatsapp: 3 })).toEqual([{ agentId: "ann", channelId: "email", held: 2, allowed: 1, at: 15 }]);
    expect(slotExcesses(intervals, { email: 2, whatsapp: 3 })).toEqual([]);
  });
});
