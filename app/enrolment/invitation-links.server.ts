// Invitation links for many volunteers at once (CSV for a mail merge). The
// tokens and the rule "only for an account without a password" are the
// invitation module's (issueInvitations); this adds the volunteer side:
// released volunteers get none, and who was left out and why.
import type { Prisma } from "@prisma/client";
import { invitationPath, issueInvitation, issueInvitations, LinkRefusedError } from "~/auth/invitation.server";
import { db } from "~/db/db.server";
import type { InvitationLink } from "./csv-export.server";
import { INVITATION_REFUSALS, invitationRefusal, type InvitationRefusal } from "./invitation-eligibility";
import { writeAuditRows } from "~/audit/audit-log.server";

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
      const refusal = invitationRefusal({ volunteerStatus: volunteer.status, accountStatus: user.status, hasPassword: user.passwordHash !== null });
      if (refusal) result.skipped.push({ name: user.name, email: user.email, reason: INVITATION_REFUSALS[refusal] });
      return refusal === null;
    });
    const issued = await db.$transaction(async (tx) => {
      const tokens = await issueInvitations(tx, eligible.map((volunteer) => volunteer.user.id), actorId);
      const got = new Set(tokens.map((token) => token.userId));
      await writeAuditRows(
        eligible
          .filter((volunteer) => got.has(volunteer.user.id))
          .map((volunteer) => ({ actorId, action: "invitation.issued", subjectType: "Volunteer", subjectId: volunteer.id, data: reason })),
        tx,
      );
      return tokens;
    });
    const byUser = new Map(issued.map((token) => [token.userId, token]));
    for (const volunteer of eligible) {
      const token = byUser.get(volunteer.user.id);
      if (!token) {
        // Set a password between the check above and the insert.
        result.skipped.push({ name: volunteer.user.name, email: volunteer.user.email, reason: INVITATION_REFUSALS.signed_up });
        continue;
      }
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

/**
 * A new invitation link for one volunteer (their page's "new link"), under the
 * same rule as the links above. Earlier unused links stop working.
 */
export async function reinviteVolunteer(
  volunteerId: string,
  actorId: string,
): Promise<{ ok: true; token: string; expiresAt: Date } | { ok: false; refusal: InvitationRefusal; name: string }> {
  const volunteer = await db.volunteer.findUnique({
    where: { id: volunteerId },
    select: { status: true, user: { select: { id: true, name: true, status: true, passwordHash: true } } },
  });
  if (!volunteer) throw new Response("There is no volunteer with this id.", { status: 404 });
  const { user } = volunteer;
  const refusal = invitationRefusal({ volunteerStatus: volunteer.status, accountStatus: user.status, hasPassword: user.passwordHash !== null });
  if (refusal) return { ok: false, refusal, name: user.name };
  try {
    return { ok: true, ...(await issueInvitation(user.id, actorId)) };
  } catch (error) {
    // Signed up (or disabled) between the check above and the locked insert.
    if (error instanceof LinkRefusedError) return { ok: false, refusal: error.reason === "signed_up" ? "signed_up" : "released", name: user.name };
    throw error;
  }
}
