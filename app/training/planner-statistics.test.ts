import { describe, expect, it } from "vitest";
import {
  trainingStatistics,
  type QuizAttemptRecord,
  type TrainingLearner,
  type TrainingProgressRecord,
} from "./planner-statistics";

const plan = ["console-basics", "case-lifecycle"];
const now = new Date("2020-03-18T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);

const learners: TrainingLearner[] = [
  { userId: "anna", cohort: "cabin_crew", moduleIds: plan }, // certified
  { userId: "bram", cohort: "cabin_crew", moduleIds: plan }, // fails the second quiz again and again
  { userId: "chloe", cohort: "pilot", moduleIds: plan }, // started, then went quiet for two days
  { userId: "dev", cohort: "pilot", moduleIds: plan, enrolledAt: hoursAgo(30) }, // never started
];

function progress(
  userId: string,
  moduleId: string,
  startedHoursAgo: number,
  passedMinutesLater: number | null,
  updatedHoursAgo = startedHoursAgo,
): TrainingProgressRecord {
  const startedAt = hoursAgo(startedHoursAgo);
  const passedAt = passedMinutesLater === null ? null : new Date(startedAt.getTime() + passedMinutesLater * 60_000);
  return {
    userId,
    moduleId,
    status: passedAt ? "passed" : "in_progress",
    startedAt,
    updatedAt: passedAt ?? hoursAgo(updatedHoursAgo),
    passedAt,
  };
}

const progressRows: TrainingProgressRecord[] = [
  progress("anna", "console-basics", 10, 12),
  progress("anna", "case-lifecycle", 9, 18),
  progress("bram", "console-basics", 5, 20),
  progress("bram", "case-lifecycle", 4, null, 1),
  progress("chloe", "console-basics", 50, null, 48),
];

const attempts: QuizAttemptRecord[] = [
  { userId: "anna", moduleId: "console-basics", passed: true, createdAt: hoursAgo(9.8) },
  { userId: "anna", moduleId: "case-lifecycle", passed: false, createdAt: hoursAgo(8.9) },
  { userId: "anna", moduleId: "case-lifecycle", passed: true, createdAt: hoursAgo(8.7) },
  { userId: "bram", moduleId: "console-basics", passed: true, createdAt: hoursAgo(4.7) },
  { userId: "bram", moduleId: "case-lifecycle", passed: false, createdAt: hoursAgo(3) },
  { userId: "bram", moduleId: "case-lifecycle", passed: false, createdAt: hoursAgo(2) },
  { userId: "bram", moduleId: "case-lifecycle", passed: false, createdAt: hoursAgo(1) },
];

describe("trainingStatistics", () => {
  const statistics = trainingStatistics({ learners, progress: progressRows, attempts }, { now });

  it("reports completion per module", () => {
    expect(statistics.perModule).toEqual([
      { moduleId: "console-basics", assigned: 4, started: 3, passed: 2, completionPercent: 50, failedAttempts: 0, averageMinutesToPass: 16 },
      { moduleId: "case-lifecycle", assigned: 4, started: 2, passed: 1, completionPercent: 25, failedAttempts: 4, averageMinutesToPass: 18 },
    ]);
  });

  it("reports completion per cohort", () => {
    expect(statistics.perCohort).toEqual([
      { cohort: "cabin_crew", learners: 2, certified: 1, notStarted: 0, completionPercent: 75, averageMinutesToPass: 17 },
      { cohort: "pilot", learners: 2, certified: 0, notStarted: 1, completionPercent: 0, averageMinutesToPass: null },
    ]);
    expect(statistics.notStarted).toEqual(["dev"]);
    expect(statistics.averageMinutesToPass).toBe(17);
  });

  it("finds who is stuck: repeated failures, or a day without progress", () => {
    expect(statistics.stuck).toEqual([
      { userId: "bram", cohort: "cabin_crew", reasons: [{ kind: "failed_attempts", moduleId: "case-lifecycle", failedAttempts: 3 }] },
      { userId: "chloe", cohort: "pilot", reasons: [{ kind: "no_progress", since: hoursAgo(48), idleHours: 48 }] },
      { userId: "dev", cohort: "pilot", reasons: [{ kind: "no_progress", since: hoursAgo(30), idleHours: 30 }] },
    ]);
  });

  it("does not call a learner stuck once they pass, and honours the planner's thresholds", () => {
    const anna = statistics.stuck.find((learner) => learner.userId === "anna");
    expect(anna).toBeUndefined();

    const stricter = trainingStatistics(
      { learners, progress: progressRows, attempts },
      { now, stuckAfterFailedAttempts: 4, stuckAfterIdleHours: 36 },
    );
    expect(stricter.stuck.map((learner) => learner.userId)).toEqual(["chloe"]);
  });

  it("handles an empty cohort list", () => {
    expect(trainingStatistics({ learners: [], progress: [], attempts: [] }, { now })).toEqual({
      perModule: [],
      perCohort: [],
      stuck: [],
      notStarted: [],
      averageMinutesToPass: null,
    });
  });
});
