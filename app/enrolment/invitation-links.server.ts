// Invitations for many volunteers at once. Same tokens and rules as the
// foundation's issueInvitation (a random token, only its SHA-256 stored,
// 72 hours, earlier unused links revoked), but in one statement per batch
// so enrolling or re-inviting thousands stays fast.
import { randomBytes, randomUUID } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { hashInvitationToken as tokenHash, INVITATION_HOURS, invitationPath } from "~/auth/invitation.server";
import { db } from "~/db/db.server";
import type { InvitationLink } from "./csv-export.server";
import { insertAuditRows, type Client } from "./volunteer-records.server";

export interface IssuedToken {
  userId: string;
  token: string;
  expiresAt: Date;
}

/** Revokes unused links of these users and creates one new link each. Call inside a transaction. */
export async function issueInvitations(
  client: Client,
  userIds: readonly string[],
  createdById: string | null,
  now = new Date(),
): Promise<IssuedToken[]> {
  if (userIds.length === 0) return [];
  const expiresAt = new Date(now.getTime() + INVITATION_HOURS * 3_600_000);
  const issued = userIds.map((userId) => ({ userId, token: randomBytes(32).toString("base64url"), expiresAt }));
  await client.invitation.updateMany({
    where: { userId: { in: [...userIds] }, usedAt: null, revokedAt: null },
    data: { revokedAt: now },
  });
  await client.$executeRaw`
    INSERT INTO "Invitation" (id, "tokenHash", "userId", "createdById", "expiresAt", "createdAt")
    SELECT i.id, i.token_hash, i.user_id, ${createdById}, ${expiresAt.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3)
    FROM unnest(
      ${issued.map(() => randomUUID())}::text[],
      ${issued.map(({ token }) => tokenHash(token))}::text[],
      ${issued.map(({ userId }) => userId)}::text[]
    ) AS i(id, token_hash, user_id)`;
  return issued;
}

export interface InvitationCandidates {
  /** People who get a fresh link. */
  invited: InvitationLink[];
  /** People left out, with the reason (already signed up, released). */
  skipped: { name: string; email: string; reason: string }[];
}

const BATCH = 500;

/**
 * Fresh links for the chosen volunteers, for copying or a mail merge. Only
 * people who have not set a password yet and are not released get one: a
 * link sets the password, so it must never reach someone already signed up.
 */
export async function freshInvitationLinks(
  volunteerIds: readonly string[],
  actorId: string,
  origin: string,
  reason: Prisma.InputJsonValue = {},
): Promise<InvitationCandidates> {
  const result: InvitationCandidates = { invited: [], skipped: [] };
  for (let start = 0; start < volunteerIds.length; start += BATCH) {
    const ids = volunteerIds.slice(start, start + BATCH);
    const volunteers = await db.volunteer.findMany({
      where: { id: { in: [...ids] } },
      select: { id: true, status: true, user: { select: { id: true, name: true, email: true, status: true, passwordHash: true } } },
      orderBy: { user: { name: "asc" } },
    });
    const eligible = volunteers.filter((volunteer) => {
      const { user } = volunteer;
      const why =
        volunteer.status === "released" || user.status !== "active"
          ? "released: cannot sign in"
          : user.passwordHash !== null
            ? "already signed up"
            : null;
      if (why) result.skipped.push({ name: user.name, email: user.email, reason: why });
      return why === null;
    });
    const issued = await db.$transaction(async (tx) => {
      const tokens = await issueInvitations(tx, eligible.map((volunteer) => volunteer.user.id), actorId);
      await insertAuditRows(
        tx,
        eligible.map((volunteer) => ({ actorId, action: "invitation.issued", subjectType: "Volunteer", subjectId: volunteer.id, data: reason })),
      );
      return tokens;
    });
    const byUser = new Map(issued.map((token) => [token.userId, token]));
    for (const volunteer of eligible) {
      const token = byUser.get(volunteer.user.id)!;
      result.invited.push({
        name: volunteer.user.name,
        email: volunteer.user.email,
        link: new URL(invitationPath(token.token), origin).toString(),
        expiresAt: token.expiresAt,
      });
    }
  }
  return result;
}
