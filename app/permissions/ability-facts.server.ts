// What the ability needs beyond the session: the volunteer's status, the
// skills held and the role's gesture limits. Read with the session, in the
// one query a request starts with (app/auth/session.server.ts), so
// requireAbility stays synchronous and every change (a pause, a new skill,
// a new limit) applies on the next request.
import { Prisma, type GestureType, type PrismaClient, type Role, type VolunteerStatus } from "@prisma/client";
import type { SessionUser } from "~/auth/session.server";
import { getDb } from "~/db/db.server";
import type { GestureLimitFact } from "~/gestures/limits";
import { levelOfRole, type EscalationLevelDef } from "~/escalation/levels";

export interface AbilityFacts {
  volunteerStatus: VolunteerStatus | null;
  skills: string[];
  basicLanguages: string[];
  missingTopics: string[];
  gestureLimits: GestureLimitFact[];
  /** The escalation level the user works at (levelOfRole); 0 for volunteers. */
  escalationLevel: number;
}

export type SessionUserWithFacts = SessionUser & AbilityFacts;

export interface AbilityFactsRow {
  volunteerStatus: VolunteerStatus | null;
  skills: string[] | null;
  basicLanguages: string[] | null;
  missingTopics: string[] | null;
  limits: { type: GestureType; perCaseLimit: number; dailyBudget: number }[] | null;
  levels: EscalationLevelDef[] | null;
}

/**
 * The facts as columns of a SELECT (the AbilityFactsRow fields), for the
 * person whose id and role the two SQL expressions give: a parameter, or a
 * column of a query that adds them to its own row (the session's, see
 * app/auth/session.server.ts).
 */
export function abilityFactsColumns(person: { id: Prisma.Sql; role: Prisma.Sql }): Prisma.Sql {
  return Prisma.sql`
      (SELECT v."status"::text FROM "Volunteer" v WHERE v."userId" = ${person.id}) AS "volunteerStatus",
      (SELECT array_agg(s."skillId" ORDER BY s."skillId") FROM "UserSkill" s WHERE s."userId" = ${person.id}) AS "skills",
      (SELECT array_agg(substr(s."skillId", 10)) FROM "UserSkill" s
        WHERE s."userId" = ${person.id} AND s.proficiency = 'basic' AND s."skillId" LIKE 'language:%') AS "basicLanguages",
      (SELECT array_agg(t.id ORDER BY t.id) FROM "Topic" t
        WHERE t."skillId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "UserSkill" s WHERE s."userId" = ${person.id} AND s."skillId" = t."skillId")) AS "missingTopics",
      (SELECT json_agg(json_build_object('type', g."type"::text, 'perCaseLimit', g."perCaseLimit", 'dailyBudget', g."dailyBudget") ORDER BY g."type")
         FROM "GestureLimit" g WHERE g."role"::text = ${person.role}::text) AS "limits",
      (SELECT json_agg(json_build_object('level', l.level, 'name', l.name, 'roles', l.roles::text[])) FROM "EscalationLevel" l) AS "levels"`;
}

export function abilityFactsOf(row: AbilityFactsRow | undefined, role: Role): AbilityFacts {
  return {
    volunteerStatus: row?.volunteerStatus ?? null,
    skills: row?.skills ?? [],
    basicLanguages: row?.basicLanguages ?? [],
    missingTopics: row?.missingTopics ?? [],
    gestureLimits: (row?.limits ?? []).map((l) => ({ type: l.type, perCaseLimit: Number(l.perCaseLimit), dailyBudget: Number(l.dailyBudget) })),
    escalationLevel: levelOfRole(role, row?.levels ?? []),
  };
}

/** One person's facts (the permissions screen; a request gets them with its session). */
export async function loadAbilityFacts(userId: string, role: Role, client: PrismaClient = getDb()): Promise<AbilityFacts> {
  const rows = await client.$queryRaw<AbilityFactsRow[]>`SELECT ${abilityFactsColumns({ id: Prisma.sql`${userId}`, role: Prisma.sql`${role}` })}`;
  return abilityFactsOf(rows[0], role);
}
