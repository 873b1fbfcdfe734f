// Reading and writing volunteers: turning a stored row back into the
// schema's output form (so imports can compare), the per-batch identity
// lookup the dry run needs, and the batch writes of a commit.
import { randomUUID } from "node:crypto";
import type { Prisma, PrismaClient, Proficiency } from "@prisma/client";
import { channelSkill, languageSkill } from "~/cases/routing";
import { db } from "~/db/db.server";
import { CHANNELS } from "~/reference/channels";
import type { EnrolmentRow } from "./csv-import.server";
import { existingVolunteerLookup, identitiesInBatch, type ExistingVolunteer, type ExistingVolunteerLookup } from "./import-dry-run";
import type { EnrolmentField, VolunteerEnrolment } from "./volunteer-schema";

export type Client = PrismaClient | Prisma.TransactionClient;

export const volunteerWithProfile = {
  user: { select: { id: true, name: true, email: true, status: true } },
  languages: { select: { language: true, proficiency: true } },
  channels: { select: { id: true } },
} satisfies Prisma.VolunteerInclude;

export type VolunteerWithProfile = Prisma.VolunteerGetPayload<{ include: typeof volunteerWithProfile }>;

function isoDay(date: Date | null): string | undefined {
  return date ? date.toISOString().slice(0, 10) : undefined;
}

export function dayToDate(day: string | undefined): Date | null {
  return day ? new Date(`${day}T00:00:00.000Z`) : null;
}

/** A stored volunteer in the schema's output form (what a form or a file would give). */
export function enrolmentOf(volunteer: VolunteerWithProfile): VolunteerEnrolment {
  return {
    name: volunteer.user.name,
    email: volunteer.user.email,
    employeeNumber: volunteer.employeeNumber,
    origin: volunteer.origin,
    homeBase: (volunteer.homeBase ?? undefined) as VolunteerEnrolment["homeBase"],
    languages: volunteer.languages.map((language) => ({
      code: language.language as VolunteerEnrolment["languages"][number]["code"],
      proficiency: language.proficiency,
    })),
    channels: volunteer.channels.map((channel) => channel.id) as VolunteerEnrolment["channels"],
    timeZone: volunteer.timeZone,
    availability: volunteer.availability ?? undefined,
    startDate: isoDay(volunteer.startDate),
    endDate: isoDay(volunteer.endDate),
    notes: volunteer.notes ?? undefined,
  };
}

/**
 * The existing volunteers a batch refers to (by email or employee number),
 * in two indexed `in` queries. Rows whose email belongs to an account that
 * is not a volunteer (a planner, an agent) get a row problem, since
 * enrolling them would take over that account.
 */
export async function lookUpBatch(rows: EnrolmentRow[], client: Client = db): Promise<ExistingVolunteerLookup> {
  const { emails, employeeNumbers } = identitiesInBatch(rows);
  if (emails.length === 0 && employeeNumbers.length === 0) return existingVolunteerLookup([]);
  const [volunteers, otherAccounts] = await Promise.all([
    client.volunteer.findMany({
      where: { OR: [{ employeeNumber: { in: employeeNumbers } }, { user: { email: { in: emails } } }] },
      include: volunteerWithProfile,
    }),
    client.user.findMany({
      where: { email: { in: emails }, volunteer: { is: null } },
      select: { email: true },
    }),
  ]);
  if (otherAccounts.length > 0) {
    const taken = new Set(otherAccounts.map((account) => account.email.toLowerCase()));
    for (const row of rows) {
      const email = typeof row.input.email === "string" ? row.input.email.trim().toLowerCase() : "";
      if (taken.has(email)) {
        row.problems.push({
          field: "email",
          message: `${email} already belongs to a Surge account that is not a volunteer; use the person's own work email.`,
        });
      }
    }
  }
  return existingVolunteerLookup(volunteers.map((volunteer): ExistingVolunteer => ({ id: volunteer.id, data: enrolmentOf(volunteer) })));
}

/** The Channel rows the join table points at; a fresh database may not have them yet. */
export async function ensureChannels(client: Client = db): Promise<void> {
  await client.channel.createMany({ data: CHANNELS.map((channel) => ({ ...channel })), skipDuplicates: true });
}

export interface NewVolunteer {
  userId: string;
  volunteerId: string;
  data: VolunteerEnrolment;
}

export function newIds(data: VolunteerEnrolment): NewVolunteer {
  return { userId: randomUUID(), volunteerId: randomUUID(), data };
}

/**
 * Creates many volunteers with a fixed number of statements whatever the
 * batch size: users, volunteers, languages, channel links. Each is one
 * INSERT ... SELECT FROM unnest(arrays), several times faster than Prisma's
 * createMany for hundreds of rows. Call inside a transaction.
 */
export async function createVolunteers(client: Client, people: readonly NewVolunteer[], now = new Date()): Promise<void> {
  if (people.length === 0) return;
  const at = now.toISOString();
  const column = <T,>(pick: (person: NewVolunteer) => T) => people.map(pick);
  await client.$executeRaw`
    INSERT INTO "User" (id, email, name, role, "createdAt", "updatedAt")
    SELECT u.id, u.email, u.name, 'volunteer'::"Role", ${at}::timestamp(3), ${at}::timestamp(3)
    FROM unnest(${column((p) => p.userId)}::text[], ${column((p) => p.data.email)}::text[], ${column((p) => p.data.name)}::text[]) AS u(id, email, name)`;
  await client.$executeRaw`
    INSERT INTO "Volunteer" (id, "userId", "employeeNumber", origin, "homeBase", "timeZone", availability, "startDate", "endDate", notes, "createdAt", "updatedAt")
    SELECT v.id, v.user_id, v.number, v.origin::"VolunteerOrigin", v.base, v.zone, v.availability, v.start_date::timestamp(3), v.end_date::timestamp(3), v.notes,
           ${at}::timestamp(3), ${at}::timestamp(3)
    FROM unnest(
      ${column((p) => p.volunteerId)}::text[],
      ${column((p) => p.userId)}::text[],
      ${column((p) => p.data.employeeNumber)}::text[],
      ${column((p) => p.data.origin)}::text[],
      ${column((p) => p.data.homeBase ?? null)}::text[],
      ${column((p) => p.data.timeZone ?? "UTC")}::text[],
      ${column((p) => p.data.availability ?? null)}::text[],
      ${column((p) => p.data.startDate ?? null)}::text[],
      ${column((p) => p.data.endDate ?? null)}::text[],
      ${column((p) => p.data.notes ?? null)}::text[]
    ) AS v(id, user_id, number, origin, base, zone, availability, start_date, end_date, notes)`;
  const languages = people.flatMap(({ volunteerId, data }) => data.languages.map((language) => [volunteerId, language.code, language.proficiency] as const));
  await client.$executeRaw`
    INSERT INTO "VolunteerLanguage" ("volunteerId", language, proficiency)
    SELECT l.volunteer_id, l.language, l.proficiency::"Proficiency"
    FROM unnest(${languages.map((l) => l[0])}::text[], ${languages.map((l) => l[1])}::text[], ${languages.map((l) => l[2])}::text[]) AS l(volunteer_id, language, proficiency)`;
  await linkChannels(client, people.flatMap(({ volunteerId, data }) => data.channels.map((channel) => [channel, volunteerId] as const)));
  await upsertEnrolmentSkills(client, people.flatMap(({ userId, data }) => enrolmentSkills(data).map((skill) => ({ userId, ...skill }))), now);
}

interface EnrolmentSkill {
  skillId: string;
  proficiency: Proficiency | null;
}

/**
 * The routing skills an enrolment gives: one per language (with its
 * proficiency) and one per channel. They count once the volunteer is
 * certified (app/cases/routing.ts); until then the volunteer page shows them
 * as pending.
 */
export function enrolmentSkills(data: Pick<VolunteerEnrolment, "languages" | "channels">): EnrolmentSkill[] {
  return [
    ...data.languages.map((language) => ({ skillId: languageSkill(language.code), proficiency: language.proficiency })),
    ...data.channels.map((channel) => ({ skillId: channelSkill(channel), proficiency: null })),
  ];
}

/**
 * Writes enrolment skills in one statement. A skill the person already holds
 * (granted by hand, or by training) keeps its source; its proficiency follows
 * the enrolment, which is where the planner records it.
 */
async function upsertEnrolmentSkills(client: Client, rows: readonly (EnrolmentSkill & { userId: string })[], now: Date): Promise<void> {
  if (rows.length === 0) return;
  await client.$executeRaw`
    INSERT INTO "UserSkill" ("userId", "skillId", source, reason, proficiency, "grantedAt")
    SELECT r.user_id, r.skill_id, 'enrolment', 'Enrolled with it', r.proficiency::"Proficiency", ${now.toISOString()}::timestamp(3)
    FROM unnest(${rows.map((r) => r.userId)}::text[], ${rows.map((r) => r.skillId)}::text[], ${rows.map((r) => r.proficiency)}::text[])
      AS r(user_id, skill_id, proficiency)
    WHERE EXISTS (SELECT 1 FROM "Skill" s WHERE s.id = r.skill_id)
    ON CONFLICT ("userId", "skillId") DO UPDATE SET proficiency = EXCLUDED.proficiency`;
}

/** After an edit of languages or channels: enrolment skills follow; hand-granted and training skills stay. */
async function syncEnrolmentSkills(client: Client, userId: string, data: VolunteerEnrolment): Promise<void> {
  const skills = enrolmentSkills(data);
  await client.userSkill.deleteMany({
    where: {
      userId,
      source: "enrolment",
      skillId: { notIn: skills.map((skill) => skill.skillId) },
      skill: { kind: { in: ["language", "channel"] } },
    },
  });
  await upsertEnrolmentSkills(client, skills.map((skill) => ({ userId, ...skill })), new Date());
}

/** Implicit many-to-many links have no createMany; one INSERT ... unnest does the batch. */
async function linkChannels(client: Client, links: readonly (readonly [string, string])[]): Promise<void> {
  if (links.length === 0) return;
  await client.$executeRaw`
    INSERT INTO "_ChannelToVolunteer" ("A", "B")
    SELECT * FROM unnest(${links.map((link) => link[0])}::text[], ${links.map((link) => link[1])}::text[])
    ON CONFLICT DO NOTHING`;
}

/** Writes only the fields that changed (an import never clears what it was not given). */
export async function updateVolunteer(
  client: Client,
  volunteerId: string,
  userId: string,
  data: VolunteerEnrolment,
  changes: readonly EnrolmentField[],
  options: { clearMissing?: boolean } = {},
): Promise<void> {
  const changed = new Set(changes);
  const optional = <T,>(field: EnrolmentField, value: T | undefined): T | null | undefined =>
    !changed.has(field) ? undefined : value === undefined ? (options.clearMissing ? null : undefined) : value;
  const userData: Prisma.UserUpdateInput = {};
  if (changed.has("name")) userData.name = data.name;
  if (changed.has("email")) userData.email = data.email;
  if (Object.keys(userData).length > 0) await client.user.update({ where: { id: userId }, data: userData });
  const volunteerData: Prisma.VolunteerUncheckedUpdateInput = {};
  if (changed.has("employeeNumber")) volunteerData.employeeNumber = data.employeeNumber;
  if (changed.has("origin")) volunteerData.origin = data.origin;
  const homeBase = optional("homeBase", data.homeBase);
  if (homeBase !== undefined) volunteerData.homeBase = homeBase;
  const timeZone = optional("timeZone", data.timeZone);
  if (timeZone !== undefined) volunteerData.timeZone = timeZone ?? "UTC";
  const availability = optional("availability", data.availability);
  if (availability !== undefined) volunteerData.availability = availability;
  const notes = optional("notes", data.notes);
  if (notes !== undefined) volunteerData.notes = notes;
  const startDate = optional("startDate", data.startDate);
  if (startDate !== undefined) volunteerData.startDate = dayToDate(startDate ?? undefined);
  const endDate = optional("endDate", data.endDate);
  if (endDate !== undefined) volunteerData.endDate = dayToDate(endDate ?? undefined);
  if (Object.keys(volunteerData).length > 0) await client.volunteer.update({ where: { id: volunteerId }, data: volunteerData });
  if (changed.has("languages")) {
    await client.volunteerLanguage.deleteMany({ where: { volunteerId } });
    await client.volunteerLanguage.createMany({
      data: data.languages.map((language) => ({ volunteerId, language: language.code, proficiency: language.proficiency })),
    });
  }
  if (changed.has("channels")) {
    await client.volunteer.update({ where: { id: volunteerId }, data: { channels: { set: data.channels.map((id) => ({ id })) } } });
  }
  if (changed.has("languages") || changed.has("channels")) await syncEnrolmentSkills(client, userId, data);
}

/** Fields whose values differ, comparing lists as sets. Used by the edit form. */
export function differingFields(next: VolunteerEnrolment, stored: VolunteerEnrolment, fields: readonly EnrolmentField[]): EnrolmentField[] {
  const comparable = (data: VolunteerEnrolment, field: EnrolmentField): string => {
    if (field === "languages") return data.languages.map((l) => `${l.code}:${l.proficiency}`).sort().join(",");
    if (field === "channels") return [...data.channels].sort().join(",");
    const value = data[field];
    return value === undefined ? "" : String(value);
  };
  return fields.filter((field) => comparable(next, field) !== comparable(stored, field));
}
