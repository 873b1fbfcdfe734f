import { describe, expect, it } from "vitest";
import { DEFAULT_PRIORITY_RULE_SET, parsePriorityRuleSet, type PriorityRuleSet } from "./priority-rules";

function problemsOf(input: unknown) {
  const result = parsePriorityRuleSet(input);
  if (result.ok) throw new Error("expected the rule set to be rejected");
  return result.problems;
}

describe("parsePriorityRuleSet", () => {
  it("accepts the shipped default and survives a JSON round trip", () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_PRIORITY_RULE_SET)) as unknown;
    const result = parsePriorityRuleSet(stored);
    expect(result).toEqual({ ok: true, value: DEFAULT_PRIORITY_RULE_SET });
  });

  it("ships the BRIEF's model in order", () => {
    expect(DEFAULT_PRIORITY_RULE_SET.rules.map((rule) => [rule.id, rule.tier])).toEqual([
      ["departs-within-4h", 1],
      ["urgent-departs-within-12h", 2],
      ["live-conversation", 3],
      ["loyalty-platinum", 4],
      ["loyalty-gold", 5],
      ["loyalty-silver", 6],
      ["payment-link-unpaid", 7],
      ["sales-opportunity", 7],
    ]);
    expect(DEFAULT_PRIORITY_RULE_SET.fallbackTier).toBe(8);
  });

  it("has urgency words for every supported language", () => {
    const urgency = DEFAULT_PRIORITY_RULE_SET.rules[1]?.conditions[0];
    expect(urgency?.type).toBe("keywordsAny");
    if (urgency?.type !== "keywordsAny") return;
    expect(Object.keys(urgency.keywords).sort()).toEqual(["de", "en", "es", "fr", "it", "ja", "ko", "nl", "pt", "zh"]);
  });

  it("lists every problem of an edited rule set with its path", () => {
    const edited = structuredClone(DEFAULT_PRIORITY_RULE_SET) as PriorityRuleSet & Record<string, unknown>;
    const rules = edited.rules as unknown as Record<string, unknown>[];
    rules[0] = { ...rules[0], conditions: [{ type: "departsWithinHours", hours: 0 }] };
    rules[1] = { ...rules[1], id: "departs-within-4h" };
    rules[2] = { ...rules[2], tier: 1.5 };
    rules[3] = { ...rules[3], conditions: [{ type: "keywordsAny", keywords: { en: [] } }] };
    rules[4] = { ...rules[4], conditions: [{ type: "weatherIsBad" }] };
    rules[5] = { ...rules[5], conditions: [] };
    rules[6] = { ...rules[6], tier: 0, name: " " };
    rules[7] = { ...rules[7], conditions: [{ type: "topicAny", topics: ["Sales Opportunity"] }] };
    expect(problemsOf(edited)).toEqual(
      expect.arrayContaining([
        { path: "rules.0.conditions.0.hours", message: "Hours must be more than 0" },
        { path: "rules.1.id", message: 'Rule id "departs-within-4h" is already used by rule 1; ids must be unique' },
        { path: "rules.2.tier", message: "The tier must be a whole number" },
        { path: "rules.3.conditions.0.keywords.en", message: "List at least one keyword for this language" },
        { path: "rules.3.conditions.0.keywords", message: "List at least one keyword in at least one language" },
        { path: "rules.4.conditions.0.type", message: expect.stringMatching(/^Unknown condition type; use one of departsWithinHours/) },
        { path: "rules.5.conditions", message: expect.stringContaining("at least one condition") },
        { path: "rules.6.tier", message: "The tier must be 1 or more (1 is the most urgent)" },
        { path: "rules.6.name", message: "Give the rule a name" },
        { path: "rules.7.conditions.0.topics.0", message: expect.stringContaining("lowercase slug") },
      ]),
    );
  });

  it("rejects a fallback tier more urgent than an enabled rule", () => {
    expect(problemsOf({ ...DEFAULT_PRIORITY_RULE_SET, fallbackTier: 5 })).toEqual([
      { path: "fallbackTier", message: "The fallback tier (5) must not be more urgent than an enabled rule (tier 7)" },
    ]);
  });

  it("rejects an unknown loyalty tier and a non-positive age", () => {
    const ruleSet = {
      ...DEFAULT_PRIORITY_RULE_SET,
      rules: [
        { id: "a", name: "A", enabled: true, tier: 1, conditions: [{ type: "loyaltyTierAtLeast", tier: "diamond" }] },
        { id: "b", name: "B", enabled: true, tier: 1, conditions: [{ type: "olderThanMinutes", minutes: -5 }] },
      ],
    };
    expect(problemsOf(ruleSet)).toEqual([
      { path: "rules.0.conditions.0.tier", message: "The loyalty tier must be one of silver, gold, platinum" },
      { path: "rules.1.conditions.0.minutes", message: "Minutes must be more than 0" },
    ]);
  });
});
