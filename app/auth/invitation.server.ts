import { createHash, randomBytes } from "node:crypto";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { hashPassword } from "./password.server";

export const INVITATION_HOURS = 72;

export function hashInvitationToken(token: string): string {
  return createHash("sha256").update(token).digest("hex");
}

export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

/**
 * Issues a new one-time link for a user, revoking any earlier unused one.
 * Only the token's hash is stored, so a database leak gives no usable links.
 */
export async function issueInvitation(
  userId: string,
  createdById: string | null,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = randomBytes(32).toString("base64url");
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
  await db.$transaction(async (tx) => {
    await tx.invitation.updateMany({ where: { userId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
    await tx.invitation.create({ data: { userId, createdById, tokenHash: hashInvitationToken(token), expiresAt } });
    await writeAudit({ actorId: createdById, action: "invitation.issued", subjectType: "User", subjectId: userId }, tx);
  });
  return { token, expiresAt };
}

export type InvitationState =
  | { state: "valid"; invitationId: string; user: { id: string; name: string; email: string } }
  | { state: "unknown" | "used" | "expired" | "revoked" };

export async function inspectInvitation(token: string, now = new Date()): Promise<InvitationState> {
  if (!token || token.length > 200) return { state: "unknown" };
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashInvitationToken(token) },
    include: { user: { select: { id: true, name: true, email: true, status: true } } },
  });
  if (!invitation || invitation.user.status !== "active") return { state: "unknown" };
  if (invitation.usedAt) return { state: "used" };
  if (invitation.revokedAt) return { state: "revoked" };
  if (invitation.expiresAt <= now) return { state: "expired" };
  const { id, name, email } = invitation.user;
  return { state: "valid", invitationId: invitation.id, user: { id, name, email } };
}

/**
 * Sets the password and spends the link. The conditional update makes "works
 * once" hold even when two requests race with the same link.
 */
export async function acceptInvitation(token: string, password: string, now = new Date()): Promise<InvitationState> {
  const found = await inspectInvitation(token, now);
  if (found.state !== "valid") return found;
  const passwordHash = await hashPassword(password);
  const spent = await db.$transaction(async (tx) => {
    const claim = await tx.invitation.updateMany({
      where: { id: found.invitationId, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
      data: { usedAt: now },
    });
    if (claim.count !== 1) return false;
    await tx.user.update({ where: { id: found.user.id }, data: { passwordHash } });
    await writeAudit({ actorId: found.user.id, action: "invitation.accepted", subjectType: "User", subjectId: found.user.id }, tx);
    return true;
  });
  return spent ? found : { state: "used" };
}
