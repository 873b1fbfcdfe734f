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

describe("every way a case changes hands", () => {
  it("an expert escalating further, a hand-back, a customer's message and taking a case back from hold", () => {
    const { intervals, doubleAssignments } = holdingIntervals([
      // An expert takes an escalation and escalates it further: their slot is free again.
      event("e", "assigned", 10, "exp", "email"),
      event("e", "escalated_further", 20, "exp", "email"),
      // An expert hands back to the volunteer who escalated (data.to), then another hand-back goes to the queue.
      event("h", "assigned", 10, "exp"),
      event("h", "handed_back", 30, "vol"),
      event("q", "assigned", 10, "exp"),
      { ...event("q", "handed_back", 40, null), actorId: "exp" },
      // A resolved case the customer writes on comes back to its agent, or goes to the queue.
      event("r", "assigned", 10, "ann"),
      event("r", "resolved", 20, "ann"),
      event("r", "reopened", 50, "ann"),
      event("s", "reopened", 50, "queue"),
      // A case on hold whose slot was released is taken back.
      event("o", "assigned", 10, "bob"),
      event("o", "hold_slot_released", 20),
      { ...event("o", "resumed", 30, null), actorId: "bob" },
    ]);
    expect(doubleAssignments).toEqual([]);
    const of = (caseId: string) => intervals.filter((i) => i.caseId === caseId).map(({ agentId, from, to }) => ({ agentId, from, to }));
    expect(of("e")).toEqual([{ agentId: "exp", from: 10, to: 20 }]);
    expect(of("h")).toEqual([
      { agentId: "exp", from: 10, to: 30 },
      { agentId: "vol", from: 30, to: Number.POSITIVE_INFINITY },
    ]);
    expect(of("q")).toEqual([{ agentId: "exp", from: 10, to: 40 }]);
    expect(of("r")).toEqual([
      { agentId: "ann", from: 10, to: 20 },
      { agentId: "ann", from: 50, to: Number.POSITIVE_INFINITY },
    ]);
    expect(of("s")).toEqual([]);
    expect(of("o")).toEqual([
      { agentId: "bob", from: 10, to: 20 },
      { agentId: "bob", from: 30, to: Number.POSITIVE_INFINITY },
    ]);
    // The expert who escalated their e-mail case further holds no e-mail case after it.
    expect(slotExcesses([...intervals, { caseId: "f", channelId: "email", agentId: "exp", from: 25, to: 60 }], { email: 1, whatsapp: 3 })).toEqual([]);
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
