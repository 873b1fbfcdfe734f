// The escalation tiers: which level a user works at, and where a case goes
// when it is escalated. Plain data in, data out; the levels themselves are
// rows of EscalationLevel (loadEscalationLevels in levels.server.ts).
import type { Role } from "@prisma/client";

export interface EscalationLevelDef {
  level: number;
  name: string;
  roles: readonly Role[];
}

/** The ordinary queue: volunteers (and anyone whose role is in no level) work here. */
export const ORDINARY_LEVEL = 0;

/** What the migration seeds; used when the table cannot be read (unit tests). */
export const DEFAULT_ESCALATION_LEVELS: readonly EscalationLevelDef[] = [
  { level: 1, name: "Experienced agents", roles: ["agent"] },
  { level: 2, name: "Supervisors", roles: ["supervisor"] },
];

/** The highest level whose roles include the user's role; 0 when none does. */
export function levelOfRole(role: Role, levels: readonly EscalationLevelDef[]): number {
  let found = ORDINARY_LEVEL;
  for (const l of levels) if (l.level > found && l.roles.includes(role)) found = l.level;
  return found;
}

/** The lowest level above `caseLevel`, or null when the case is at the top already. */
export function nextLevelAbove(caseLevel: number, levels: readonly EscalationLevelDef[]): EscalationLevelDef | null {
  let next: EscalationLevelDef | null = null;
  for (const l of levels) if (l.level > caseLevel && (!next || l.level < next.level)) next = l;
  return next;
}

/** An expert may take and work an escalated case whose level is at most their own. */
export function mayWorkEscalation(userLevel: number, caseLevel: number): boolean {
  return caseLevel >= 1 && userLevel >= caseLevel;
}

/** The escalation levels a user of this level takes from (1..userLevel); empty for level 0. */
export function levelsWorkedBy(userLevel: number, levels: readonly EscalationLevelDef[]): number[] {
  return levels.filter((l) => l.level >= 1 && l.level <= userLevel).map((l) => l.level).sort((a, b) => a - b);
}

export function levelName(level: number, levels: readonly EscalationLevelDef[]): string {
  if (level === ORDINARY_LEVEL) return "Ordinary queue";
  return levels.find((l) => l.level === level)?.name ?? `Level ${level}`;
}
