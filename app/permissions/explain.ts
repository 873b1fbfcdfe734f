// "What may they do and why": turns an ability's rules into plain rows for
// the supervisor screen. Pure, so it is unit-tested with the ability.
import type { AbilityUser, Action, AppAbility, AppSubjects } from "./ability";
import { VOLUNTEER_STATUSES_WITHOUT_ACCESS } from "./ability";
import { formatGestureAmount, isGestureType } from "~/gestures/limits";

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
  "Capacity",
  "CapacityThreshold",
] as const satisfies readonly AppSubjects[];

export interface RuleRow {
  effect: "allow" | "deny";
  actions: string[];
  subjects: string[];
  conditions: string | null;
  fields: string[] | null;
  reason: string | null;
}

/** The words for the columns conditions name, so the screen does not speak in column names. */
const FIELD_WORDS: Record<string, string> = {
  assigneeId: "assigned to",
  holdAgentId: "put on hold by",
  channelId: "channel",
  language: "language",
  amount: "amount",
  type: "gesture type",
  role: "role",
  status: "status",
  customerId: "customer account id",
  threadKey: "earlier-contact key",
  paymentLinkUnpaid: "payment state",
  escalationLevel: "escalation level",
  escalations: "escalations",
  raisedById: "escalated by",
};

const fieldWords = (field: string) => FIELD_WORDS[field] ?? field.replace(/([a-z])([A-Z])/g, "$1 $2").toLowerCase();

function valueText(value: unknown, userId: string, format: (v: unknown) => string): string {
  if (value === userId) return "them";
  if (Array.isArray(value)) return value.map((v) => valueText(v, userId, format)).join(", ");
  if (value === null) return "nobody";
  if (typeof value === "object") return `(${conditionsText(value as Record<string, unknown>, userId)})`;
  return format(value);
}

const OPERATORS: Record<string, string> = {
  equals: "is",
  not: "is not",
  in: "is one of",
  notIn: "is none of",
  lt: "is below",
  lte: "is at most",
  gt: "is above",
  gte: "is at least",
  contains: "contains",
  startsWith: "starts with",
  has: "has",
  hasSome: "has one of",
  is: "is",
  isNot: "is not",
  some: "include one",
};

/**
 * {assigneeId: "u1", amount: {lte: 2000}, type: "money"} -> "assigned to them
 * and amount is at most €20.00 and gesture type is money". Gesture amounts
 * are shown in the gesture's unit (euros for money, not cents).
 */
export function conditionsText(conditions: Record<string, unknown>, userId: string): string {
  const gestureType = isGestureType(conditions.type) ? conditions.type : null;
  const format = (field: string) => (value: unknown) =>
    field === "amount" && gestureType && typeof value === "number" ? formatGestureAmount(gestureType, value) : String(value);
  const parts: string[] = [];
  for (const [field, condition] of Object.entries(conditions)) {
    if (field === "AND" || field === "OR") {
      const list = (condition as Record<string, unknown>[]).map((c) => conditionsText(c, userId));
      parts.push(`(${list.join(field === "AND" ? " and " : " or ")})`);
    } else if (field === "NOT") {
      parts.push(`not (${conditionsText(condition as Record<string, unknown>, userId)})`);
    } else if (condition !== null && typeof condition === "object" && !Array.isArray(condition)) {
      for (const [operator, value] of Object.entries(condition)) {
        parts.push(`${fieldWords(field)} ${OPERATORS[operator] ?? operator} ${valueText(value, userId, format(field))}`);
      }
    } else if (condition === userId) {
      parts.push(`${fieldWords(field)} them`);
    } else {
      parts.push(`${fieldWords(field)} is ${valueText(condition, userId, format(field))}`);
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
    fields: rule.fields ? list(rule.fields as string | string[]).map(fieldWords) : null,
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
