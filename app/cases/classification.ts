// Simple (a volunteer may take it) or complex (experienced agents only), by
// ordered rules a supervisor edits like the priority rules: the first enabled
// rule whose conditions all hold decides, otherwise the fallback does.
import { z } from "zod";
import { CHANNEL_IDS, CHANNELS } from "~/reference/channels";
import type { CaseComplexity, LoyaltyTier } from "./case-fields";
import { LOYALTY_TIER_LABELS, MEMBER_LOYALTY_TIERS, loyaltyTierAtLeast, topicSlugSchema } from "./case-fields";
import { exceptPhrasesSchema, findKeyword, keywordsByLanguageSchema, keywordsForLanguage } from "./keyword-match";
import { ruleConditionsSchema, ruleIdentityShape, ruleListSchema, ruleSetVersionSchema } from "./rule-schema";
import { reportDuplicateRuleIds, validateWith, type ValidationResult } from "./validation-problems";

const countSchema = z
  .number({ error: "The count must be a number" })
  .refine(Number.isInteger, { error: "The count must be a whole number" })
  .min(1, { error: "The count must be 1 or more" });

export const classificationConditionSchema = z.discriminatedUnion(
  "type",
  [
    z.object({
      type: z.literal("topicAny"),
      topics: z.array(topicSlugSchema).min(1, { error: "List at least one topic" }),
    }),
    z.object({ type: z.literal("keywordsAny"), keywords: keywordsByLanguageSchema, except: exceptPhrasesSchema.optional() }),
    z.object({
      type: z.literal("channelIn"),
      channels: z
        .array(z.enum(CHANNEL_IDS, { error: `The channel must be one of ${CHANNEL_IDS.join(", ")}` }))
        .min(1, { error: "List at least one channel" }),
    }),
    z.object({
      type: z.literal("loyaltyTierAtLeast"),
      tier: z.enum(MEMBER_LOYALTY_TIERS, { error: `The loyalty tier must be one of ${MEMBER_LOYALTY_TIERS.join(", ")}` }),
    }),
    /** Earlier cases of the same customer in the history window the caller chose (e.g. 30 days). */
    z.object({ type: z.literal("earlierCasesAtLeast"), count: countSchema }),
    z.object({ type: z.literal("earlierEscalationsAtLeast"), count: countSchema }),
  ],
  {
    error:
      "Unknown condition type; use one of topicAny, keywordsAny, channelIn, loyaltyTierAtLeast, earlierCasesAtLeast, earlierEscalationsAtLeast",
  },
);

export const classificationRuleSchema = z.object({
  ...ruleIdentityShape,
  complexity: z.enum(["simple", "complex"], { error: 'The result must be "simple" or "complex"' }),
  conditions: ruleConditionsSchema(classificationConditionSchema, "the fallback"),
});

export const classificationRuleSetSchema = z
  .object({
    version: ruleSetVersionSchema,
    rules: ruleListSchema(classificationRuleSchema),
    /** For cases no rule catches. "complex" keeps unknown work away from volunteers. */
    fallbackComplexity: z.enum(["simple", "complex"], { error: 'The fallback must be "simple" or "complex"' }),
  })
  // Runs even when single rules are invalid ("when"), so every problem is listed at once.
  .superRefine((ruleSet, ctx) => reportDuplicateRuleIds(ruleSet.rules, ctx), { when: () => true });

export type ClassificationCondition = z.infer<typeof classificationConditionSchema>;
export type ClassificationRule = z.infer<typeof classificationRuleSchema>;
export type ClassificationRuleSet = z.infer<typeof classificationRuleSetSchema>;

export function parseClassificationRuleSet(input: unknown): ValidationResult<ClassificationRuleSet> {
  return validateWith(classificationRuleSetSchema, input);
}

/** The case fields classification reads. */
export interface ClassificationCaseFields {
  channelId: string;
  language: string;
  subject: string;
  body: string;
  loyaltyTier: LoyaltyTier;
  topics: readonly string[];
}

/** The customer's recent history, counted by the caller over a window it chooses. */
export interface CustomerHistory {
  earlierCases: number;
  earlierEscalations: number;
}

export interface Classification {
  complexity: CaseComplexity;
  /** null when no rule caught the case and the fallback decided. */
  ruleId: string | null;
  reason: string;
}

export function classifyCase(
  fields: ClassificationCaseFields,
  history: CustomerHistory,
  ruleSet: ClassificationRuleSet,
): Classification {
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    const details: string[] = [];
    const holds = rule.conditions.every((condition) => {
      const detail = describeIfHolds(condition, fields, history);
      if (detail !== null) details.push(detail);
      return detail !== null;
    });
    if (holds)
      return {
        complexity: rule.complexity,
        ruleId: rule.id,
        reason: `${capitalize(rule.complexity)}: ${details.join("; ")} (rule: ${rule.name})`,
      };
  }
  const who = ruleSet.fallbackComplexity === "complex" ? "experienced agents only" : "a volunteer may take it";
  return {
    complexity: ruleSet.fallbackComplexity,
    ruleId: null,
    reason: `${capitalize(ruleSet.fallbackComplexity)}: no classification rule applies, so ${who}`,
  };
}

/** A description of why the condition holds, or null when it does not. */
function describeIfHolds(
  condition: ClassificationCondition,
  fields: ClassificationCaseFields,
  history: CustomerHistory,
): string | null {
  switch (condition.type) {
    case "topicAny": {
      const topics = fields.topics.filter((topic) => condition.topics.includes(topic));
      return topics.length ? `topic ${topics.map((topic) => `"${topic}"`).join(", ")}` : null;
    }
    case "keywordsAny": {
      const keyword = findKeyword(
        `${fields.subject}\n${fields.body}`,
        keywordsForLanguage(condition.keywords, fields.language),
        keywordsForLanguage(condition.except ?? {}, fields.language),
      );
      return keyword === null ? null : `mentions "${keyword}"`;
    }
    case "channelIn": {
      if (!(condition.channels as readonly string[]).includes(fields.channelId)) return null;
      const channel = CHANNELS.find((known) => known.id === fields.channelId);
      return `channel ${channel?.name ?? fields.channelId}`;
    }
    case "loyaltyTierAtLeast":
      return loyaltyTierAtLeast(fields.loyaltyTier, condition.tier)
        ? `${LOYALTY_TIER_LABELS[fields.loyaltyTier]} member`
        : null;
    case "earlierCasesAtLeast":
      return history.earlierCases >= condition.count ? `${history.earlierCases} earlier cases` : null;
    case "earlierEscalationsAtLeast":
      return history.earlierEscalations >= condition.count
        ? `${history.earlierEscalations} earlier escalations`
        : null;
  }
}

function capitalize(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** Words that mean the customer involves a lawyer or the courts. */
export const LEGAL_KEYWORDS = {
  en: ["lawyer", "attorney", "solicitor", "legal action", "sue", "court"],
  nl: ["advocaat", "jurist", "rechtszaak", "rechter", "juridische stappen"],
  fr: ["avocat", "action en justice", "tribunal", "poursuites", "procès"],
  de: ["Anwalt", "Rechtsanwalt", "Anwältin", "Klage", "verklagen", "Gericht", "rechtliche Schritte"],
  es: ["abogado", "abogada", "demandar", "tribunal", "acciones legales"],
  it: ["avvocato", "causa legale", "tribunale", "azioni legali"],
  pt: ["advogado", "advogada", "processo judicial", "tribunal", "ação judicial"],
  zh: ["律师", "律師", "起诉", "起訴", "法院"],
  ja: ["弁護士", "訴訟", "裁判"],
  ko: ["변호사", "소송", "법원"],
} satisfies Record<string, string[]>;

export const COMPLEX_TOPICS = [
  "legal",
  "medical",
  "complaint-compensation",
  "group-booking",
  "unaccompanied-minor",
  "special-assistance",
  "data-privacy",
];

export const SIMPLE_TOPICS = [
  "refund-status",
  "baggage-status",
  "flight-status",
  "rebooking-simple",
  "check-in",
  "seat",
  "payment-link",
];

/**
 * Shipped defaults: anything sensitive or from a customer with a heavy
 * history goes to experienced agents; known elementary questions go to
 * volunteers; everything unrecognised is complex.
 */
export const DEFAULT_CLASSIFICATION_RULE_SET: ClassificationRuleSet = {
  version: 1,
  rules: [
    {
      id: "sensitive-topics",
      name: "Sensitive topics",
      enabled: true,
      complexity: "complex",
      conditions: [{ type: "topicAny", topics: COMPLEX_TOPICS }],
    },
    {
      id: "legal-words",
      name: "Mentions a lawyer or legal action",
      enabled: true,
      complexity: "complex",
      conditions: [{ type: "keywordsAny", keywords: LEGAL_KEYWORDS }],
    },
    {
      id: "platinum-repeat-contact",
      name: "Platinum member with 3 or more recent cases",
      enabled: true,
      complexity: "complex",
      conditions: [
        { type: "loyaltyTierAtLeast", tier: "platinum" },
        { type: "earlierCasesAtLeast", count: 3 },
      ],
    },
    {
      id: "repeat-escalations",
      name: "2 or more recent escalations",
      enabled: true,
      complexity: "complex",
      conditions: [{ type: "earlierEscalationsAtLeast", count: 2 }],
    },
    {
      id: "elementary-topics",
      name: "Elementary questions",
      enabled: true,
      complexity: "simple",
      conditions: [{ type: "topicAny", topics: SIMPLE_TOPICS }],
    },
  ],
  fallbackComplexity: "complex",
};
