import { describe, expect, it } from "vitest";
import { buildLearningPlan, isCertified, type PlanModule, type ProgressRow } from "./learning-plan";

const modules: PlanModule[] = [
  { id: "console-basics", title: "Console", estimatedMinutes: 10, prerequisites: [] },
  { id: "case-lifecycle", title: "Case lifecycle", estimatedMinutes: 12, prerequisites: ["console-basics"] },
  { id: "identity-checks", title: "Identity", estimatedMinutes: 8, prerequisites: ["console-basics"] },
  { id: "refunds-and-vouchers", title: "Refunds", estimatedMinutes: 12, prerequisites: ["case-lifecycle", "identity-checks"] },
];

const at = (time: string) => new Date(`2020-03-16T${time}:00Z`);

function row(moduleId: string, status: ProgressRow["status"], updatedAt: Date, lastSection: string | null = null): ProgressRow {
  return { moduleId, status, lastSection, updatedAt };
}

describe("buildLearningPlan", () => {
  it("starts a new learner at the first module, with everything else locked behind it", () => {
    const plan = buildLearningPlan(modules, []);
    expect(plan.steps.map((step) => [step.module.id, step.state])).toEqual([
      ["console-basics", "available"],
      ["case-lifecycle", "locked"],
      ["identity-checks", "locked"],
      ["refunds-and-vouchers", "locked"],
    ]);
    expect(plan.steps[3]?.missingPrerequisites).toEqual(["case-lifecycle", "identity-checks"]);
    expect(plan).toMatchObject({
      passedCount: 0,
      totalCount: 4,
      progressPercent: 0,
      minutesLeft: 42,
      resume: { moduleId: "console-basics", lastSection: null },
      certified: false,
    });
  });

  it("unlocks a module only when all its prerequisites are passed, keeping the given order", () => {
    const plan = buildLearningPlan(modules, [row("console-basics", "passed", at("09:10")), row("case-lifecycle", "passed", at("09:30"))]);
    expect(plan.steps.map((step) => step.state)).toEqual(["passed", "passed", "available", "locked"]);
    expect(plan.steps[3]?.missingPrerequisites).toEqual(["identity-checks"]);
    expect(plan.progressPercent).toBe(50);
    expect(plan.minutesLeft).toBe(20);
  });

  it("resumes the module in progress most recently touched, at its last section", () => {
    const plan = buildLearningPlan(modules, [
      row("console-basics", "passed", at("09:10")),
      row("case-lifecycle", "in_progress", at("09:20"), "five-statuses"),
      row("identity-checks", "in_progress", at("09:40"), "what-you-never-ask-for"),
    ]);
    expect(plan.resume).toEqual({ moduleId: "identity-checks", lastSection: "what-you-never-ask-for" });
    expect(plan.steps[1]).toMatchObject({ state: "in_progress", lastSection: "five-statuses" });
    // A started module still counts in full towards the time left.
    expect(plan.minutesLeft).toBe(32);
    expect(plan.progressPercent).toBe(25);
  });

  it("rounds progress down, so it never shows 100 % too early", () => {
    const threeModules = modules.slice(0, 3);
    const plan = buildLearningPlan(threeModules, [row("console-basics", "passed", at("09:00")), row("case-lifecycle", "passed", at("09:10"))]);
    expect(plan.progressPercent).toBe(66);
  });

  it("keeps a started module open even if a prerequisite was added after the learner began", () => {
    const plan = buildLearningPlan(modules, [row("refunds-and-vouchers", "in_progress", at("10:00"), "vouchers")]);
    expect(plan.steps[3]).toMatchObject({ state: "in_progress", missingPrerequisites: [], lastSection: "vouchers" });
  });

  it("certifies the learner when every module is passed, and has nothing left to resume", () => {
    const plan = buildLearningPlan(
      modules,
      modules.map((module) => row(module.id, "passed", at("11:00"))),
    );
    expect(plan).toMatchObject({ progressPercent: 100, minutesLeft: 0, resume: null, certified: true });
  });
});

describe("isCertified", () => {
  it("needs every required module passed; extra passes do not matter", () => {
    expect(isCertified(["console-basics", "case-lifecycle"], ["case-lifecycle", "console-basics", "written-tone"])).toBe(true);
    expect(isCertified(["console-basics", "case-lifecycle"], new Set(["console-basics"]))).toBe(false);
  });

  it("never certifies against an empty list", () => {
    expect(isCertified([], ["console-basics"])).toBe(false);
  });
});
