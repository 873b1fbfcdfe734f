import type { Prisma, Role } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { forgetRoutingAgent } from "~/cases/routing.server";
import { db } from "~/db/db.server";
import { getTrainingCatalog } from "./catalog.server";
import { buildLearningPlan, isCertified, requiredModuleIds, type LearningPlan, type PlanStep } from "./learning-plan";
import { getModule, modulesForRole, type TrainingCatalog, type TrainingModule } from "./modules.server";
import { TRAINING_ROLES, type TrainingRole } from "./module-frontmatter";
import { canRetry, scoreQuizAttempt, type QuizAnswers, type QuizResult } from "./quiz";
import { ensureSkills } from "./skills.server";

// A learner's side of training, in the database: their plan, starting a
// module, where they left off, quiz attempts, skills granted on a pass, and the
// volunteer's move from invited -> training -> certified.

export interface Learner {
  id: string;
  role: Role;
  locale: string;
}

const PROFICIENCY_RANK = { native: 0, fluent: 1, basic: 2 } as const;

/** The learner's languages, best first: their account language, then their volunteer languages. */
export async function learnerLanguages(learner: Learner): Promise<string[]> {
  const languages = await db.volunteerLanguage.findMany({
    where: { volunteer: { userId: learner.id } },
    select: { language: true, proficiency: true },
  });
  const ranked = [...languages].sort((a, b) => PROFICIENCY_RANK[a.proficiency] - PROFICIENCY_RANK[b.proficiency]);
  return [...new Set([learner.locale, ...ranked.map((row) => row.language)])];
}

function trainingRole(role: Role): TrainingRole | null {
  return (TRAINING_ROLES as readonly string[]).includes(role) ? (role as TrainingRole) : null;
}

export interface LearnerPlan {
  catalog: TrainingCatalog;
  languages: string[];
  plan: LearningPlan<TrainingModule>;
}

export async function loadLearnerPlan(learner: Learner): Promise<LearnerPlan> {
  const [catalog, languages, progress] = await Promise.all([
    getTrainingCatalog(),
    learnerLanguages(learner),
    db.trainingProgress.findMany({ where: { userId: learner.id } }),
  ]);
  const role = trainingRole(learner.role);
  const modules = role ? modulesForRole(catalog, role, languages) : [];
  return { catalog, languages, plan: buildLearningPlan(modules, progress) };
}

export class TrainingAccessError extends Error {
  constructor(
    message: string,
    readonly status: 403 | 404,
  ) {
    super(message);
  }
}

/**
 * The learner's step for a module, or an error saying why they may not open it:
 * 404 when no module has the id, 403 when it is not in their plan or still locked.
 */
export function stepFor(learnerPlan: LearnerPlan, moduleId: string): PlanStep<TrainingModule> {
  const step = learnerPlan.plan.steps.find((candidate) => candidate.module.id === moduleId);
  if (step) {
    if (step.state === "locked") {
      const titles = step.missingPrerequisites.map(
        (id) => `"${getModule(learnerPlan.catalog, id, learnerPlan.languages)?.title ?? id}"`,
      );
      throw new TrainingAccessError(`This module is locked. Pass ${titles.join(" and ")} first.`, 403);
    }
    return step;
  }
  if (learnerPlan.catalog.modules.some((module) => module.id === moduleId)) {
    throw new TrainingAccessError("This module is not part of your training.", 403);
  }
  throw new TrainingAccessError("There is no training module with this name.", 404);
}

/**
 * Opening a module starts it: a TrainingProgress row (kept as it is when it
 * exists), and an invited volunteer moves to "training".
 */
export async function startModule(learner: Learner, moduleId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    await tx.trainingProgress.upsert({
      where: { userId_moduleId: { userId: learner.id, moduleId } },
      create: { userId: learner.id, moduleId },
      update: {},
    });
    const moved = await tx.volunteer.updateMany({ where: { userId: learner.id, status: "invited" }, data: { status: "training" } });
    if (moved.count > 0) {
      await writeAudit(
        { actorId: learner.id, action: "volunteer.status_changed", subjectType: "User", subjectId: learner.id, data: { from: "invited", to: "training", moduleId } },
        tx,
      );
    }
  });
}

/** Remembers the section (a heading id of the module) the learner reached. */
export async function recordSection(learner: Learner, module: TrainingModule, sectionId: string): Promise<boolean> {
  if (!module.sections.some((section) => section.id === sectionId)) return false;
  await db.trainingProgress.upsert({
    where: { userId_moduleId: { userId: learner.id, moduleId: module.id } },
    create: { userId: learner.id, moduleId: module.id, lastSection: sectionId },
    update: { lastSection: sectionId },
  });
  return true;
}

/** The learner's progress row for one module (null before they open it). */
export async function moduleProgress(userId: string, moduleId: string) {
  return db.trainingProgress.findUnique({ where: { userId_moduleId: { userId, moduleId } } });
}

/** The volunteer status of a learner (null for staff, who have no volunteer profile). */
export async function learnerVolunteerStatus(userId: string) {
  const volunteer = await db.volunteer.findUnique({ where: { userId }, select: { status: true } });
  return volunteer?.status ?? null;
}

/** The learner's time zone (a volunteer's, from enrolment; UTC for staff), for retry times. */
export async function learnerTimeZone(userId: string): Promise<string> {
  const volunteer = await db.volunteer.findUnique({ where: { userId }, select: { timeZone: true } });
  return volunteer?.timeZone ?? "UTC";
}

export async function lastAttempt(userId: string, moduleId: string) {
  return db.quizAttempt.findFirst({ where: { userId, moduleId }, orderBy: { createdAt: "desc" } });
}

export async function attemptCount(userId: string, moduleId: string): Promise<number> {
  return db.quizAttempt.count({ where: { userId, moduleId } });
}

/**
 * Reads the quiz answers from a posted form: fields named "answer.<question id>",
 * one value per chosen choice. Unknown questions or choices are refused;
 * an unanswered question comes back in `missing`.
 */
export function answersFromForm(module: TrainingModule, form: FormData): { answers: QuizAnswers; missing: string[]; invalid: string[] } {
  const answers: Record<string, string[]> = {};
  const missing: string[] = [];
  const invalid: string[] = [];
  for (const question of module.quiz.questions) {
    const chosen = [...new Set(form.getAll(`answer.${question.id}`).filter((value): value is string => typeof value === "string"))];
    const known = question.choices.map((choice) => choice.id);
    if (chosen.some((id) => !known.includes(id)) || (question.correct.length === 1 && chosen.length > 1)) invalid.push(question.id);
    if (chosen.length === 0) missing.push(question.id);
    answers[question.id] = chosen;
  }
  for (const key of new Set(form.keys())) {
    if (key.startsWith("answer.") && !module.quiz.questions.some((question) => `answer.${question.id}` === key)) invalid.push(key.slice(7));
  }
  return { answers, missing, invalid };
}

export type QuizOutcome =
  | { kind: "already_passed" }
  | { kind: "wait"; retryAt: Date }
  | { kind: "scored"; result: QuizResult; attemptNumber: number; grantedSkills: string[]; certified: boolean; retryAt: Date | null };

/**
 * Records one attempt. A pass marks the module passed, grants its skills
 * (source "training"; a skill the learner already holds is left as it is) and
 * certifies a volunteer whose required modules are now all passed. A retry
 * before the module's wait is over is refused without recording anything.
 */
export async function submitQuiz(
  learner: Learner,
  module: TrainingModule,
  requiredModuleIds: readonly string[],
  answers: QuizAnswers,
  now: Date = new Date(),
): Promise<QuizOutcome> {
  const progress = await db.trainingProgress.findUnique({ where: { userId_moduleId: { userId: learner.id, moduleId: module.id } } });
  if (progress?.status === "passed") return { kind: "already_passed" };
  const previous = await lastAttempt(learner.id, module.id);
  const retry = canRetry(previous?.createdAt, module.quiz.retryAfterMinutes, now);
  if (!retry.allowed && retry.retryAt) return { kind: "wait", retryAt: retry.retryAt };

  const result = scoreQuizAttempt(module.quiz, answers);
  if (result.passed) await ensureSkills(module.grantsSkills);

  const outcome = await db.$transaction(async (tx): Promise<QuizOutcome> => {
    await tx.quizAttempt.create({
      data: { userId: learner.id, moduleId: module.id, score: result.score, passed: result.passed, answers: answers as Prisma.InputJsonValue, createdAt: now },
    });
    const attemptNumber = await tx.quizAttempt.count({ where: { userId: learner.id, moduleId: module.id } });
    await tx.trainingProgress.upsert({
      where: { userId_moduleId: { userId: learner.id, moduleId: module.id } },
      create: { userId: learner.id, moduleId: module.id, startedAt: now, ...(result.passed ? { status: "passed", passedAt: now } : {}) },
      update: result.passed ? { status: "passed", passedAt: now } : {},
    });
    if (!result.passed) {
      return { kind: "scored", result, attemptNumber, grantedSkills: [], certified: false, retryAt: canRetry(now, module.quiz.retryAfterMinutes, now).retryAt };
    }

    const held = new Set(
      (await tx.userSkill.findMany({ where: { userId: learner.id, skillId: { in: module.grantsSkills } }, select: { skillId: true } })).map((row) => row.skillId),
    );
    const grantedSkills = module.grantsSkills.filter((skillId) => !held.has(skillId));
    if (grantedSkills.length > 0) {
      await tx.userSkill.createMany({
        data: grantedSkills.map((skillId) => ({ userId: learner.id, skillId, source: "training" as const, reason: `Passed training module ${module.id}`, grantedAt: now })),
        skipDuplicates: true,
      });
    }
    await writeAudit(
      {
        actorId: learner.id,
        action: "training.passed",
        subjectType: "User",
        subjectId: learner.id,
        data: { moduleId: module.id, language: module.language, score: result.score, total: result.total, grantedSkills },
      },
      tx,
    );

    let certified = false;
    const volunteer = await tx.volunteer.findUnique({ where: { userId: learner.id }, select: { status: true } });
    if (volunteer && (volunteer.status === "invited" || volunteer.status === "training")) {
      const passed = await tx.trainingProgress.findMany({ where: { userId: learner.id, status: "passed" }, select: { moduleId: true } });
      if (isCertified(requiredModuleIds, passed.map((row) => row.moduleId))) {
        await tx.volunteer.update({ where: { userId: learner.id }, data: { status: "certified" } });
        await writeAudit(
          { actorId: learner.id, action: "volunteer.status_changed", subjectType: "User", subjectId: learner.id, data: { from: volunteer.status, to: "certified", moduleId: module.id } },
          tx,
        );
        certified = true;
      }
    }
    return { kind: "scored", result, attemptNumber, grantedSkills, certified, retryAt: null };
  });
  // The new skills (and certification) count for the very next "Next case".
  if (outcome.kind === "scored" && outcome.result.passed) forgetRoutingAgent(learner.id);
  return outcome;
}

/** The modules a volunteer must pass to be certified: every required volunteer module, in their languages. */
export function requiredVolunteerModules(catalog: TrainingCatalog, languages: readonly string[]): string[] {
  return requiredModuleIds(modulesForRole(catalog, "volunteer", languages));
}

export interface ModuleLink {
  id: string;
  title: string;
  href: string;
  state: PlanStep<TrainingModule>["state"];
}

/**
 * What stands between the learner and their first case: the required modules
 * not passed yet, in plan order, with links (for "Next case" and the home page).
 */
export async function requiredModulesLeft(learner: Learner): Promise<ModuleLink[]> {
  const { plan } = await loadLearnerPlan(learner);
  return plan.steps
    .filter((step) => step.module.required !== false && step.state !== "passed")
    .map((step) => ({ id: step.module.id, title: step.module.title, href: `/training/${step.module.id}`, state: step.state }));
}
