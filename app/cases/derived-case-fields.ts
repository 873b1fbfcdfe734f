// Case columns that are text derived from other columns: the priority and
// complexity reasons and rule ids say what the rules saw. A rule matches
// only after every earlier enabled rule did not, so the outcome tells about
// the columns of all of those rules, and the fallback about every rule's.
// The field rules (app/permissions/fields.server.ts) let a user read a
// derived column only when they may read every column it came from.
import type { ClassificationCondition, ClassificationRuleSet } from "./classification";
import type { PriorityCondition, PriorityRuleSet } from "./priority-rules";

/** Stands for "any column": the rule that decided is no longer in the rule set, so what it read is unknown. */
export const ANY_CASE_FIELD = "*";

const PRIORITY_CONDITION_FIELDS: Record<PriorityCondition["type"], string[]> = {
  departsWithinHours: ["departureAt", "flightNumber"],
  keywordsAny: ["subject", "body", "language"],
  liveConversation: ["liveConversation"],
  loyaltyTierAtLeast: ["loyaltyTier"],
  paymentLinkUnpaid: ["paymentLinkUnpaid"],
  topicAny: ["topics"],
  olderThanMinutes: ["receivedAt"],
};

const CLASSIFICATION_CONDITION_FIELDS: Record<ClassificationCondition["type"], string[]> = {
  topicAny: ["topics"],
  keywordsAny: ["subject", "body", "language"],
  channelIn: ["channelId"],
  loyaltyTierAtLeast: ["loyaltyTier"],
  // Counted over the customer's earlier contacts, found by customer id.
  earlierCasesAtLeast: ["customerId"],
  earlierEscalationsAtLeast: ["customerId"],
};

/** Complexity set by hand on reclassification (bot.server.ts): derived from no column. */
const MANUAL_RULE_ID = "manual";

interface RuleLike<C> {
  id: string;
  enabled: boolean;
  conditions: C[];
}

function sourcesOf<C extends { type: string }>(rules: RuleLike<C>[], ruleId: string | null, fieldsOf: (condition: C) => string[]): string[] {
  const index = ruleId === null ? rules.length - 1 : rules.findIndex((rule) => rule.id === ruleId);
  if (ruleId !== null && index < 0) return [ANY_CASE_FIELD];
  const fields = new Set<string>();
  for (const rule of rules.slice(0, index + 1)) {
    if (!rule.enabled) continue;
    for (const condition of rule.conditions) for (const field of fieldsOf(condition)) fields.add(field);
  }
  return [...fields];
}

/** For each derived column of this case, the columns its value was computed from, under the current rules. */
export function derivedCaseFieldSources(
  row: { priorityRuleId?: string | null; complexityRuleId?: string | null },
  rules: { priority: PriorityRuleSet; classification: ClassificationRuleSet },
): Record<string, string[]> {
  const priority = sourcesOf(rules.priority.rules, row.priorityRuleId ?? null, (c) => PRIORITY_CONDITION_FIELDS[c.type]);
  const complexity =
    row.complexityRuleId === MANUAL_RULE_ID
      ? []
      : sourcesOf(rules.classification.rules, row.complexityRuleId ?? null, (c) => CLASSIFICATION_CONDITION_FIELDS[c.type]);
  return { priorityReason: priority, priorityRuleId: priority, complexityReason: complexity, complexityRuleId: complexity };
}
