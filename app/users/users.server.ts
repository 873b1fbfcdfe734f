import { accessibleBy } from "@casl/prisma";
import type { Prisma, Role } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { issueInvitation } from "~/auth/invitation.server";
import { db } from "~/db/db.server";
import { isUniqueViolation } from "~/db/unique-violation";
import type { AppAbility } from "~/permissions/ability";

export class EmailTakenError extends Error {}

/** Creates an account without a password and returns its one-time invitation. */
export async function createInvitedUser(
  input: { name: string; email: string; role: Role },
  actorId: string,
): Promise<{ userId: string; token: string; expiresAt: Date }> {
  const existing = await db.user.findUnique({ where: { email: input.email }, select: { id: true } });
  if (existing) throw new EmailTakenError(`${input.email} already has an account.`);
  let userId: string;
  try {
    const user = await db.user.create({ data: { ...input } });
    userId = user.id;
  } catch (error) {
    // Two planners adding the same person at once: the unique index decides.
    if (isUniqueViolation(error)) {
      throw new EmailTakenError(`${input.email} already has an account.`);
    }
    throw error;
  }
  await writeAudit({ actorId, action: "user.created", subjectType: "User", subjectId: userId, data: { role: input.role } });
  const invitation = await issueInvitation(userId, actorId);
  return { userId, ...invitation };
}

export async function listUsers(ability: AppAbility, { page, pageSize, role }: { page: number; pageSize: number; role?: Role }) {
  const where: Prisma.UserWhereInput = { AND: [accessibleBy(ability).ofType("User"), role ? { role } : {}] };
  const [users, total] = await Promise.all([
    db.user.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        name: true,
        email: true,
        role: true,
        status: true,
        passwordHash: true,
        createdAt: true,
      },
    }),
    db.user.count({ where }),
  ]);
  // Never send the hash: only whether the person has set a password yet.
  return {
    users: users.map(({ passwordHash, ...user }) => ({ ...user, hasSignedUp: passwordHash !== null })),
    total,
  };
}

export async function findUser(id: string) {
  return db.user.findUnique({ where: { id }, select: { id: true, role: true, email: true, name: true } });
}
