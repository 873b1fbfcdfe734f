// One-time links, the only way a password is set without knowing the old one.
// The rules live here, for every caller (People, a volunteer's page, CSV
// invitations, enrolment imports) and for both ends of a link:
// - an invitation is for an account that never set a password, checked when
//   it is issued and again, in the same statement that sets the password,
//   when it is accepted;
// - a password reset is a separate link that only an admin may start (the
//   route checks the "resetPassword" ability), audited at both ends;
// - using any link ends every other session of that person.
import { randomBytes, randomUUID } from "node:crypto";
import { hashToken } from "./token-hash.server";
import type { InvitationPurpose, Prisma } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { hashPassword } from "./password.server";
import { endAllSessionsOf } from "./session.server";

export const INVITATION_HOURS = 72;
/** A reset replaces a working password, so its link lives a shorter time. */
export const PASSWORD_RESET_HOURS = 24;

type Client = Prisma.TransactionClient | typeof db;

export function invitationPath(token: string): string {
  return `/invite/${token}`;
}

export function passwordResetPath(token: string): string {
  return `/reset/${token}`;
}

/** Refused: the account already has a password (reset it instead), has none to reset, or cannot sign in. */
export class LinkRefusedError extends Error {
  constructor(
    readonly reason: "signed_up" | "no_password" | "inactive",
    message: string,
  ) {
    super(message);
  }
}

function newToken(): string {
  return randomBytes(32).toString("base64url");
}

// Locks the account row so a link and a password change cannot interleave.
async function lockAccount(tx: Prisma.TransactionClient, userId: string) {
  const rows = await tx.$queryRaw<{ hasPassword: boolean; status: string }[]>`
    SELECT "passwordHash" IS NOT NULL AS "hasPassword", status::text AS status FROM "User" WHERE id = ${userId} FOR UPDATE`;
  return rows[0] ?? null;
}

async function revokeOpenLinks(tx: Client, userIds: string[], now: Date) {
  await tx.invitation.updateMany({ where: { userId: { in: userIds }, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
}

/**
 * Issues a new invitation for an account that never set a password, revoking
 * any earlier unused link. Only the token's hash is stored, so a database
 * leak gives no usable links. Throws LinkRefusedError otherwise.
 */
export async function issueInvitation(
  userId: string,
  createdById: string | null,
  now = new Date(),
): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
  await db.$transaction(async (tx) => {
    const account = await lockAccount(tx, userId);
    if (!account || account.status !== "active") throw new LinkRefusedError("inactive", "This account cannot sign in, so it gets no invitation.");
    if (account.hasPassword) {
      throw new LinkRefusedError("signed_up", "This person has already set a password; they sign in with it. An admin can reset a forgotten password.");
    }
    await revokeOpenLinks(tx, [userId], now);
    await tx.invitation.create({ data: { userId, createdById, tokenHash: hashToken(token), expiresAt } });
    await writeAudit({ actorId: createdById, action: "invitation.issued", subjectType: "User", subjectId: userId }, tx);
  });
  return { token, expiresAt };
}

export interface IssuedToken {
  userId: string;
  token: string;
  expiresAt: Date;
}

/**
 * Invitations for many accounts at once, in one statement per batch (imports
 * of thousands stay fast). Accounts that already have a password or cannot
 * sign in are left out: only the returned users got a link. Call inside a
 * transaction; the caller writes the audit rows for the returned users.
 */
export async function issueInvitations(
  client: Prisma.TransactionClient,
  userIds: readonly string[],
  createdById: string | null,
  now = new Date(),
): Promise<IssuedToken[]> {
  if (userIds.length === 0) return [];
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
  const candidates = userIds.map((userId) => ({ userId, token: newToken(), id: randomUUID() }));
  await client.invitation.updateMany({
    where: { userId: { in: [...userIds] }, usedAt: null, revokedAt: null, user: { passwordHash: null } },
    data: { revokedAt: now },
  });
  const inserted = await client.$queryRaw<{ userId: string }[]>`
    INSERT INTO "Invitation" (id, "tokenHash", "userId", "createdById", "expiresAt", "createdAt")
    SELECT i.id, i.token_hash, i.user_id, ${createdById}, ${expiresAt.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3)
    FROM unnest(
      ${candidates.map(({ id }) => id)}::text[],
      ${candidates.map(({ token }) => hashToken(token))}::text[],
      ${candidates.map(({ userId }) => userId)}::text[]
    ) AS i(id, token_hash, user_id)
    JOIN "User" u ON u.id = i.user_id AND u."passwordHash" IS NULL AND u.status = 'active'
    RETURNING "userId"`;
  const issued = new Set(inserted.map((row) => row.userId));
  return candidates.filter((c) => issued.has(c.userId)).map(({ userId, token }) => ({ userId, token, expiresAt }));
}

/**
 * Starts a password reset for an account that has a password: a one-time
 * link for the person to choose a new one. Earlier unused links stop working.
 * The caller must have checked that the actor may reset this account.
 */
export async function issuePasswordReset(userId: string, actorId: string, now = new Date()): Promise<{ token: string; expiresAt: Date }> {
  const token = newToken();
  const expiresAt = new Date(now.getTime() + PASSWORD_RESET_HOURS * 3_600_000);
  await db.$transaction(async (tx) => {
    const account = await lockAccount(tx, userId);
    if (!account || account.status !== "active") throw new LinkRefusedError("inactive", "This account cannot sign in, so its password cannot be reset.");
    if (!account.hasPassword) {
      throw new LinkRefusedError("no_password", "This person has not set a password yet: send a new invitation link instead.");
    }
    await revokeOpenLinks(tx, [userId], now);
    await tx.invitation.create({ data: { userId, createdById: actorId, purpose: "password_reset", tokenHash: hashToken(token), expiresAt } });
    await writeAudit({ actorId, action: "password_reset.issued", subjectType: "User", subjectId: userId }, tx);
  });
  return { token, expiresAt };
}

export type InvitationState =
  | { state: "valid"; invitationId: string; user: { id: string; name: string; email: string } }
  | { state: "unknown" | "used" | "expired" | "revoked" | "signed_up" };

async function inspectLink(token: string, purpose: InvitationPurpose, now: Date): Promise<InvitationState> {
  if (!token || token.length > 200) return { state: "unknown" };
  const invitation = await db.invitation.findUnique({
    where: { tokenHash: hashToken(token) },
    include: { user: { select: { id: true, name: true, email: true, status: true, passwordHash: true } } },
  });
  if (!invitation || invitation.purpose !== purpose || invitation.user.status !== "active") return { state: "unknown" };
  if (invitation.usedAt) return { state: "used" };
  if (invitation.revokedAt) return { state: "revoked" };
  if (invitation.expiresAt <= now) return { state: "expired" };
  if (purpose === "invitation" && invitation.user.passwordHash !== null) return { state: "signed_up" };
  const { id, name, email } = invitation.user;
  return { state: "valid", invitationId: invitation.id, user: { id, name, email } };
}

export function inspectInvitation(token: string, now = new Date()): Promise<InvitationState> {
  return inspectLink(token, "invitation", now);
}

export function inspectPasswordReset(token: string, now = new Date()): Promise<InvitationState> {
  return inspectLink(token, "password_reset", now);
}

class NotApplied extends Error {}

/**
 * Sets the password and spends the link, then ends every session of the
 * person (the route starts the new one). The conditional updates make "works
 * once" and "an invitation never replaces a password" hold even when requests
 * race with the same link or with another link.
 */
async function spendLink(token: string, purpose: InvitationPurpose, password: string, now: Date): Promise<InvitationState> {
  const found = await inspectLink(token, purpose, now);
  if (found.state !== "valid") return found;
  const passwordHash = await hashPassword(password);
  let outcome: InvitationState = found;
  try {
    await db.$transaction(async (tx) => {
      const claim = await tx.invitation.updateMany({
        where: { id: found.invitationId, purpose, usedAt: null, revokedAt: null, expiresAt: { gt: now } },
        data: { usedAt: now },
      });
      if (claim.count !== 1) {
        outcome = { state: "used" };
        throw new NotApplied();
      }
      const set = await tx.user.updateMany({
        where: { id: found.user.id, status: "active", ...(purpose === "invitation" ? { passwordHash: null } : {}) },
        data: { passwordHash },
      });
      if (set.count !== 1) {
        outcome = { state: purpose === "invitation" ? "signed_up" : "unknown" };
        throw new NotApplied();
      }
      const action = purpose === "invitation" ? "invitation.accepted" : "password_reset.completed";
      await writeAudit({ actorId: found.user.id, action, subjectType: "User", subjectId: found.user.id }, tx);
    });
  } catch (error) {
    if (error instanceof NotApplied) return outcome;
    throw error;
  }
  await endAllSessionsOf(found.user.id);
  return found;
}

/** Sets the first password with an invitation. */
export function acceptInvitation(token: string, password: string, now = new Date()): Promise<InvitationState> {
  return spendLink(token, "invitation", password, now);
}

/** Replaces the password with a reset link; every earlier session ends. */
export function completePasswordReset(token: string, password: string, now = new Date()): Promise<InvitationState> {
  return spendLink(token, "password_reset", password, now);
}
