// One volunteer at a time (the enrolment form, the detail page) and the
// roster's bulk actions: status changes, release at the end of the surge,
// granting a skill. Every change writes an audit row in the same transaction.
import type { Prisma, VolunteerStatus } from "@prisma/client";
import { writeAudit, writeAuditRows } from "~/audit/audit-log.server";
import { issueInvitation } from "~/auth/invitation.server";
import { SLOT_STATUSES, takingRefusal } from "~/cases/routing";
import { endAllSessionsOf } from "~/auth/session.server";
import { db } from "~/db/db.server";
import { isUniqueViolation } from "~/db/unique-violation";
import {
  createVolunteers,
  differingFields,
  enrolmentOf,
  ensureChannels,
  newIds,
  updateVolunteer,
  volunteerWithProfile,
} from "./volunteer-records.server";
import { SETTABLE_STATUSES } from "./roster-query";
import { ENROLMENT_FIELDS, type EnrolmentField, type VolunteerEnrolment } from "./volunteer-schema";

export class EnrolmentConflictError extends Error {
  constructor(
    readonly field: EnrolmentField,
    message: string,
  ) {
    super(message);
  }
}

async function assertIdentityFree(data: VolunteerEnrolment, exceptVolunteerId?: string): Promise<void> {
  const [byEmail, byNumber] = await Promise.all([
    db.user.findUnique({ where: { email: data.email }, select: { id: true, volunteer: { select: { id: true } } } }),
    db.volunteer.findUnique({ where: { employeeNumber: data.employeeNumber }, select: { id: true } }),
  ]);
  if (byEmail && byEmail.volunteer?.id !== exceptVolunteerId) {
    throw new EnrolmentConflictError("email", `${data.email} already has an account in Surge.`);
  }
  if (byNumber && byNumber.id !== exceptVolunteerId) {
    throw new EnrolmentConflictError("employeeNumber", `Employee number ${data.employeeNumber} is already enrolled.`);
  }
}

/** Enrols one volunteer from the form and returns their first invitation link token. */
export async function enrolVolunteer(
  data: VolunteerEnrolment,
  actorId: string,
): Promise<{ volunteerId: string; userId: string; token: string; expiresAt: Date }> {
  await assertIdentityFree(data);
  await ensureChannels();
  const person = newIds(data);
  try {
    await db.$transaction(async (tx) => {
      await createVolunteers(tx, [person]);
      await writeAudit(
        {
          actorId,
          action: "volunteer.enrolled",
          subjectType: "Volunteer",
          subjectId: person.volunteerId,
          data: { via: "form", email: data.email, employeeNumber: data.employeeNumber },
        },
        tx,
      );
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EnrolmentConflictError("email", `${data.email} or employee number ${data.employeeNumber} was enrolled a moment ago.`);
    throw error;
  }
  const invitation = await issueInvitation(person.userId, actorId);
  return { volunteerId: person.volunteerId, userId: person.userId, ...invitation };
}

export async function findVolunteer(volunteerId: string) {
  return db.volunteer.findUnique({ where: { id: volunteerId }, include: volunteerWithProfile });
}

/** Saves the edit form: every field as given (a blank optional field clears it). */
export async function editVolunteer(volunteerId: string, data: VolunteerEnrolment, actorId: string): Promise<EnrolmentField[]> {
  const stored = await findVolunteer(volunteerId);
  if (!stored) throw new Response("There is no volunteer with this id.", { status: 404 });
  const changes = differingFields(data, enrolmentOf(stored), ENROLMENT_FIELDS);
  if (changes.length === 0) return [];
  await assertIdentityFree(data, volunteerId);
  try {
    await db.$transaction(async (tx) => {
      await updateVolunteer(tx, volunteerId, stored.userId, data, changes, { clearMissing: true });
      await writeAudit({ actorId, action: "volunteer.updated", subjectType: "Volunteer", subjectId: volunteerId, data: { via: "form", changes } }, tx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new EnrolmentConflictError("email", "That email or employee number was just taken by someone else.");
    throw error;
  }
  return changes;
}


export interface BulkOutcome {
  changed: number;
  skipped: number;
}

/** Sets the status of volunteers who are not released (a released volunteer stays released). */
export async function setVolunteerStatus(volunteerIds: readonly string[], status: VolunteerStatus, actorId: string): Promise<BulkOutcome> {
  if (!SETTABLE_STATUSES.includes(status)) throw new Error(`Status ${status} cannot be set directly`);
  return db.$transaction(async (tx) => {
    const targets = await tx.volunteer.findMany({
      where: { id: { in: [...volunteerIds] }, status: { notIn: ["released", status] } },
      select: { id: true, status: true },
    });
    await tx.volunteer.updateMany({ where: { id: { in: targets.map((target) => target.id) } }, data: { status } });
    await writeAuditRows(
      targets.map((target) => ({
        actorId,
        action: "volunteer.status_changed",
        subjectType: "Volunteer",
        subjectId: target.id,
        data: { from: target.status, to: status },
      })),
      tx,
    );
    return { changed: targets.length, skipped: volunteerIds.length - targets.length };
  });
}

export const RELEASE_REASON = "volunteer released";

/**
 * The end of someone's surge: the account is disabled (no sign-in, sessions
 * end), open invitations are revoked, the cases they held go back to the
 * queue unassigned with a timeline entry, and nothing else is deleted so
 * their history stays for reporting.
 */
export async function releaseVolunteers(
  volunteerIds: readonly string[],
  actorId: string,
  now = new Date(),
): Promise<BulkOutcome & { reopenedCases: number }> {
  const targets = await db.volunteer.findMany({
    where: { id: { in: [...volunteerIds] }, status: { not: "released" } },
    select: { id: true, userId: true, status: true },
  });
  let reopenedCases = 0;
  for (const target of targets) {
    reopenedCases += await db.$transaction(async (tx) => {
      await tx.volunteer.update({ where: { id: target.id }, data: { status: "released", releasedAt: now } });
      await tx.user.update({ where: { id: target.userId }, data: { status: "disabled" } });
      await tx.invitation.updateMany({ where: { userId: target.userId, usedAt: null, revokedAt: null }, data: { revokedAt: now } });
      await tx.agentPresence.updateMany({ where: { userId: target.userId }, data: { online: false } });
      // Locked, so a case a supervisor moves meanwhile is either still theirs here or left alone.
      const held = await tx.$queryRaw<{ id: string; status: string }[]>`
        SELECT id, status::text AS status FROM "Case"
        WHERE "assigneeId" = ${target.userId} AND status IN ('assigned', 'on_hold')
        FOR UPDATE`;
      if (held.length > 0) {
        await tx.case.updateMany({
          where: { id: { in: held.map((c) => c.id) } },
          data: { status: "open", assigneeId: null, assignedAt: null },
        });
        await tx.caseEvent.createMany({
          data: held.map((c) => ({
            caseId: c.id,
            type: "unassigned",
            actorId,
            data: { from: target.userId, previousStatus: c.status, reason: RELEASE_REASON } satisfies Prisma.InputJsonValue,
          })),
        });
      }
      await writeAudit(
        {
          actorId,
          action: "volunteer.released",
          subjectType: "Volunteer",
          subjectId: target.id,
          data: { previousStatus: target.status, reopenedCases: held.map((c) => c.id) },
        },
        tx,
      );
      return held.length;
    });
    await endAllSessionsOf(target.userId);
  }
  return { changed: targets.length, skipped: volunteerIds.length - targets.length, reopenedCases };
}

/** Where a volunteer stands, for their page: signed up, modules passed, cases held, their latest invitation. */
export async function volunteerProgress(userId: string, now = new Date()) {
  const [user, passedModules, openCases, invitation] = await Promise.all([
    db.user.findUniqueOrThrow({ where: { id: userId }, select: { passwordHash: true } }),
    db.trainingProgress.count({ where: { userId, status: "passed" } }),
    db.case.count({ where: { assigneeId: userId, status: { in: [...SLOT_STATUSES] } } }),
    db.invitation.findFirst({ where: { userId }, orderBy: { createdAt: "desc" }, select: { expiresAt: true, usedAt: true, revokedAt: true } }),
  ]);
  return {
    signedUp: user.passwordHash !== null,
    passedModules,
    openCases,
    invitation: invitation && {
      expiresAt: invitation.expiresAt,
      state: invitation.usedAt ? "used" : invitation.revokedAt ? "revoked" : invitation.expiresAt < now ? "expired" : "open",
    },
  };
}

/** The accounts of the given volunteers (a bulk action on the roster selects volunteers; skills belong to accounts). */
export async function volunteerUserIds(volunteerIds: readonly string[]): Promise<string[]> {
  const rows = await db.volunteer.findMany({ where: { id: { in: [...volunteerIds] } }, select: { userId: true } });
  return rows.map((row) => row.userId);
}

/**
 * The volunteer's routing skills with where each came from; `pending` until
 * they may take cases (certified, not paused), as app/cases/routing.ts says.
 */
export async function routingSkillsOf(userId: string, status: VolunteerStatus) {
  const skills = await db.userSkill.findMany({
    where: { userId },
    orderBy: { skillId: "asc" },
    select: { skillId: true, source: true, proficiency: true, reason: true },
  });
  return { pending: takingRefusal({ role: "volunteer", volunteerStatus: status }) !== null, skills };
}
