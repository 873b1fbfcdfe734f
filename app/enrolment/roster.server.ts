// The roster: one SQL query picks a page of volunteer ids (filters, sort,
// the number of passed training modules), a second loads those rows. With
// 10,000 volunteers the first page stays well under 200 ms.
import { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import type { RosterEntry } from "./csv-export.server";
import type { RosterQuery, RosterSort } from "./roster-query";
import { enrolmentOf, volunteerWithProfile } from "./volunteer-records.server";

const PASSED = Prisma.sql`(SELECT count(*) FROM "TrainingProgress" tp WHERE tp."userId" = v."userId" AND tp.status = 'passed'::"TrainingStatus")`;

function whereClause({ filters }: RosterQuery): Prisma.Sql {
  const conditions: Prisma.Sql[] = [Prisma.sql`TRUE`];
  if (filters.status) conditions.push(Prisma.sql`v.status = ${filters.status}::"VolunteerStatus"`);
  if (filters.origin) conditions.push(Prisma.sql`v.origin = ${filters.origin}::"VolunteerOrigin"`);
  if (filters.base) conditions.push(Prisma.sql`v."homeBase" = ${filters.base}`);
  if (filters.language) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "VolunteerLanguage" l WHERE l."volunteerId" = v.id AND l.language = ${filters.language})`);
  }
  if (filters.channel) {
    conditions.push(Prisma.sql`EXISTS (SELECT 1 FROM "_ChannelToVolunteer" c WHERE c."B" = v.id AND c."A" = ${filters.channel})`);
  }
  if (filters.training === "none") conditions.push(Prisma.sql`${PASSED} = 0`);
  else if (filters.training) conditions.push(Prisma.sql`${PASSED} >= ${Number(filters.training)}`);
  if (filters.q) {
    const pattern = `%${filters.q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    conditions.push(Prisma.sql`(u.name ILIKE ${pattern} OR u.email ILIKE ${pattern} OR v."employeeNumber" ILIKE ${pattern})`);
  }
  return Prisma.join(conditions, " AND ");
}

const ORDER: Record<RosterSort, Prisma.Sql> = {
  name: Prisma.sql`u.name ASC, v.id ASC`,
  status: Prisma.sql`v.status ASC, u.name ASC, v.id ASC`,
  origin: Prisma.sql`v.origin ASC, u.name ASC, v.id ASC`,
  base: Prisma.sql`v."homeBase" ASC NULLS LAST, u.name ASC, v.id ASC`,
  training: Prisma.sql`passed DESC, u.name ASC, v.id ASC`,
  newest: Prisma.sql`v."createdAt" DESC, v.id ASC`,
};

async function pageOfIds(query: RosterQuery, limit: number, offset: number): Promise<{ id: string; passed: number }[]> {
  return db.$queryRaw<{ id: string; passed: number }[]>`
    SELECT v.id, ${PASSED}::int AS passed
    FROM "Volunteer" v JOIN "User" u ON u.id = v."userId"
    WHERE ${whereClause(query)}
    ORDER BY ${ORDER[query.sort]}
    LIMIT ${limit} OFFSET ${offset}`;
}

async function countRoster(query: RosterQuery): Promise<number> {
  const [row] = await db.$queryRaw<{ total: number }[]>`
    SELECT count(*)::int AS total FROM "Volunteer" v JOIN "User" u ON u.id = v."userId" WHERE ${whereClause(query)}`;
  return row?.total ?? 0;
}

async function loadPage(page: { id: string; passed: number }[]) {
  const rows = await db.volunteer.findMany({ where: { id: { in: page.map((entry) => entry.id) } }, include: volunteerWithProfile });
  const byId = new Map(rows.map((row) => [row.id, row]));
  return page.flatMap((entry) => {
    const row = byId.get(entry.id);
    return row ? [{ ...row, passedModules: entry.passed }] : [];
  });
}

export async function listRoster(query: RosterQuery, { page, pageSize }: { page: number; pageSize: number }) {
  const [ids, total] = await Promise.all([pageOfIds(query, pageSize, (page - 1) * pageSize), countRoster(query)]);
  const volunteers = await loadPage(ids);
  return {
    total,
    volunteers: volunteers.map((volunteer) => ({
      id: volunteer.id,
      name: volunteer.user.name,
      email: volunteer.user.email,
      employeeNumber: volunteer.employeeNumber,
      origin: volunteer.origin,
      homeBase: volunteer.homeBase,
      status: volunteer.status,
      languages: volunteer.languages.map((language) => `${language.language}:${language.proficiency}`),
      channels: volunteer.channels.map((channel) => channel.id),
      passedModules: volunteer.passedModules,
    })),
  };
}

/** Every volunteer matching the query, page by page, for the CSV export. */
export async function* rosterEntries(query: RosterQuery, batchSize = 500): AsyncGenerator<RosterEntry> {
  for (let offset = 0; ; offset += batchSize) {
    const ids = await pageOfIds(query, batchSize, offset);
    if (ids.length === 0) return;
    for (const volunteer of await loadPage(ids)) {
      yield {
        ...enrolmentOf(volunteer),
        status: volunteer.status,
        trainingProgress: `${volunteer.passedModules} passed`,
      };
    }
    if (ids.length < batchSize) return;
  }
}

/** Ids of every volunteer matching the query (bulk actions on "all matching"). */
export async function rosterIds(query: RosterQuery, limit = 20_000): Promise<string[]> {
  return (await pageOfIds(query, limit, 0)).map((row) => row.id);
}
