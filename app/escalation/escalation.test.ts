import { describe, expect, it } from "vitest";
import { ageLabel, escalationTarget, frequentReasons, handBackTarget, queueStatusOf, ratesPerPerson, ratesPerReason } from "./escalation";
import { DEFAULT_ESCALATION_LEVELS } from "./levels";

describe("where an escalation goes", () => {
  it("goes above both the case's level and the holder's own", () => {
    expect(escalationTarget(0, 0, DEFAULT_ESCALATION_LEVELS)?.level).toBe(1);
    // An experienced agent escalates to supervisors, not to their peers.
    expect(escalationTarget(0, 1, DEFAULT_ESCALATION_LEVELS)?.level).toBe(2);
    expect(escalationTarget(1, 1, DEFAULT_ESCALATION_LEVELS)?.level).toBe(2);
    expect(escalationTarget(2, 2, DEFAULT_ESCALATION_LEVELS)).toBeNull();
  });

  it("hands back to who escalated when they are online, still work at that level and have a free slot, else to that level's queue", () => {
    const volunteer = { online: true, active: true, level: 0, freeSlot: true };
    expect(handBackTarget({ raisedById: "v", fromLevel: 0, raiser: volunteer })).toEqual({ kind: "holder", assigneeId: "v", level: 0 });
    expect(handBackTarget({ raisedById: "v", fromLevel: 0, raiser: { ...volunteer, online: false } })).toEqual({ kind: "queue", level: 0 });
    expect(handBackTarget({ raisedById: "v", fromLevel: 0, raiser: { ...volunteer, active: false } })).toEqual({ kind: "queue", level: 0 });
    // At their limit on the case's channel, nobody is handed one more case.
    expect(handBackTarget({ raisedById: "v", fromLevel: 0, raiser: { ...volunteer, freeSlot: false } })).toEqual({ kind: "queue", level: 0 });
    expect(handBackTarget({ raisedById: null, fromLevel: 0, raiser: null })).toEqual({ kind: "queue", level: 0 });
    // An agent who escalated a level-1 case further gets it back at level 1; if they became a volunteer, it waits at level 1.
    expect(handBackTarget({ raisedById: "a", fromLevel: 1, raiser: { online: true, active: true, level: 1, freeSlot: true } })).toEqual({ kind: "holder", assigneeId: "a", level: 1 });
    expect(handBackTarget({ raisedById: "a", fromLevel: 1, raiser: { online: true, active: true, level: 0, freeSlot: true } })).toEqual({ kind: "queue", level: 1 });
    expect(queueStatusOf(0)).toBe("open");
    expect(queueStatusOf(1)).toBe("escalated");
  });
});

describe("the learning loop", () => {
  it("finds the reasons escalated at least the threshold times, most frequent first", () => {
    const rows = ["legal", "complex_rebooking", "complex_rebooking", "legal", "complex_rebooking", "unsure"].map((reasonCode) => ({ reasonCode }));
    expect(frequentReasons(rows, 2)).toEqual([
      { reasonCode: "complex_rebooking", count: 3 },
      { reasonCode: "legal", count: 2 },
    ]);
    expect(frequentReasons(rows, 3)).toEqual([{ reasonCode: "complex_rebooking", count: 3 }]);
    expect(frequentReasons(rows, 0)).toEqual([]);
  });

  it("computes rates per person against the cases they resolved, and shares per reason", () => {
    const people = ratesPerPerson(
      [
        { userId: "a", name: "Ann", count: 1 },
        { userId: "b", name: "Bob", count: 3 },
      ],
      [
        { userId: "a", count: 9 },
        { userId: "b", count: 1 },
      ],
    );
    expect(people.map((p) => [p.name, p.rate])).toEqual([
      ["Bob", 0.75],
      ["Ann", 0.1],
    ]);
    expect(ratesPerReason([{ reasonCode: "legal", count: 1 }, { reasonCode: "unsure", count: 3 }])).toEqual([
      { reasonCode: "unsure", count: 3, share: 0.75 },
      { reasonCode: "legal", count: 1, share: 0.25 },
    ]);
    expect(ratesPerReason([])).toEqual([]);
  });

  it("says how long a question has waited", () => {
    const now = new Date("2026-12-05T12:00:00Z");
    expect(ageLabel(new Date("2026-12-05T11:57:30Z"), now)).toBe("2 min");
    expect(ageLabel(new Date("2026-12-05T09:55:00Z"), now)).toBe("2 h 5 min");
    expect(ageLabel(new Date("2026-12-04T08:00:00Z"), now)).toBe("1 d 4 h");
    expect(ageLabel(new Date("2026-12-05T13:00:00Z"), now)).toBe("0 min");
  });
});
