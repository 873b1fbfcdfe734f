// A volunteer's next step on the home page: the training still required
// before the first case, then cases; and what training has opened: the
// topics they may now be given ("you can now take refund questions") and the
// modules that would open the others.
import { takingRefusal } from "~/cases/routing";
import { db } from "~/db/db.server";
import { loadLearnerPlan, type Learner, type ModuleLink } from "~/training/learner.server";

export interface TopicOpening {
  skillId: string;
  /** The skill's name, e.g. "Refund questions". */
  name: string;
  /** Topic names it opens, e.g. ["Refund status", "Vouchers"]. */
  topics: string[];
}

export interface VolunteerNextStep {
  canTakeCases: boolean;
  /** Why not, when not (paused, not certified). */
  blockedBecause: string | null;
  modulesLeft: ModuleLink[];
  topicsOpen: (TopicOpening & { grantedAt: Date })[];
  topicsToEarn: (TopicOpening & { module: { title: string; href: string } | null })[];
}

export async function volunteerNextStep(learner: Learner): Promise<VolunteerNextStep> {
  const [{ plan }, volunteer, held, topics] = await Promise.all([
    loadLearnerPlan(learner),
    db.volunteer.findUnique({ where: { userId: learner.id }, select: { status: true } }),
    db.userSkill.findMany({ where: { userId: learner.id, skill: { kind: "topic" } }, select: { skillId: true, grantedAt: true } }),
    db.topic.findMany({ where: { skillId: { not: null } }, orderBy: { name: "asc" }, select: { name: true, skill: { select: { id: true, name: true } } } }),
  ]);
  const refusal = takingRefusal({ role: learner.role, volunteerStatus: volunteer?.status ?? null });
  const bySkill = new Map<string, TopicOpening>();
  for (const topic of topics) {
    if (!topic.skill) continue;
    const opening = bySkill.get(topic.skill.id) ?? { skillId: topic.skill.id, name: topic.skill.name, topics: [] };
    opening.topics.push(topic.name);
    bySkill.set(topic.skill.id, opening);
  }
  const heldAt = new Map(held.map((row) => [row.skillId, row.grantedAt]));
  const openings = [...bySkill.values()];
  return {
    canTakeCases: refusal === null,
    blockedBecause: refusal?.message ?? null,
    modulesLeft: plan.steps
      .filter((step) => step.module.required !== false && step.state !== "passed")
      .map((step) => ({ id: step.module.id, title: step.module.title, href: `/training/${step.module.id}`, state: step.state })),
    topicsOpen: openings.filter((o) => heldAt.has(o.skillId)).map((o) => ({ ...o, grantedAt: heldAt.get(o.skillId)! })),
    topicsToEarn: openings
      .filter((o) => !heldAt.has(o.skillId))
      .map((o) => {
        const step = plan.steps.find((candidate) => candidate.module.grantsSkills.includes(o.skillId));
        return { ...o, module: step ? { title: step.module.title, href: `/training/${step.module.id}` } : null };
      }),
  };
}
