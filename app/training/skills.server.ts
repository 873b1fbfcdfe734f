import type { SkillKind } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";

// Skills in the database: the Skill rows training modules grant, and a
// planner's hand-made grants and revocations (each with a reason, audited).

const SKILL_KINDS: readonly SkillKind[] = ["topic", "channel", "language", "task"];

/** "topic:refund-status" -> "Refund status" (used when a module grants a skill nobody created yet). */
export function skillNameFromId(skillId: string): string {
  const slug = skillId.slice(skillId.indexOf(":") + 1).replace(/[-_]+/g, " ");
  return slug.charAt(0).toUpperCase() + slug.slice(1);
}

/** Creates the Skill rows a module grants, when they do not exist yet. */
export async function ensureSkills(skillIds: readonly string[]): Promise<void> {
  const rows = skillIds.flatMap((id) => {
    const kind = id.slice(0, id.indexOf(":")) as SkillKind;
    return SKILL_KINDS.includes(kind) ? [{ id, kind, name: skillNameFromId(id) }] : [];
  });
  if (rows.length > 0) await db.skill.createMany({ data: rows, skipDuplicates: true });
}

export async function listSkills() {
  return db.skill.findMany({ orderBy: [{ kind: "asc" }, { id: "asc" }], select: { id: true, kind: true, name: true } });
}

/** A person a planner may grant skills to, with the skills they hold. */
export async function findSkillHolder(email: string) {
  return db.user.findUnique({
    where: { email: email.trim().toLowerCase() },
    select: {
      id: true,
      name: true,
      email: true,
      role: true,
      skills: {
        orderBy: { skillId: "asc" },
        select: { skillId: true, source: true, reason: true, grantedAt: true, skill: { select: { name: true } }, grantedBy: { select: { name: true } } },
      },
    },
  });
}

/** Roles whose skills a planner manages: the people a planner may also create. */
export const SKILL_HOLDER_ROLES = ["volunteer", "agent"] as const;

export class SkillChangeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}

export async function grantSkill(input: { userId: string; skillId: string; reason: string; actorId: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const skill = await tx.skill.findUnique({ where: { id: input.skillId } });
    if (!skill) throw new SkillChangeError(`There is no skill "${input.skillId}".`, 404);
    const existing = await tx.userSkill.findUnique({ where: { userId_skillId: { userId: input.userId, skillId: input.skillId } } });
    if (existing) throw new SkillChangeError(`This person already holds "${skill.name}".`, 409);
    await tx.userSkill.create({
      data: { userId: input.userId, skillId: input.skillId, source: "planner", reason: input.reason, grantedById: input.actorId },
    });
    await writeAudit(
      { actorId: input.actorId, action: "skill.granted", subjectType: "User", subjectId: input.userId, data: { skillId: input.skillId, reason: input.reason } },
      tx,
    );
  });
}

export async function revokeSkill(input: { userId: string; skillId: string; reason: string; actorId: string }): Promise<void> {
  await db.$transaction(async (tx) => {
    const existing = await tx.userSkill.findUnique({ where: { userId_skillId: { userId: input.userId, skillId: input.skillId } } });
    if (!existing) throw new SkillChangeError(`This person does not hold "${input.skillId}".`, 404);
    await tx.userSkill.delete({ where: { userId_skillId: { userId: input.userId, skillId: input.skillId } } });
    await writeAudit(
      {
        actorId: input.actorId,
        action: "skill.revoked",
        subjectType: "User",
        subjectId: input.userId,
        data: { skillId: input.skillId, reason: input.reason, previousSource: existing.source },
      },
      tx,
    );
  });
}
