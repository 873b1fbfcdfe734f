import { describe, expect, it } from "vitest";
import {
  evaluatePriority,
  formatDuration,
  rulePreview,
  type PriorityCaseFields,
} from "./priority-model";
import { DEFAULT_PRIORITY_RULE_SET, type PriorityRuleSet } from "./priority-rules";

const NOW = new Date("2024-03-15T10:00:00.000Z");
const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

function at(offsetMs: number): Date {
  return new Date(NOW.getTime() + offsetMs);
}

function aCase(overrides: Partial<PriorityCaseFields> = {}): PriorityCaseFields {
  return {
    language: "en",
    subject: "Question about my booking",
    body: "Hello, I have a question.",
    flightNumber: "KL1234",
    departureAt: null,
    receivedAt: at(-30 * MINUTE),
    liveConversation: false,
    paymentLinkUnpaid: false,
    loyaltyTier: "none",
    topics: [],
    ...overrides,
  };
}

function score(fields: PriorityCaseFields, now: Date = NOW) {
  return evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, now);
}

describe("default model, step 1: departs within 4 hours", () => {
  it("matches at exactly 4 h 0 s before departure", () => {
    const result = score(aCase({ departureAt: at(4 * HOUR) }));
    expect(result).toMatchObject({ tier: 1, ruleId: "departs-within-4h" });
    expect(result.reason).toBe(
      "Flight KL1234 departs in 4 h (2024-03-15 14:00 UTC) (rule: Departs within 4 hours)",
    );
  });

  it("does not match at 4 h + 1 s and says when it will", () => {
    const result = score(aCase({ departureAt: at(4 * HOUR + SECOND) }));
    expect(result).toMatchObject({ tier: 8, ruleId: null });
    expect(result.recheckAt).toEqual(at(SECOND));
  });

  it("matches shortly before departure and stops at the moment of departure", () => {
    expect(score(aCase({ departureAt: at(SECOND) })).tier).toBe(1);
    expect(score(aCase({ departureAt: at(0) })).ruleId).toBeNull();
    expect(score(aCase({ departureAt: at(-HOUR) })).ruleId).toBeNull();
  });

  it("writes the remaining time in hours and minutes", () => {
    const result = score(aCase({ departureAt: at(3 * HOUR + 10 * MINUTE + 30 * SECOND) }));
    expect(result.reason).toMatch(/^Flight KL1234 departs in 3 h 10 min \(2024-03-15 13:10 UTC\)/);
  });

  it("ignores cases without a departure time", () => {
    expect(score(aCase({ departureAt: null, flightNumber: null })).ruleId).toBeNull();
  });
});

describe("default model, step 2: urgency words and departs within 12 hours", () => {
  const urgentIn12h = { subject: "URGENT", departureAt: at(12 * HOUR) };

  it("matches at exactly 12 h with an urgency word, not at 12 h + 1 s", () => {
    expect(score(aCase(urgentIn12h))).toMatchObject({ tier: 2, ruleId: "urgent-departs-within-12h" });
    expect(score(aCase({ ...urgentIn12h, departureAt: at(12 * HOUR + SECOND) })).ruleId).toBeNull();
  });

  it("needs an urgency word", () => {
    expect(score(aCase({ departureAt: at(6 * HOUR) })).ruleId).toBeNull();
  });

  it("explains the word and the departure", () => {
    expect(score(aCase({ body: "I fly tomorrow", departureAt: at(6 * HOUR) })).reason).toBe(
      'Mentions "tomorrow"; Flight KL1234 departs in 6 h (2024-03-15 16:00 UTC) (rule: Urgency words, departs within 12 hours)',
    );
  });

  it.each([
    ["nl", "Mijn vlucht is morgen, graag snel antwoord", "morgen"],
    ["nl", "Dringend: bagage", "dringend"],
    ["fr", "Mon vol part demain matin", "demain"],
    ["fr", "C'est URGENT", "urgent"],
    ["fr", "Reponse des que possible svp", "dès que possible"],
    ["de", "Bitte dringend helfen", "dringend"],
    ["de", "Mein Flug geht morgen", "morgen"],
    ["es", "Mi vuelo sale manana", "mañana"],
    ["es", "Es urgente", "urgente"],
    ["it", "Parto domani", "domani"],
    ["it", "Rispondete al piu presto", "al più presto"],
    ["pt", "O voo é amanha", "amanhã"],
    ["pt", "Preciso de ajuda agora", "agora"],
    ["zh", "我的航班明天起飞，紧急！", "紧急"],
    ["zh", "請盡快回覆", "盡快"],
    ["ja", "至急ご対応お願いします", "至急"],
    ["ja", "明日のフライトについて", "明日"],
    ["ko", "긴급합니다", "긴급"],
    ["ko", "내일 출발하는 비행기", "내일"],
    ["ko", "ASAP please", "asap"],
  ])("catches the %s urgency word in %j", (language, text, keyword) => {
    const result = score(aCase({ language, subject: "", body: text, departureAt: at(8 * HOUR) }));
    expect(result.ruleId).toBe("urgent-departs-within-12h");
    expect(result.reason).toContain(`Mentions "${keyword}"`);
  });

  it("does not take a word inside a longer word, nor a greeting, for an urgency word", () => {
    const departureAt = at(8 * HOUR);
    expect(score(aCase({ body: "I know nowhere to stay", departureAt })).ruleId).toBeNull();
    expect(score(aCase({ language: "de", body: "Guten Morgen, eine Frage", departureAt })).ruleId).toBeNull();
    expect(score(aCase({ language: "es", body: "Salgo por la mañana", departureAt })).ruleId).toBeNull();
    expect(score(aCase({ language: "nl", body: "Goedemorgen", departureAt })).ruleId).toBeNull();
  });

  it("only uses the case language's words and English", () => {
    // Dutch "nu" (now) means "naked" in French; a French case is not urgent for it.
    expect(score(aCase({ language: "fr", body: "nu", departureAt: at(8 * HOUR) })).ruleId).toBeNull();
    expect(score(aCase({ language: "nl", body: "nu", departureAt: at(8 * HOUR) })).tier).toBe(2);
  });
});

describe("default model, steps 3 to 6", () => {
  it("puts live conversations in tier 3", () => {
    expect(score(aCase({ liveConversation: true, loyaltyTier: "platinum" }))).toMatchObject({
      tier: 3,
      ruleId: "live-conversation",
      reason: "Customer is in a live conversation (rule: Live conversation with an agent)",
    });
  });

  it("ranks loyalty members platinum, gold, silver, before medium urgency", () => {
    const tiers = (["platinum", "gold", "silver", "none"] as const).map(
      (loyaltyTier) => score(aCase({ loyaltyTier, paymentLinkUnpaid: true })).tier,
    );
    expect(tiers).toEqual([4, 5, 6, 7]);
    expect(score(aCase({ loyaltyTier: "gold" })).reason).toBe("Gold member (rule: Loyalty: Gold)");
  });

  it("puts unpaid payment links and sales opportunities in tier 7", () => {
    expect(score(aCase({ paymentLinkUnpaid: true }))).toMatchObject({ tier: 7, ruleId: "payment-link-unpaid" });
    const upgrade = score(aCase({ topics: ["baggage-status", "upgrade"] }));
    expect(upgrade).toMatchObject({ tier: 7, ruleId: "sales-opportunity" });
    expect(upgrade.reason).toBe('Topic "upgrade" (rule: Medium urgency: sales opportunity)');
    expect(score(aCase({ topics: ["rebooking"] })).tier).toBe(7);
  });

  it("gives everything else the fallback tier", () => {
    expect(score(aCase())).toEqual({
      tier: 8,
      ruleId: null,
      reason: "No rule applies (rule: Everything else, oldest first)",
      recheckAt: null,
    });
  });

  it("lets an earlier rule win over a later one", () => {
    expect(score(aCase({ departureAt: at(HOUR), liveConversation: true, loyaltyTier: "platinum" })).tier).toBe(1);
  });

  it("skips disabled rules", () => {
    const ruleSet: PriorityRuleSet = {
      ...DEFAULT_PRIORITY_RULE_SET,
      rules: DEFAULT_PRIORITY_RULE_SET.rules.map((rule) =>
        rule.id === "live-conversation" ? { ...rule, enabled: false } : rule,
      ),
    };
    expect(evaluatePriority(aCase({ liveConversation: true }), ruleSet, NOW).ruleId).toBeNull();
  });
});

describe("recheckAt", () => {
  function expectChangeExactlyAt(fields: PriorityCaseFields, ruleSet = DEFAULT_PRIORITY_RULE_SET) {
    const first = evaluatePriority(fields, ruleSet, NOW);
    expect(first.recheckAt).not.toBeNull();
    const recheckAt = first.recheckAt as Date;
    const justBefore = evaluatePriority(fields, ruleSet, new Date(recheckAt.getTime() - SECOND));
    const atRecheck = evaluatePriority(fields, ruleSet, recheckAt);
    expect([justBefore.tier, justBefore.ruleId]).toEqual([first.tier, first.ruleId]);
    expect([atRecheck.tier, atRecheck.ruleId]).not.toEqual([first.tier, first.ruleId]);
    return { first, atRecheck };
  }

  it("is when a flight departing in 5 h enters the 4-hour tier", () => {
    const { first, atRecheck } = expectChangeExactlyAt(aCase({ departureAt: at(5 * HOUR) }));
    expect(first.recheckAt).toEqual(at(HOUR));
    expect(atRecheck.tier).toBe(1);
  });

  it("is when an urgent flight enters the 12-hour window, then the 4-hour window, then departs", () => {
    const fields = aCase({ subject: "urgent", departureAt: at(20 * HOUR), loyaltyTier: "gold" });
    const step1 = expectChangeExactlyAt(fields);
    expect(step1.first).toMatchObject({ tier: 5, recheckAt: at(8 * HOUR) });
    expect(step1.atRecheck).toMatchObject({ tier: 2, recheckAt: at(16 * HOUR) });
    const step3 = evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, at(16 * HOUR));
    expect(step3).toMatchObject({ tier: 1, recheckAt: at(20 * HOUR) });
    const departed = evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, at(20 * HOUR));
    expect(departed).toMatchObject({ tier: 5, ruleId: "loyalty-gold", recheckAt: null });
  });

  it("is the departure time for a case in the 4-hour tier", () => {
    const { first, atRecheck } = expectChangeExactlyAt(aCase({ departureAt: at(2 * HOUR) }));
    expect(first.recheckAt).toEqual(at(2 * HOUR));
    expect(atRecheck.ruleId).toBeNull();
  });

  it("ignores windows of rules less urgent than the current one", () => {
    // A live conversation (tier 3) cannot be overtaken by the 12-hour rule without urgency words.
    expect(score(aCase({ liveConversation: true, departureAt: at(30 * HOUR) })).recheckAt).toEqual(at(26 * HOUR));
    expect(score(aCase({ liveConversation: true, departureAt: null })).recheckAt).toBeNull();
  });

  it("is null for a departed flight", () => {
    expect(score(aCase({ subject: "urgent", departureAt: at(-MINUTE) })).recheckAt).toBeNull();
  });

  it("is when a case becomes old enough for an age rule, combined with other time conditions", () => {
    const ruleSet: PriorityRuleSet = {
      version: 1,
      rules: [
        {
          id: "waiting-and-soon",
          name: "Waiting 2 h and departs within 24 h",
          enabled: true,
          tier: 1,
          conditions: [
            { type: "olderThanMinutes", minutes: 120 },
            { type: "departsWithinHours", hours: 24 },
          ],
        },
      ],
      fallbackTier: 2,
      fallbackName: "Everything else",
    };
    // Received 30 min ago: old enough in 90 min; departure in 30 h: in the window in 6 h.
    const fields = aCase({ receivedAt: at(-30 * MINUTE), departureAt: at(30 * HOUR) });
    const { first, atRecheck } = expectChangeExactlyAt(fields, ruleSet);
    expect(first.recheckAt).toEqual(at(6 * HOUR));
    expect(atRecheck).toMatchObject({ ruleId: "waiting-and-soon", recheckAt: at(30 * HOUR) });
    expect(atRecheck.reason).toBe(
      "Waiting for 6 h 30 min; Flight KL1234 departs in 24 h (2024-03-16 16:00 UTC) (rule: Waiting 2 h and departs within 24 h)",
    );
    // Flight window already open: the age condition decides.
    const later = aCase({ receivedAt: at(-30 * MINUTE), departureAt: at(10 * HOUR) });
    expect(evaluatePriority(later, ruleSet, NOW).recheckAt).toEqual(at(90 * MINUTE));
  });
});

describe("rulePreview", () => {
  it("counts the cases each rule catches, first match wins", () => {
    const cases = [
      aCase({ departureAt: at(HOUR), liveConversation: true }),
      aCase({ departureAt: at(2 * HOUR) }),
      aCase({ liveConversation: true }),
      aCase({ loyaltyTier: "platinum" }),
      aCase({ topics: ["upgrade"] }),
      aCase(),
      aCase(),
    ];
    const preview = rulePreview(cases, DEFAULT_PRIORITY_RULE_SET, NOW);
    const counts = Object.fromEntries(preview.rules.map((row) => [row.ruleId, row.count]));
    expect(counts).toEqual({
      "departs-within-4h": 2,
      "urgent-departs-within-12h": 0,
      "live-conversation": 1,
      "loyalty-platinum": 1,
      "loyalty-gold": 0,
      "loyalty-silver": 0,
      "payment-link-unpaid": 0,
      "sales-opportunity": 1,
    });
    expect(preview.fallback).toEqual({ name: "Everything else, oldest first", tier: 8, count: 2 });
    expect(preview.total).toBe(7);
  });
});

describe("formatDuration", () => {
  it("rounds down to the minute", () => {
    expect(formatDuration(59 * SECOND)).toBe("less than a minute");
    expect(formatDuration(45 * MINUTE + 59 * SECOND)).toBe("45 min");
    expect(formatDuration(26 * HOUR + 5 * MINUTE)).toBe("26 h 5 min");
    expect(formatDuration(50 * HOUR)).toBe("2 d 2 h");
  });
});
