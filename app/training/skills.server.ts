import type { SkillKind } from "@prisma/client";
import { writeAudit, writeAuditRows } from "~/audit/audit-log.server";
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

/** The names of the given skills, in the order given. */
export async function skillNames(skillIds: readonly string[]): Promise<string[]> {
  if (skillIds.length === 0) return [];
  const rows = await db.skill.findMany({ where: { id: { in: [...skillIds] } }, select: { id: true, name: true } });
  const names = new Map(rows.map((row) => [row.id, row.name]));
  return skillIds.map((id) => names.get(id) ?? skillNameFromId(id));
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

export function isSkillHolderRole(role: string): boolean {
  return (SKILL_HOLDER_ROLES as readonly string[]).includes(role);
}

export class SkillChangeError extends Error {
  constructor(
    message: string,
    readonly status: 400 | 403 | 404 | 409,
  ) {
    super(message);
  }
}

/** Why a person was left out of a hand-made grant. */
export type GrantSkip = "unknown" | "not_a_skill_holder" | "released" | "already_held";

export interface GrantOutcome {
  skillName: string;
  granted: { userId: string; name: string }[];
  skipped: { userId: string; why: GrantSkip }[];
}

/**
 * Grants a skill by hand (source "planner"), with a reason, audited per
 * person. The one set of rules for every caller (the skills page grants to
 * one person, the roster to a selection): the skill exists; only volunteers
 * and agents hold hand-granted skills; never to a released volunteer or a
 * disabled account; someone who already holds it is left out, not changed.
 */
export async function grantSkill(input: { userIds: readonly string[]; skillId: string; reason: string; actorId: string }): Promise<GrantOutcome> {
  return db.$transaction(async (tx) => {
    const skill = await tx.skill.findUnique({ where: { id: input.skillId }, select: { name: true } });
    if (!skill) throw new SkillChangeError(`There is no skill "${input.skillId}".`, 404);
    const people = await tx.user.findMany({
      where: { id: { in: [...input.userIds] } },
      select: { id: true, name: true, role: true, status: true, volunteer: { select: { status: true } }, skills: { where: { skillId: input.skillId }, select: { skillId: true } } },
    });
    const byId = new Map(people.map((person) => [person.id, person]));
    const outcome: GrantOutcome = { skillName: skill.name, granted: [], skipped: [] };
    for (const userId of new Set(input.userIds)) {
      const person = byId.get(userId);
      const why: GrantSkip | null = !person
        ? "unknown"
        : !isSkillHolderRole(person.role)
          ? "not_a_skill_holder"
          : person.status === "disabled" || person.volunteer?.status === "released"
            ? "released"
            : person.skills.length > 0
              ? "already_held"
              : null;
      if (why) outcome.skipped.push({ userId, why });
      else outcome.granted.push({ userId, name: person!.name });
    }
    await tx.userSkill.createMany({
      data: outcome.granted.map(({ userId }) => ({ userId, skillId: input.skillId, source: "planner" as const, reason: input.reason, grantedById: input.actorId })),
      skipDuplicates: true,
    });
    await writeAuditRows(
      outcome.granted.map(({ userId }) => ({
        actorId: input.actorId,
        action: "skill.granted",
        subjectType: "User",
        subjectId: userId,
        data: { skillId: input.skillId, reason: input.reason },
      })),
      tx,
    );
    return outcome;
  });
}

const SKIP_REFUSALS: Record<GrantSkip, { status: 403 | 404 | 409; message: (skillName: string) => string }> = {
  unknown: { status: 404, message: () => "There is no person with this id." },
  not_a_skill_holder: { status: 403, message: () => "Skills are granted by hand to volunteers and agents only." },
  released: { status: 409, message: () => "This person was released; their skills no longer change." },
  already_held: { status: 409, message: (skillName) => `This person already holds "${skillName}".` },
};

/** Grants a skill to one person; anything grantSkill would leave out is an error here. Returns the person's name. */
export async function grantSkillTo(input: { userId: string; skillId: string; reason: string; actorId: string }): Promise<string> {
  const outcome = await grantSkill({ ...input, userIds: [input.userId] });
  const skip = outcome.skipped[0];
  if (skip) {
    const refusal = SKIP_REFUSALS[skip.why];
    throw new SkillChangeError(refusal.message(outcome.skillName), refusal.status);
  }
  return outcome.granted[0]!.name;
}

/** Takes a skill away from a volunteer or agent, whatever gave it, with a reason, audited. Returns the person's name. */
export async function revokeSkill(input: { userId: string; skillId: string; reason: string; actorId: string }): Promise<string> {
  return db.$transaction(async (tx) => {
    const person = await tx.user.findUnique({ where: { id: input.userId }, select: { name: true, role: true } });
    if (!person) throw new SkillChangeError(SKIP_REFUSALS.unknown.message(""), 404);
    if (!isSkillHolderRole(person.role)) throw new SkillChangeError(SKIP_REFUSALS.not_a_skill_holder.message(""), 403);
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
    return person.name;
  });
}
