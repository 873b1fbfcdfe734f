import { isCertified } from "./learning-plan";

// What the planner's training dashboard shows: completion per module and per
// cohort, who is stuck, how long modules take. Pure: the route passes the
// learners with their assigned modules, TrainingProgress rows and QuizAttempt rows.

export interface TrainingLearner {
  userId: string;
  /** Any grouping the planner chose: volunteer origin ("cabin_crew"), start week ("2020-W12") ... */
  cohort: string;
  /** The modules this learner must pass (their role's plan). */
  moduleIds: readonly string[];
  /** When training was assigned; lets a learner who never started count as stuck. */
  enrolledAt?: Date;
}

export interface TrainingProgressRecord {
  userId: string;
  moduleId: string;
  status: "in_progress" | "passed";
  startedAt: Date;
  updatedAt: Date;
  passedAt: Date | null;
}

export interface QuizAttemptRecord {
  userId: string;
  moduleId: string;
  passed: boolean;
  createdAt: Date;
}

export interface StatisticsOptions {
  now: Date;
  /** Failed attempts on one module, without a pass, that make a learner stuck. Default 3. */
  stuckAfterFailedAttempts?: number;
  /** Hours without any progress, while not finished, that make a learner stuck. Default 24. */
  stuckAfterIdleHours?: number;
}

export interface ModuleCompletion {
  moduleId: string;
  assigned: number;
  started: number;
  passed: number;
  completionPercent: number;
  failedAttempts: number;
  /** From starting the module to passing its quiz; null while nobody passed. */
  averageMinutesToPass: number | null;
}

export interface CohortCompletion {
  cohort: string;
  learners: number;
  certified: number;
  notStarted: number;
  /** Passed modules out of assigned modules, over the whole cohort. */
  completionPercent: number;
  averageMinutesToPass: number | null;
}

export type StuckReason =
  | { kind: "failed_attempts"; moduleId: string; failedAttempts: number }
  | { kind: "no_progress"; since: Date; idleHours: number };

export interface StuckLearner {
  userId: string;
  cohort: string;
  reasons: StuckReason[];
}

export interface TrainingStatistics {
  perModule: ModuleCompletion[];
  perCohort: CohortCompletion[];
  stuck: StuckLearner[];
  /** Learners with no progress and no attempt at all. */
  notStarted: string[];
  averageMinutesToPass: number | null;
}

export function trainingStatistics(
  data: {
    learners: readonly TrainingLearner[];
    progress: readonly TrainingProgressRecord[];
    attempts: readonly QuizAttemptRecord[];
  },
  options: StatisticsOptions,
): TrainingStatistics {
  const failedLimit = options.stuckAfterFailedAttempts ?? 3;
  const idleLimitMs = (options.stuckAfterIdleHours ?? 24) * 3_600_000;
  const progressOf = groupBy(data.progress, (row) => row.userId);
  const attemptsOf = groupBy(data.attempts, (attempt) => attempt.userId);
  const passedOf = (userId: string) =>
    new Set((progressOf.get(userId) ?? []).filter((row) => row.status === "passed").map((row) => row.moduleId));

  const moduleIds = [...new Set(data.learners.flatMap((learner) => learner.moduleIds))];
  const perModule = moduleIds.map((moduleId): ModuleCompletion => {
    const assignedTo = data.learners.filter((learner) => learner.moduleIds.includes(moduleId));
    const rows = assignedTo.flatMap((learner) => (progressOf.get(learner.userId) ?? []).filter((row) => row.moduleId === moduleId));
    const passed = rows.filter((row) => row.status === "passed").length;
    return {
      moduleId,
      assigned: assignedTo.length,
      started: rows.length,
      passed,
      completionPercent: percent(passed, assignedTo.length),
      failedAttempts: data.attempts.filter((attempt) => attempt.moduleId === moduleId && !attempt.passed).length,
      averageMinutesToPass: averageMinutesToPass(data.progress.filter((row) => row.moduleId === moduleId)),
    };
  });

  const hasActivity = (userId: string) => (progressOf.get(userId)?.length ?? 0) + (attemptsOf.get(userId)?.length ?? 0) > 0;
  const notStarted = data.learners.filter((learner) => !hasActivity(learner.userId)).map((learner) => learner.userId);

  const cohorts = [...new Set(data.learners.map((learner) => learner.cohort))].sort();
  const perCohort = cohorts.map((cohort): CohortCompletion => {
    const members = data.learners.filter((learner) => learner.cohort === cohort);
    const assigned = members.reduce((sum, learner) => sum + learner.moduleIds.length, 0);
    const passed = members.reduce((sum, learner) => {
      const passedIds = passedOf(learner.userId);
      return sum + learner.moduleIds.filter((id) => passedIds.has(id)).length;
    }, 0);
    return {
      cohort,
      learners: members.length,
      certified: members.filter((learner) => isCertified(learner.moduleIds, passedOf(learner.userId))).length,
      notStarted: members.filter((learner) => notStarted.includes(learner.userId)).length,
      completionPercent: percent(passed, assigned),
      averageMinutesToPass: averageMinutesToPass(members.flatMap((learner) => progressOf.get(learner.userId) ?? [])),
    };
  });

  const stuck: StuckLearner[] = [];
  for (const learner of data.learners) {
    const passedIds = passedOf(learner.userId);
    if (isCertified(learner.moduleIds, passedIds)) continue;
    const reasons: StuckReason[] = [];
    const attempts = attemptsOf.get(learner.userId) ?? [];

    for (const moduleId of learner.moduleIds) {
      if (passedIds.has(moduleId)) continue;
      const failedAttempts = attempts.filter((attempt) => attempt.moduleId === moduleId && !attempt.passed).length;
      if (failedAttempts >= failedLimit) reasons.push({ kind: "failed_attempts", moduleId, failedAttempts });
    }

    const lastActivity = latest([
      ...(progressOf.get(learner.userId) ?? []).map((row) => row.updatedAt),
      ...attempts.map((attempt) => attempt.createdAt),
      ...(learner.enrolledAt ? [learner.enrolledAt] : []),
    ]);
    if (lastActivity && options.now.getTime() - lastActivity.getTime() >= idleLimitMs) {
      const idleHours = Math.floor((options.now.getTime() - lastActivity.getTime()) / 3_600_000);
      reasons.push({ kind: "no_progress", since: lastActivity, idleHours });
    }
    if (reasons.length > 0) stuck.push({ userId: learner.userId, cohort: learner.cohort, reasons });
  }

  return { perModule, perCohort, stuck, notStarted, averageMinutesToPass: averageMinutesToPass(data.progress) };
}

function averageMinutesToPass(rows: readonly TrainingProgressRecord[]): number | null {
  const durations = rows
    .filter((row) => row.status === "passed" && row.passedAt)
    .map((row) => ((row.passedAt as Date).getTime() - row.startedAt.getTime()) / 60_000);
  if (durations.length === 0) return null;
  return Math.round(durations.reduce((sum, minutes) => sum + minutes, 0) / durations.length);
}

function percent(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 100);
}

function latest(dates: Date[]): Date | undefined {
  return dates.reduce<Date | undefined>((max, date) => (!max || date > max ? date : max), undefined);
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const group = groups.get(key(item));
    if (group) group.push(item);
    else groups.set(key(item), [item]);
  }
  return groups;
}
