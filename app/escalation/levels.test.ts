import { describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_LEVELS, levelName, levelOfRole, levelsWorkedBy, mayWorkEscalation, nextLevelAbove, type EscalationLevelDef } from "./levels";

const THREE: EscalationLevelDef[] = [
  { level: 2, name: "Supervisors", roles: ["supervisor", "admin"] },
  { level: 1, name: "Experienced agents", roles: ["agent"] },
  { level: 3, name: "Legal desk", roles: ["admin"] },
];

describe("escalation levels", () => {
  it("gives each role the highest level that lists it, and volunteers none", () => {
    expect(levelOfRole("volunteer", DEFAULT_ESCALATION_LEVELS)).toBe(0);
    expect(levelOfRole("agent", DEFAULT_ESCALATION_LEVELS)).toBe(1);
    expect(levelOfRole("supervisor", DEFAULT_ESCALATION_LEVELS)).toBe(2);
    expect(levelOfRole("admin", THREE)).toBe(3);
    expect(levelOfRole("planner", THREE)).toBe(0);
  });

  it("finds the next level above a case, whatever the order of the rows", () => {
    expect(nextLevelAbove(0, THREE)?.level).toBe(1);
    expect(nextLevelAbove(1, THREE)?.name).toBe("Supervisors");
    expect(nextLevelAbove(3, THREE)).toBeNull();
    expect(nextLevelAbove(0, [])).toBeNull();
  });

  it("lets an expert work escalations at their level or below, never ordinary cases as escalations", () => {
    expect(mayWorkEscalation(1, 1)).toBe(true);
    expect(mayWorkEscalation(2, 1)).toBe(true);
    expect(mayWorkEscalation(1, 2)).toBe(false);
    expect(mayWorkEscalation(2, 0)).toBe(false);
    expect(levelsWorkedBy(2, THREE)).toEqual([1, 2]);
    expect(levelsWorkedBy(0, THREE)).toEqual([]);
  });

  it("names levels", () => {
    expect(levelName(0, THREE)).toBe("Ordinary queue");
    expect(levelName(3, THREE)).toBe("Legal desk");
    expect(levelName(9, THREE)).toBe("Level 9");
  });
});
