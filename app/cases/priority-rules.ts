// The priority model as data: an ordered list of rules a supervisor edits in
// the app (stored as JSON), validated here before it is saved. The first
// enabled rule whose conditions all hold sets the case's tier (lower = more
// urgent); evaluation lives in priority-model.ts.
import { z } from "zod";
import { MEMBER_LOYALTY_TIERS, topicSlugSchema } from "./case-fields";
import { exceptPhrasesSchema, keywordsByLanguageSchema } from "./keyword-match";
import { ruleConditionsSchema, ruleIdentityShape, ruleListSchema, ruleNameSchema, ruleSetVersionSchema } from "./rule-schema";
import { reportDuplicateRuleIds, validateWith, type ValidationResult } from "./validation-problems";

const tierSchema = z
  .number({ error: "The tier must be a number" })
  // refine, not .int(): a failed .int() aborts the rule-set-wide checks below.
  .refine(Number.isInteger, { error: "The tier must be a whole number" })
  .min(1, { error: "The tier must be 1 or more (1 is the most urgent)" })
  .max(99, { error: "The tier must be 99 or less" });

const departsWithinHoursSchema = z.object({
  type: z.literal("departsWithinHours"),
  hours: z
    .number({ error: "Hours must be a number" })
    .gt(0, { error: "Hours must be more than 0" })
    .max(720, { error: "Hours must be 720 (30 days) or less" }),
});

const keywordsAnySchema = z.object({
  type: z.literal("keywordsAny"),
  keywords: keywordsByLanguageSchema,
  /** Phrases that look like a keyword but are not ("Guten Morgen" is not "morgen"). */
  except: exceptPhrasesSchema.optional(),
});

const liveConversationSchema = z.object({ type: z.literal("liveConversation") });

const loyaltyTierAtLeastSchema = z.object({
  type: z.literal("loyaltyTierAtLeast"),
  tier: z.enum(MEMBER_LOYALTY_TIERS, { error: `The loyalty tier must be one of ${MEMBER_LOYALTY_TIERS.join(", ")}` }),
});

const paymentLinkUnpaidSchema = z.object({ type: z.literal("paymentLinkUnpaid") });

const topicAnySchema = z.object({
  type: z.literal("topicAny"),
  topics: z.array(topicSlugSchema).min(1, { error: "List at least one topic" }),
});

const olderThanMinutesSchema = z.object({
  type: z.literal("olderThanMinutes"),
  minutes: z
    .number({ error: "Minutes must be a number" })
    .gt(0, { error: "Minutes must be more than 0" })
    .max(60 * 24 * 30, { error: "Minutes must be 43200 (30 days) or less" }),
});

export const PRIORITY_CONDITION_TYPES = [
  "departsWithinHours",
  "keywordsAny",
  "liveConversation",
  "loyaltyTierAtLeast",
  "paymentLinkUnpaid",
  "topicAny",
  "olderThanMinutes",
] as const;

export const priorityConditionSchema = z.discriminatedUnion(
  "type",
  [
    departsWithinHoursSchema,
    keywordsAnySchema,
    liveConversationSchema,
    loyaltyTierAtLeastSchema,
    paymentLinkUnpaidSchema,
    topicAnySchema,
    olderThanMinutesSchema,
  ],
  { error: `Unknown condition type; use one of ${PRIORITY_CONDITION_TYPES.join(", ")}` },
);

export const priorityRuleSchema = z.object({
  ...ruleIdentityShape,
  tier: tierSchema,
  conditions: ruleConditionsSchema(priorityConditionSchema, "the fallback tier"),
});

export const priorityRuleSetSchema = z
  .object({
    version: ruleSetVersionSchema,
    rules: ruleListSchema(priorityRuleSchema),
    /** Tier of every case no rule catches ("everything else, oldest first"). */
    fallbackTier: tierSchema,
    fallbackName: ruleNameSchema,
  })
  .superRefine(checkRuleSetAsAWhole, { when: () => true });

// Runs even when single rules have problems (the "when" option), so the editor
// sees duplicate ids and a bad fallback at the same time as a bad threshold;
// it therefore reads the possibly invalid input defensively.
function checkRuleSetAsAWhole(
  ruleSet: { rules: unknown; fallbackTier: unknown },
  ctx: z.RefinementCtx,
): void {
  reportDuplicateRuleIds(ruleSet.rules, ctx);
  const rules = Array.isArray(ruleSet.rules) ? (ruleSet.rules as Partial<PriorityRule>[]) : [];
  const enabledTiers = rules
    .filter((rule) => rule?.enabled === true && typeof rule.tier === "number")
    .map((rule) => rule.tier as number);
  const leastUrgent = Math.max(0, ...enabledTiers);
  if (typeof ruleSet.fallbackTier === "number" && ruleSet.fallbackTier < leastUrgent)
    ctx.addIssue({
      code: "custom",
      path: ["fallbackTier"],
      message: `The fallback tier (${ruleSet.fallbackTier}) must not be more urgent than an enabled rule (tier ${leastUrgent})`,
    });
}

export type PriorityCondition = z.infer<typeof priorityConditionSchema>;
export type PriorityRule = z.infer<typeof priorityRuleSchema>;
export type PriorityRuleSet = z.infer<typeof priorityRuleSetSchema>;

/** Validates a rule set edited in the app; every problem comes back with its path. */
export function parsePriorityRuleSet(input: unknown): ValidationResult<PriorityRuleSet> {
  return validateWith(priorityRuleSetSchema, input);
}

/**
 * Urgency words of step 2 of the model. Latin-script words match as whole
 * words, accents optional; add inflections ("urgently") as separate words.
 */
export const URGENCY_KEYWORDS = {
  en: ["urgent", "urgently", "asap", "as soon as possible", "emergency", "today", "tonight", "tomorrow", "now", "right away", "immediately"],
  nl: ["dringend", "spoed", "urgent", "zo snel mogelijk", "zsm", "vandaag", "vanavond", "morgen", "nu", "meteen", "onmiddellijk"],
  fr: ["urgent", "urgente", "urgence", "au plus vite", "dès que possible", "aujourd'hui", "ce soir", "demain", "maintenant", "immédiatement", "tout de suite"],
  de: ["dringend", "eilig", "Notfall", "so schnell wie möglich", "heute", "heute Abend", "morgen", "jetzt", "sofort"],
  es: ["urgente", "urgencia", "lo antes posible", "cuanto antes", "hoy", "esta noche", "mañana", "ahora", "ya mismo", "inmediatamente"],
  it: ["urgente", "urgenza", "il prima possibile", "al più presto", "oggi", "stasera", "domani", "adesso", "subito", "immediatamente"],
  pt: ["urgente", "urgência", "o mais rápido possível", "o quanto antes", "hoje", "esta noite", "amanhã", "agora", "imediatamente"],
  // Simplified and traditional forms where they differ.
  zh: ["紧急", "緊急", "急事", "尽快", "盡快", "马上", "馬上", "立即", "今天", "今晚", "明天", "现在", "現在"],
  ja: ["至急", "緊急", "急ぎ", "できるだけ早く", "今すぐ", "今日", "本日", "今夜", "明日"],
  ko: ["긴급", "급해", "급합니다", "최대한 빨리", "빨리", "당장", "지금", "오늘", "내일"],
} satisfies Record<string, string[]>;

/** Greetings and phrases that contain an urgency word but mean "morning". */
export const URGENCY_EXCEPT_PHRASES = {
  de: ["guten Morgen", "Morgen früh"],
  es: ["por la mañana", "de la mañana", "esta mañana"],
} satisfies Record<string, string[]>;

/** Topics that make a case a sales opportunity (step 5 of the model). */
export const SALES_OPPORTUNITY_TOPICS = ["rebooking", "upgrade"];

/**
 * The shipped model (BRIEF, "The priority model"). Step 4, loyalty "higher
 * tiers first", takes three tiers of its own (platinum 4, gold 5, silver 6),
 * so medium urgency is tier 7 and everything else tier 8.
 */
export const DEFAULT_PRIORITY_RULE_SET: PriorityRuleSet = {
  version: 1,
  rules: [
    {
      id: "departs-within-4h",
      name: "Departs within 4 hours",
      enabled: true,
      tier: 1,
      conditions: [{ type: "departsWithinHours", hours: 4 }],
    },
    {
      id: "urgent-departs-within-12h",
      name: "Urgency words, departs within 12 hours",
      enabled: true,
      tier: 2,
      conditions: [
        { type: "keywordsAny", keywords: URGENCY_KEYWORDS, except: URGENCY_EXCEPT_PHRASES },
        { type: "departsWithinHours", hours: 12 },
      ],
    },
    {
      id: "live-conversation",
      name: "Live conversation with an agent",
      enabled: true,
      tier: 3,
      conditions: [{ type: "liveConversation" }],
    },
    {
      id: "loyalty-platinum",
      name: "Loyalty: Platinum",
      enabled: true,
      tier: 4,
      conditions: [{ type: "loyaltyTierAtLeast", tier: "platinum" }],
    },
    {
      id: "loyalty-gold",
      name: "Loyalty: Gold",
      enabled: true,
      tier: 5,
      conditions: [{ type: "loyaltyTierAtLeast", tier: "gold" }],
    },
    {
      id: "loyalty-silver",
      name: "Loyalty: Silver",
      enabled: true,
      tier: 6,
      conditions: [{ type: "loyaltyTierAtLeast", tier: "silver" }],
    },
    {
      id: "payment-link-unpaid",
      name: "Medium urgency: payment link not paid",
      enabled: true,
      tier: 7,
      conditions: [{ type: "paymentLinkUnpaid" }],
    },
    {
      id: "sales-opportunity",
      name: "Medium urgency: sales opportunity",
      enabled: true,
      tier: 7,
      conditions: [{ type: "topicAny", topics: SALES_OPPORTUNITY_TOPICS }],
    },
  ],
  fallbackTier: 8,
  fallbackName: "Everything else, oldest first",
};
