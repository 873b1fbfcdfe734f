// What the ability needs beyond the session: the volunteer's status, the
// skills held and the role's gesture limits. One query per request, run when
// the load context is built, so requireAbility stays synchronous and every
// change (a pause, a new skill, a new limit) applies on the next request.
import type { GestureType, PrismaClient, Role, VolunteerStatus } from "@prisma/client";
import type { AuthContext, SessionUser } from "~/auth/session.server";
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

interface FactsRow {
  volunteerStatus: VolunteerStatus | null;
  skills: string[] | null;
  basicLanguages: string[] | null;
  missingTopics: string[] | null;
  limits: { type: GestureType; perCaseLimit: number; dailyBudget: number }[] | null;
  levels: EscalationLevelDef[] | null;
}

export async function loadAbilityFacts(userId: string, role: Role, client: PrismaClient = getDb()): Promise<AbilityFacts> {
  const rows = await client.$queryRaw<FactsRow[]>`
    SELECT
      (SELECT v."status"::text FROM "Volunteer" v WHERE v."userId" = ${userId}) AS "volunteerStatus",
      (SELECT array_agg(s."skillId" ORDER BY s."skillId") FROM "UserSkill" s WHERE s."userId" = ${userId}) AS "skills",
      (SELECT array_agg(substr(s."skillId", 10)) FROM "UserSkill" s
        WHERE s."userId" = ${userId} AND s.proficiency = 'basic' AND s."skillId" LIKE 'language:%') AS "basicLanguages",
      (SELECT array_agg(t.id ORDER BY t.id) FROM "Topic" t
        WHERE t."skillId" IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM "UserSkill" s WHERE s."userId" = ${userId} AND s."skillId" = t."skillId")) AS "missingTopics",
      (SELECT json_agg(json_build_object('type', g."type"::text, 'perCaseLimit', g."perCaseLimit", 'dailyBudget', g."dailyBudget") ORDER BY g."type")
         FROM "GestureLimit" g WHERE g."role"::text = ${role}) AS "limits",
      (SELECT json_agg(json_build_object('level', l.level, 'name', l.name, 'roles', l.roles::text[])) FROM "EscalationLevel" l) AS "levels"`;
  const row = rows[0];
  return {
    volunteerStatus: row?.volunteerStatus ?? null,
    skills: row?.skills ?? [],
    basicLanguages: row?.basicLanguages ?? [],
    missingTopics: row?.missingTopics ?? [],
    gestureLimits: (row?.limits ?? []).map((l) => ({ type: l.type, perCaseLimit: Number(l.perCaseLimit), dailyBudget: Number(l.dailyBudget) })),
    escalationLevel: levelOfRole(role, row?.levels ?? []),
  };
}

/** The auth context with the signed-in user's ability facts added. */
export async function withAbilityFacts(auth: AuthContext): Promise<AuthContext> {
  if (!auth.user) return auth;
  const facts = await loadAbilityFacts(auth.user.id, auth.user.role);
  const user: SessionUserWithFacts = { ...auth.user, ...facts };
  return { ...auth, user };
}

