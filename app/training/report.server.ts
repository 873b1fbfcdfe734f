import type { VolunteerOrigin, VolunteerStatus } from "@prisma/client";
import { db } from "~/db/db.server";
import { getTrainingCatalog } from "./catalog.server";
import { modulesForRole, type TrainingProblem } from "./modules.server";
import { trainingStatistics, type StuckReason, type TrainingStatistics } from "./planner-statistics";

// The planner's training report: every volunteer who is not released is a
// learner of the volunteer plan; their cohort is where they come from.

/** Volunteers still learning; only they can be "stuck" (an active volunteer trained before this system is not). */
const STILL_LEARNING: readonly VolunteerStatus[] = ["invited", "training"];

export const ORIGIN_LABELS: Record<VolunteerOrigin, string> = {
  cabin_crew: "Cabin crew",
  pilot: "Pilots",
  ground: "Ground staff",
  office: "Office staff",
  other: "Other",
};

export interface StuckRow {
  userId: string;
  name: string;
  email: string;
  cohort: string;
  status: VolunteerStatus;
  reasons: StuckReason[];
}

export interface TrainingReport {
  statistics: TrainingStatistics;
  moduleTitles: Record<string, string>;
  stuck: StuckRow[];
  learnerCount: number;
  problems: TrainingProblem[];
}

export async function loadTrainingReport(options: { now?: Date } = {}): Promise<TrainingReport> {
  const now = options.now ?? new Date();
  const catalog = await getTrainingCatalog();
  const modules = modulesForRole(catalog, "volunteer", ["en"]);
  const moduleIds = modules.map((module) => module.id);

  const volunteers = await db.volunteer.findMany({
    where: { status: { not: "released" } },
    select: { userId: true, origin: true, status: true, startDate: true, createdAt: true, user: { select: { name: true, email: true } } },
  });
  const userIds = volunteers.map((volunteer) => volunteer.userId);
  const [progress, attempts] = await Promise.all([
    db.trainingProgress.findMany({
      where: { userId: { in: userIds }, moduleId: { in: moduleIds } },
      select: { userId: true, moduleId: true, status: true, startedAt: true, updatedAt: true, passedAt: true },
    }),
    db.quizAttempt.findMany({
      where: { userId: { in: userIds }, moduleId: { in: moduleIds } },
      select: { userId: true, moduleId: true, passed: true, createdAt: true },
    }),
  ]);

  const statistics = trainingStatistics(
    {
      learners: volunteers.map((volunteer) => ({
        userId: volunteer.userId,
        cohort: volunteer.origin,
        moduleIds,
        enrolledAt: volunteer.startDate && volunteer.startDate < now ? volunteer.startDate : volunteer.createdAt,
      })),
      progress,
      attempts,
    },
    { now },
  );

  const byUser = new Map(volunteers.map((volunteer) => [volunteer.userId, volunteer]));
  const stuck = statistics.stuck.flatMap((row): StuckRow[] => {
    const volunteer = byUser.get(row.userId);
    if (!volunteer || !STILL_LEARNING.includes(volunteer.status)) return [];
    return [{ userId: row.userId, name: volunteer.user.name, email: volunteer.user.email, cohort: row.cohort, status: volunteer.status, reasons: row.reasons }];
  });
  stuck.sort((a, b) => b.reasons.length - a.reasons.length || a.name.localeCompare(b.name));

  return {
    statistics,
    moduleTitles: Object.fromEntries(modules.map((module) => [module.id, module.title])),
    stuck,
    learnerCount: volunteers.length,
    problems: catalog.problems,
  };
}
