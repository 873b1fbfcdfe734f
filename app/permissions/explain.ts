// "What may they do and why": turns an ability's rules into plain rows for
// the supervisor screen. Pure, so it is unit-tested with the ability.
import type { AbilityUser, Action, AppAbility, AppSubjects } from "./ability";
import { VOLUNTEER_STATUSES_WITHOUT_ACCESS } from "./ability";

export const EXPLAINED_ACTIONS: Action[] = [
  "read",
  "create",
  "update",
  "delete",
  "invite",
  "resetPassword",
  "assign",
  "take",
  "reply",
  "compose",
  "escalate",
  "reclassify",
  "release",
  "grant",
  "revoke",
];

export const EXPLAINED_SUBJECTS = [
  "Case",
  "Gesture",
  "GestureLimit",
  "User",
  "Volunteer",
  "Skill",
  "Training",
  "TrainingReport",
  "RuleSet",
  "EnrolmentImport",
  "ReplyTemplate",
  "ContactReason",
  "ServiceTarget",
  "CaseNote",
  "AuditLog",
  "Permission",
] as const satisfies readonly AppSubjects[];

export interface RuleRow {
  effect: "allow" | "deny";
  actions: string[];
  subjects: string[];
  conditions: string | null;
  fields: string[] | null;
  reason: string | null;
}

function valueText(value: unknown, userId: string): string {
  if (value === userId) return "this user";
  if (Array.isArray(value)) return value.map((v) => valueText(v, userId)).join(", ");
  if (value === null) return "nobody";
  if (typeof value === "object") return `(${conditionsText(value as Record<string, unknown>, userId)})`;
  return String(value);
}

const OPERATORS: Record<string, string> = {
  equals: "=",
  not: "≠",
  in: "is one of",
  notIn: "is none of",
  lt: "<",
  lte: "≤",
  gt: ">",
  gte: "≥",
  contains: "contains",
  startsWith: "starts with",
  has: "has",
  hasSome: "has one of",
  is: "is",
  isNot: "is not",
};

/** {assigneeId: "u1", amount: {lte: 2000}} -> "assigneeId = this user and amount ≤ 2000" */
export function conditionsText(conditions: Record<string, unknown>, userId: string): string {
  const parts: string[] = [];
  for (const [field, condition] of Object.entries(conditions)) {
    if (field === "AND" || field === "OR") {
      const list = (condition as Record<string, unknown>[]).map((c) => conditionsText(c, userId));
      parts.push(`(${list.join(field === "AND" ? " and " : " or ")})`);
    } else if (field === "NOT") {
      parts.push(`not (${conditionsText(condition as Record<string, unknown>, userId)})`);
    } else if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      for (const [operator, value] of Object.entries(condition)) {
        parts.push(`${field} ${OPERATORS[operator] ?? operator} ${valueText(value, userId)}`);
      }
    } else {
      parts.push(`${field} = ${valueText(condition, userId)}`);
    }
  }
  return parts.join(" and ");
}

const list = (value: string | string[]) => (Array.isArray(value) ? value : [value]);

/** The ability's rules in the order CASL applies them (later rules win). */
export function describeRules(ability: AppAbility, userId: string): RuleRow[] {
  return ability.rules.map((rule) => ({
    effect: rule.inverted ? "deny" : "allow",
    actions: list(rule.action as string | string[]),
    subjects: list(rule.subject as string | string[]),
    conditions: rule.conditions ? conditionsText(rule.conditions as Record<string, unknown>, userId) : null,
    fields: rule.fields ? list(rule.fields as string | string[]) : null,
    reason: rule.reason ?? null,
  }));
}

export interface CapabilityRow {
  subject: string;
  /** Per action: "always", "when" (only for rows matching conditions) or absent. */
  actions: { action: Action; scope: "always" | "when"; because: string }[];
}

/** For each subject type, which actions the ability allows, and the rule that says so. */
export function capabilities(ability: AppAbility, user: { id: string; role: string }): CapabilityRow[] {
  const userId = user.id;
  return EXPLAINED_SUBJECTS.map((subject) => ({
    subject,
    actions: EXPLAINED_ACTIONS.flatMap((action): CapabilityRow["actions"] => {
      if (!ability.can(action, subject)) return [];
      const conditional = ability.rulesFor(action, subject).filter((rule) => !rule.inverted);
      const unconditional = conditional.find((rule) => !rule.conditions);
      if (unconditional) {
        const granted = `${list(unconditional.action as string).join("/")} ${list(unconditional.subject as string).join("/")}`;
        return [{ action, scope: "always" as const, because: unconditional.reason ?? `${user.role} role: may ${granted}` }];
      }
      const because = conditional
        .map((rule) => rule.reason ?? conditionsText(rule.conditions as Record<string, unknown>, userId))
        .join("; or ");
      return [{ action, scope: "when" as const, because }];
    }),
  }));
}

/** Why a user has no rules at all, if that is the case. */
export function whyNothing(user: AbilityUser): string | null {
  if (user.status !== "active") return "The account is disabled: no rules apply.";
  if (user.volunteerStatus && VOLUNTEER_STATUSES_WITHOUT_ACCESS.includes(user.volunteerStatus)) {
    return `The volunteer is ${user.volunteerStatus}: no rules apply until a planner makes them active again.`;
  }
  return null;
}
