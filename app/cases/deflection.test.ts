import { describe, expect, it } from "vitest";
import { SUPPORTED_LANGUAGES } from "~/reference/channels";
import {
  DEFAULT_DEFLECTION_RULE_SET,
  decideDeflection,
  parseDeflectionRuleSet,
  type DeflectionCaseFields,
} from "./deflection";

function aCase(overrides: Partial<DeflectionCaseFields> = {}): DeflectionCaseFields {
  return {
    language: "en",
    subject: "Question",
    body: "Hello",
    topics: [],
    customerName: "Ana Lima",
    bookingReference: "ABC123",
    flightNumber: "KL1234",
    complexity: "simple",
    liveConversation: false,
    ...overrides,
  };
}

function deflect(fields: DeflectionCaseFields) {
  return decideDeflection(fields, DEFAULT_DEFLECTION_RULE_SET);
}

describe("decideDeflection with the shipped rules", () => {
  it("answers a refund-status case with the refund form in the case language", () => {
    expect(deflect(aCase({ language: "nl", topics: ["refund-status"] }))).toEqual({
      ruleId: "refund-status",
      templateId: "refund-form-link",
      language: "nl",
      reply:
        "Beste Ana Lima, bedankt voor uw bericht. U kunt een terugbetaling aanvragen en de status volgen via ons terugbetalingsformulier: https://airline.example/refund. Heeft u daarna nog hulp nodig? Beantwoord dan gewoon dit bericht.",
      reason: 'Topic "refund-status" (deflection: Refund question: send the refund form)',
    });
  });

  it("recognises the question by keywords when the case has no topic", () => {
    const result = deflect(aCase({ body: "Hi, how do I get my refund?" }));
    expect(result?.templateId).toBe("refund-form-link");
    expect(result?.reason).toBe('Mentions "how do i get my refund" (deflection: Refund question: send the refund form)');
    expect(deflect(aCase({ language: "fr", body: "Où en est mon remboursement ?" }))?.language).toBe("fr");
    expect(deflect(aCase({ language: "zh", body: "请问如何退款？" }))?.reply).toContain("退款表格");
    expect(deflect(aCase({ language: "de", body: "Wo ist mein Koffer?" }))?.templateId).toBe("baggage-tracking-link");
  });

  it("has an approved template in every supported language for every shipped rule", () => {
    for (const rule of DEFAULT_DEFLECTION_RULE_SET.rules)
      expect(Object.keys(rule.templates).sort()).toEqual([...SUPPORTED_LANGUAGES].sort());
  });

  it("falls back to English for a language without a template", () => {
    const result = deflect(aCase({ language: "sv", topics: ["baggage-status"] }));
    expect(result?.language).toBe("en");
    expect(result?.reply).toMatch(/^Hello Ana Lima, .*https:\/\/airline\.example\/baggage/);
  });

  it("leaves alone cases that ask something else too, complex cases and live conversations", () => {
    expect(deflect(aCase({ topics: ["refund-status", "complaint-compensation"] }))).toBeNull();
    expect(deflect(aCase({ topics: ["refund-status"], complexity: "complex" }))).toBeNull();
    expect(deflect(aCase({ topics: ["refund-status"], liveConversation: true }))).toBeNull();
    expect(deflect(aCase({ body: "I want to change my seat" }))).toBeNull();
  });
});

describe("parseDeflectionRuleSet", () => {
  it("accepts the shipped rules after a JSON round trip", () => {
    const stored = JSON.parse(JSON.stringify(DEFAULT_DEFLECTION_RULE_SET)) as unknown;
    expect(parseDeflectionRuleSet(stored)).toEqual({ ok: true, value: DEFAULT_DEFLECTION_RULE_SET });
  });

  it("lists every problem: no trigger, no English template, unknown placeholder, duplicate id", () => {
    const result = parseDeflectionRuleSet({
      version: 1,
      values: { refundFormUrl: "https://airline.example/refund" },
      rules: [
        {
          id: "a",
          name: "A",
          enabled: true,
          topics: [],
          onlyWhenNoOtherTopics: true,
          templateId: "t",
          templates: { nl: "Zie {refundFromUrl}" },
        },
        {
          id: "a",
          name: "B",
          enabled: true,
          topics: ["refund-status"],
          onlyWhenNoOtherTopics: false,
          templateId: "t",
          templates: { en: "See {refundFormUrl}, {customerName}", xx: "?" },
        },
      ],
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems).toEqual(
      expect.arrayContaining([
        { path: "rules.0.templates", message: expect.stringContaining("An English template is required") },
        { path: "rules.0.topics", message: "Give at least one topic or keyword, or the rule would answer every case" },
        { path: "rules.0.templates.nl", message: expect.stringMatching(/^Unknown placeholder \{refundFromUrl\}; use \{customerName\}/) },
        { path: "rules.1.templates", message: expect.stringContaining('Unknown language "xx"') },
        { path: "rules.1.id", message: 'Rule id "a" is already used by rule 1; ids must be unique' },
      ]),
    );
  });
});
