import { describe, expect, it } from "vitest";
import {
  DEFAULT_CLASSIFICATION_RULE_SET,
  classifyCase,
  parseClassificationRuleSet,
  type ClassificationCaseFields,
  type ClassificationRuleSet,
  type CustomerHistory,
} from "./classification";

function aCase(overrides: Partial<ClassificationCaseFields> = {}): ClassificationCaseFields {
  return {
    channelId: "whatsapp",
    language: "en",
    subject: "My booking",
    body: "Hello",
    loyaltyTier: "none",
    topics: [],
    ...overrides,
  };
}

const NO_HISTORY: CustomerHistory = { earlierCases: 0, earlierEscalations: 0 };

function classify(fields: ClassificationCaseFields, history: CustomerHistory = NO_HISTORY) {
  return classifyCase(fields, history, DEFAULT_CLASSIFICATION_RULE_SET);
}

describe("classifyCase with the shipped defaults", () => {
  it("gives elementary questions to volunteers, with the reason", () => {
    expect(classify(aCase({ topics: ["refund-status"] }))).toEqual({
      complexity: "simple",
      ruleId: "elementary-topics",
      reason: 'Simple: topic "refund-status" (rule: Elementary questions)',
    });
    for (const topic of ["baggage-status", "flight-status", "rebooking-simple"])
      expect(classify(aCase({ topics: [topic] })).complexity).toBe("simple");
  });

  it("keeps sensitive topics for experienced agents even when an elementary topic is also tagged", () => {
    expect(classify(aCase({ topics: ["refund-status", "complaint-compensation"] }))).toEqual({
      complexity: "complex",
      ruleId: "sensitive-topics",
      reason: 'Complex: topic "complaint-compensation" (rule: Sensitive topics)',
    });
    for (const topic of ["legal", "medical", "group-booking", "unaccompanied-minor"])
      expect(classify(aCase({ topics: [topic, "flight-status"] })).complexity).toBe("complex");
  });

  it.each([
    ["en", "My lawyer will contact you"],
    ["nl", "Mijn advocaat neemt contact op"],
    ["fr", "Mon avocat vous contactera"],
    ["de", "Ich gehe zum Anwalt"],
    ["es", "Voy a hablar con mi abogado"],
    ["it", "Il mio avvocato vi contatterà"],
    ["pt", "O meu advogado vai tratar disto"],
    ["zh", "我会请律师处理"],
    ["ja", "弁護士に相談します"],
    ["ko", "변호사와 상담하겠습니다"],
  ])("treats a %s message mentioning a lawyer as complex", (language, body) => {
    const result = classify(aCase({ language, body, topics: ["refund-status"] }));
    expect(result).toMatchObject({ complexity: "complex", ruleId: "legal-words" });
    expect(result.reason).toMatch(/^Complex: mentions ".+" \(rule: Mentions a lawyer or legal action\)$/);
  });

  it("treats a platinum member with 3 recent cases as complex, not with 2, not a gold member", () => {
    const platinum = aCase({ loyaltyTier: "platinum", topics: ["refund-status"] });
    expect(classify(platinum, { earlierCases: 3, earlierEscalations: 0 })).toEqual({
      complexity: "complex",
      ruleId: "platinum-repeat-contact",
      reason: "Complex: Platinum member; 3 earlier cases (rule: Platinum member with 3 or more recent cases)",
    });
    expect(classify(platinum, { earlierCases: 2, earlierEscalations: 0 }).complexity).toBe("simple");
    expect(classify({ ...platinum, loyaltyTier: "gold" }, { earlierCases: 5, earlierEscalations: 0 }).complexity).toBe(
      "simple",
    );
  });

  it("treats a customer with 2 recent escalations as complex", () => {
    const fields = aCase({ topics: ["baggage-status"] });
    expect(classify(fields, { earlierCases: 2, earlierEscalations: 2 }).ruleId).toBe("repeat-escalations");
    expect(classify(fields, { earlierCases: 2, earlierEscalations: 1 }).ruleId).toBe("elementary-topics");
  });

  it("sends unrecognised cases to experienced agents and says why", () => {
    expect(classify(aCase({ topics: ["something-new"] }))).toEqual({
      complexity: "complex",
      ruleId: null,
      reason: "Complex: no classification rule applies, so experienced agents only",
    });
  });
});

describe("classifyCase with edited rules", () => {
  const ruleSet: ClassificationRuleSet = {
    version: 1,
    rules: [
      {
        id: "public-social",
        name: "Public social posts",
        enabled: true,
        complexity: "complex",
        conditions: [{ type: "channelIn", channels: ["x", "facebook"] }],
      },
      {
        id: "disabled",
        name: "Disabled",
        enabled: false,
        complexity: "complex",
        conditions: [{ type: "topicAny", topics: ["refund-status"] }],
      },
    ],
    fallbackComplexity: "simple",
  };

  it("uses channel conditions, skips disabled rules and applies a simple fallback", () => {
    expect(classifyCase(aCase({ channelId: "x" }), NO_HISTORY, ruleSet)).toMatchObject({
      complexity: "complex",
      reason: "Complex: channel X (Twitter) (rule: Public social posts)",
    });
    expect(classifyCase(aCase({ topics: ["refund-status"] }), NO_HISTORY, ruleSet)).toEqual({
      complexity: "simple",
      ruleId: null,
      reason: "Simple: no classification rule applies, so a volunteer may take it",
    });
  });
});

describe("parseClassificationRuleSet", () => {
  it("accepts the shipped defaults after a JSON round trip", () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_CLASSIFICATION_RULE_SET)) as unknown;
    expect(parseClassificationRuleSet(stored)).toEqual({ ok: true, value: DEFAULT_CLASSIFICATION_RULE_SET });
  });

  it("lists every problem with its path", () => {
    const result = parseClassificationRuleSet({
      version: 1,
      fallbackComplexity: "medium",
      rules: [
        { id: "a", name: "A", enabled: true, complexity: "complex", conditions: [{ type: "channelIn", channels: ["fax"] }] },
        { id: "a", name: "B", enabled: true, complexity: "hard", conditions: [{ type: "earlierCasesAtLeast", count: 0 }] },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "fallbackComplexity", message: 'The fallback must be "simple" or "complex"' },
        { path: "rules.0.conditions.0.channels.0", message: expect.stringContaining("The channel must be one of whatsapp") },
        { path: "rules.1.complexity", message: 'The result must be "simple" or "complex"' },
        { path: "rules.1.conditions.0.count", message: "The count must be 1 or more" },
        { path: "rules.1.id", message: 'Rule id "a" is already used by rule 1; ids must be unique' },
      ]),
    );
    expect(result.problems).toHaveLength(5);
  });
});
