// The first admin of a fresh installation (`npm run admin:create`): an admin
// account with a password, or without one and a one-time link to set it.
// Production never depends on the demo seed for its first sign-in.
import { writeAudit } from "~/audit/audit-log.server";
import { PASSWORD_MIN_LENGTH } from "~/auth/auth-forms";
import { invitationPath, issueInvitation } from "~/auth/invitation.server";
import { hashPassword } from "~/auth/password.server";
import { db } from "~/db/db.server";

export class AdminCreateError extends Error {}

export type AdminCreated = { userId: string; email: string } & ({ kind: "password" } | { kind: "link"; path: string; expiresAt: Date });

export async function createAdmin(input: { email: string; name?: string; password?: string }): Promise<AdminCreated> {
  const email = input.email.trim().toLowerCase();
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw new AdminCreateError(`"${input.email}" is not an email address.`);
  if (input.password !== undefined && input.password.length < PASSWORD_MIN_LENGTH)
    throw new AdminCreateError(`Use at least ${PASSWORD_MIN_LENGTH} characters for the password.`);
  if (await db.user.findUnique({ where: { email }, select: { id: true } })) throw new AdminCreateError(`${email} already has an account.`);
  const name = input.name?.trim() || email.slice(0, email.indexOf("@"));
  const user = await db.user.create({
    data: { email, name, role: "admin", passwordHash: input.password === undefined ? null : await hashPassword(input.password) },
  });
  await writeAudit({ actorId: null, action: "user.created", subjectType: "User", subjectId: user.id, data: { role: "admin", via: "admin:create" } });
  if (input.password !== undefined) return { userId: user.id, email, kind: "password" };
  const invitation = await issueInvitation(user.id, null);
  return { userId: user.id, email, kind: "link", path: invitationPath(invitation.token), expiresAt: invitation.expiresAt };
}
