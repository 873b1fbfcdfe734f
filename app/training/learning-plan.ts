// A learner's training plan: the modules assigned to their role, in order,
// with what they can take now, what they have passed, what is left and where
// to pick up again. Pure: the route passes the modules and TrainingProgress rows.

export interface PlanModule {
  id: string;
  title: string;
  estimatedMinutes: number;
  prerequisites: readonly string[];
  /** Needed for certification (default); an optional module opens topics only. */
  required?: boolean;
}

export interface ProgressRow {
  moduleId: string;
  status: "in_progress" | "passed";
  /** Heading id where the learner left off. */
  lastSection: string | null;
  updatedAt: Date;
}

/**
 * locked: a prerequisite is not passed yet; available: can start now;
 * in_progress: started, quiz not passed; passed: done, skills granted.
 */
export type ModuleState = "locked" | "available" | "in_progress" | "passed";

export interface PlanStep<M extends PlanModule> {
  module: M;
  state: ModuleState;
  /** Prerequisites still to pass (only for a locked module). */
  missingPrerequisites: string[];
  lastSection: string | null;
}

export interface LearningPlan<M extends PlanModule> {
  steps: PlanStep<M>[];
  passedCount: number;
  totalCount: number;
  /** Rounded down, so the bar never shows 100 % before the last quiz is passed. */
  progressPercent: number;
  /** Minutes of the modules not passed yet; a started module counts in full. */
  minutesLeft: number;
  /** Where "Continue" goes: the latest module in progress, else the first available one. */
  resume: { moduleId: string; lastSection: string | null } | null;
  certified: boolean;
}

export function buildLearningPlan<M extends PlanModule>(
  modules: readonly M[],
  progress: readonly ProgressRow[],
): LearningPlan<M> {
  const rows = new Map(progress.map((row) => [row.moduleId, row]));
  const passedIds = new Set(progress.filter((row) => row.status === "passed").map((row) => row.moduleId));

  const steps = modules.map((module): PlanStep<M> => {
    const row = rows.get(module.id);
    const missingPrerequisites = module.prerequisites.filter((id) => !passedIds.has(id));
    // A started module stays open even if its prerequisites changed since:
    // the learner should not lose their place.
    const state: ModuleState =
      row?.status === "passed"
        ? "passed"
        : row?.status === "in_progress"
          ? "in_progress"
          : missingPrerequisites.length > 0
            ? "locked"
            : "available";
    return {
      module,
      state,
      missingPrerequisites: state === "locked" ? missingPrerequisites : [],
      lastSection: state === "in_progress" ? (row?.lastSection ?? null) : null,
    };
  });

  const passedCount = steps.filter((step) => step.state === "passed").length;
  const totalCount = steps.length;
  const latestInProgress = steps
    .filter((step) => step.state === "in_progress")
    .sort((a, b) => updatedAt(rows, b.module.id) - updatedAt(rows, a.module.id))[0];
  const resumeStep = latestInProgress ?? steps.find((step) => step.state === "available");

  return {
    steps,
    passedCount,
    totalCount,
    progressPercent: totalCount === 0 ? 0 : Math.floor((passedCount / totalCount) * 100),
    minutesLeft: steps
      .filter((step) => step.state !== "passed")
      .reduce((sum, step) => sum + step.module.estimatedMinutes, 0),
    resume: resumeStep ? { moduleId: resumeStep.module.id, lastSection: resumeStep.lastSection } : null,
    certified: isCertified(requiredModuleIds(modules), passedIds),
  };
}

function updatedAt(rows: Map<string, ProgressRow>, moduleId: string): number {
  return rows.get(moduleId)?.updatedAt.getTime() ?? 0;
}

/** The modules certification needs: all but those marked optional. */
export function requiredModuleIds(modules: readonly PlanModule[]): string[] {
  return modules.filter((module) => module.required !== false).map((module) => module.id);
}

/**
 * A learner is certified when every required module is passed. With nothing
 * required there is nothing to certify against, so the answer is no: an empty
 * or broken catalog must never certify anybody.
 */
export function isCertified(requiredModuleIds: readonly string[], passedIds: Iterable<string>): boolean {
  if (requiredModuleIds.length === 0) return false;
  const passed = new Set(passedIds);
  return requiredModuleIds.every((id) => passed.has(id));
}
