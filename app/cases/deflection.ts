// The answering half of the "bot": known simple questions get an approved
// template in the customer's language and the case is closed. Rules are data
// a supervisor edits (JSON, validated here), like the priority rules.
import { z } from "zod";
import { SUPPORTED_LANGUAGES } from "~/reference/channels";
import type { CaseComplexity } from "./case-fields";
import { topicSlugSchema } from "./case-fields";
import { inLanguage } from "./customer-replies";
import {
  exceptPhrasesSchema,
  findKeyword,
  keywordsByLanguageSchema,
  keywordsForLanguage,
  unknownLanguageError,
} from "./keyword-match";
import { ruleIdentityShape, ruleIdSchema, ruleListSchema, ruleSetVersionSchema } from "./rule-schema";
import { reportDuplicateRuleIds, validateWith, type ValidationResult } from "./validation-problems";

/** Placeholders every template may use; the rule set's `values` add more (links). */
export const CASE_PLACEHOLDERS = ["customerName", "bookingReference", "flightNumber"] as const;

const PLACEHOLDER = /\{([A-Za-z][A-Za-z0-9]*)\}/g;

const templateTextSchema = z
  .string()
  .trim()
  .min(1, { error: "A template text cannot be empty" })
  .max(2000, { error: "A template text is at most 2000 characters" });

export const deflectionRuleSchema = z
  .object({
    ...ruleIdentityShape,
    /** Matches when the case has one of these topics ... */
    topics: z.array(topicSlugSchema),
    /** ... or mentions one of these phrases (case language plus English). */
    keywords: keywordsByLanguageSchema.optional(),
    except: exceptPhrasesSchema.optional(),
    /** Only answer when the case asks nothing else: every topic of the case is one of `topics`. */
    onlyWhenNoOtherTopics: z.boolean({ error: "onlyWhenNoOtherTopics must be true or false" }),
    templateId: ruleIdSchema,
    /** Approved text per language; English is required as the fallback. */
    templates: z
      .partialRecord(z.enum(SUPPORTED_LANGUAGES), templateTextSchema, unknownLanguageError)
      .refine((templates) => typeof templates.en === "string", {
        error: "An English template is required; it is sent when the case language has none",
      }),
  })
  .refine((rule) => rule.topics.length > 0 || rule.keywords !== undefined, {
    error: "Give at least one topic or keyword, or the rule would answer every case",
    path: ["topics"],
  });

export const deflectionRuleSetSchema = z
  .object({
    version: ruleSetVersionSchema,
    /** Values for placeholders such as {refundFormUrl}, shared by all templates. */
    values: z.record(
      z.string().regex(/^[A-Za-z][A-Za-z0-9]*$/, { error: "A value name is letters and digits, such as refundFormUrl" }),
      z.string().max(500, { error: "A value is at most 500 characters" }),
    ),
    rules: ruleListSchema(deflectionRuleSchema),
  })
  .superRefine(
    (ruleSet, ctx) => {
      reportDuplicateRuleIds(ruleSet.rules, ctx);
      reportUnknownPlaceholders(ruleSet, ctx);
    },
    { when: () => true },
  );

export type DeflectionRule = z.infer<typeof deflectionRuleSchema>;
export type DeflectionRuleSet = z.infer<typeof deflectionRuleSetSchema>;

// A typo such as {refundFromUrl} would reach customers verbatim; catch it in the editor.
function reportUnknownPlaceholders(ruleSet: { values: unknown; rules: unknown }, ctx: z.RefinementCtx): void {
  const values = typeof ruleSet.values === "object" && ruleSet.values !== null ? Object.keys(ruleSet.values) : [];
  const known = new Set<string>([...CASE_PLACEHOLDERS, ...values]);
  if (!Array.isArray(ruleSet.rules)) return;
  ruleSet.rules.forEach((rule: unknown, index) => {
    const templates = (rule as { templates?: unknown } | null)?.templates;
    if (typeof templates !== "object" || templates === null) return;
    for (const [language, text] of Object.entries(templates)) {
      if (typeof text !== "string") continue;
      for (const [, name] of text.matchAll(PLACEHOLDER))
        if (name && !known.has(name))
          ctx.addIssue({
            code: "custom",
            path: ["rules", index, "templates", language],
            message: `Unknown placeholder {${name}}; use ${[...known].map((key) => `{${key}}`).join(", ")}`,
          });
    }
  });
}

export function parseDeflectionRuleSet(input: unknown): ValidationResult<DeflectionRuleSet> {
  return validateWith(deflectionRuleSetSchema, input);
}

/** The case fields deflection reads. */
export interface DeflectionCaseFields {
  language: string;
  subject: string;
  body: string;
  topics: readonly string[];
  customerName: string;
  bookingReference?: string | null;
  flightNumber?: string | null;
  complexity: CaseComplexity;
  liveConversation: boolean;
}

export interface Deflection {
  ruleId: string;
  templateId: string;
  /** The language the reply is written in (English when the case language has no template). */
  language: string;
  reply: string;
  reason: string;
}

/**
 * The automatic answer for a case, or null when an agent should handle it.
 * Complex cases and live conversations are never answered by the bot.
 */
export function decideDeflection(fields: DeflectionCaseFields, ruleSet: DeflectionRuleSet): Deflection | null {
  if (fields.complexity === "complex" || fields.liveConversation) return null;
  for (const rule of ruleSet.rules) {
    if (!rule.enabled) continue;
    if (rule.onlyWhenNoOtherTopics && !fields.topics.every((topic) => rule.topics.includes(topic))) continue;
    const why = matchReason(rule, fields);
    if (why === null) continue;
    const language = rule.templates[fields.language as keyof typeof rule.templates] ? fields.language : "en";
    const template = inLanguage(rule.templates as { en: string }, language);
    return {
      ruleId: rule.id,
      templateId: rule.templateId,
      language,
      reply: renderTemplate(template, fields, ruleSet.values),
      reason: `${why} (deflection: ${rule.name})`,
    };
  }
  return null;
}

function matchReason(rule: DeflectionRule, fields: DeflectionCaseFields): string | null {
  const topic = fields.topics.find((candidate) => rule.topics.includes(candidate));
  if (topic) return `Topic "${topic}"`;
  if (!rule.keywords) return null;
  const keyword = findKeyword(
    `${fields.subject}\n${fields.body}`,
    keywordsForLanguage(rule.keywords, fields.language),
    keywordsForLanguage(rule.except ?? {}, fields.language),
  );
  return keyword === null ? null : `Mentions "${keyword}"`;
}

function renderTemplate(template: string, fields: DeflectionCaseFields, values: Record<string, string>): string {
  const caseValues: Record<string, string> = {
    customerName: fields.customerName,
    bookingReference: fields.bookingReference ?? "",
    flightNumber: fields.flightNumber ?? "",
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => caseValues[name] ?? values[name] ?? whole);
}

const REFUND_TEMPLATES = {
  en: "Hello {customerName}, thank you for your message. You can request a refund and follow its status with our refund form: {refundFormUrl}. If you still need help, just reply to this message.",
  nl: "Beste {customerName}, bedankt voor uw bericht. U kunt een terugbetaling aanvragen en de status volgen via ons terugbetalingsformulier: {refundFormUrl}. Heeft u daarna nog hulp nodig? Beantwoord dan gewoon dit bericht.",
  fr: "Bonjour {customerName}, merci pour votre message. Vous pouvez demander un remboursement et en suivre l'état grâce à notre formulaire de remboursement : {refundFormUrl}. Si vous avez encore besoin d'aide, répondez simplement à ce message.",
  de: "Hallo {customerName}, vielen Dank für Ihre Nachricht. Über unser Erstattungsformular können Sie eine Erstattung beantragen und den Stand verfolgen: {refundFormUrl}. Wenn Sie weitere Hilfe brauchen, antworten Sie einfach auf diese Nachricht.",
  es: "Hola, {customerName}: gracias por su mensaje. Puede solicitar un reembolso y consultar su estado con nuestro formulario de reembolso: {refundFormUrl}. Si aún necesita ayuda, responda a este mensaje.",
  it: "Gentile {customerName}, grazie per il suo messaggio. Può richiedere un rimborso e seguirne lo stato con il nostro modulo di rimborso: {refundFormUrl}. Se ha ancora bisogno di aiuto, risponda semplicemente a questo messaggio.",
  pt: "Olá, {customerName}. Obrigado pela sua mensagem. Pode pedir um reembolso e acompanhar o seu estado no nosso formulário de reembolso: {refundFormUrl}. Se ainda precisar de ajuda, basta responder a esta mensagem.",
  zh: "{customerName}，您好！感谢您的留言。您可以通过我们的退款表格申请退款并查询进度：{refundFormUrl}。如仍需帮助，请直接回复此消息。",
  ja: "{customerName}様、お問い合わせありがとうございます。払い戻しのお申し込みと状況の確認は、こちらの払い戻しフォームから行えます：{refundFormUrl}。さらにサポートが必要な場合は、このメッセージにご返信ください。",
  ko: "{customerName}님, 문의해 주셔서 감사합니다. 환불 신청 및 진행 상황 확인은 환불 양식에서 하실 수 있습니다: {refundFormUrl}. 추가 도움이 필요하시면 이 메시지에 회신해 주세요.",
};

const BAGGAGE_TEMPLATES = {
  en: "Hello {customerName}, thank you for your message. You can follow the status of your delayed baggage with your file reference here: {baggageTrackingUrl}. If you still need help, just reply to this message.",
  nl: "Beste {customerName}, bedankt voor uw bericht. U kunt de status van uw vertraagde bagage volgen met uw dossiernummer via: {baggageTrackingUrl}. Heeft u daarna nog hulp nodig? Beantwoord dan gewoon dit bericht.",
  fr: "Bonjour {customerName}, merci pour votre message. Vous pouvez suivre l'état de votre bagage retardé avec votre numéro de dossier ici : {baggageTrackingUrl}. Si vous avez encore besoin d'aide, répondez simplement à ce message.",
  de: "Hallo {customerName}, vielen Dank für Ihre Nachricht. Den Status Ihres verspäteten Gepäcks können Sie mit Ihrer Vorgangsnummer hier verfolgen: {baggageTrackingUrl}. Wenn Sie weitere Hilfe brauchen, antworten Sie einfach auf diese Nachricht.",
  es: "Hola, {customerName}: gracias por su mensaje. Puede consultar el estado de su equipaje retrasado con su número de expediente aquí: {baggageTrackingUrl}. Si aún necesita ayuda, responda a este mensaje.",
  it: "Gentile {customerName}, grazie per il suo messaggio. Può seguire lo stato del suo bagaglio in ritardo con il numero di pratica qui: {baggageTrackingUrl}. Se ha ancora bisogno di aiuto, risponda semplicemente a questo messaggio.",
  pt: "Olá, {customerName}. Obrigado pela sua mensagem. Pode acompanhar o estado da sua bagagem atrasada com o número do processo aqui: {baggageTrackingUrl}. Se ainda precisar de ajuda, basta responder a esta mensagem.",
  zh: "{customerName}，您好！感谢您的留言。您可以凭档案编号在此查询延误行李的状态：{baggageTrackingUrl}。如仍需帮助，请直接回复此消息。",
  ja: "{customerName}様、お問い合わせありがとうございます。遅延した手荷物の状況は、受付番号を使ってこちらで確認できます：{baggageTrackingUrl}。さらにサポートが必要な場合は、このメッセージにご返信ください。",
  ko: "{customerName}님, 문의해 주셔서 감사합니다. 지연된 수하물의 상태는 접수 번호로 여기에서 확인하실 수 있습니다: {baggageTrackingUrl}. 추가 도움이 필요하시면 이 메시지에 회신해 주세요.",
};

/**
 * Shipped defaults. The links are placeholders on the reserved .example
 * domain: a supervisor sets the airline's real forms in `values`.
 */
export const DEFAULT_DEFLECTION_RULE_SET: DeflectionRuleSet = {
  version: 1,
  values: {
    refundFormUrl: "https://airline.example/refund",
    baggageTrackingUrl: "https://airline.example/baggage",
  },
  rules: [
    {
      id: "refund-status",
      name: "Refund question: send the refund form",
      enabled: true,
      topics: ["refund-status"],
      keywords: {
        en: ["how do i get my refund", "how can i get a refund", "where is my refund", "refund status", "status of my refund", "request a refund"],
        nl: ["terugbetaling aanvragen", "waar blijft mijn terugbetaling", "status van mijn terugbetaling"],
        fr: ["demander un remboursement", "obtenir un remboursement", "où en est mon remboursement"],
        de: ["Erstattung beantragen", "wo bleibt meine Erstattung", "Stand meiner Erstattung"],
        es: ["solicitar un reembolso", "estado de mi reembolso", "dónde está mi reembolso"],
        it: ["richiedere un rimborso", "stato del mio rimborso", "dov'è il mio rimborso"],
        pt: ["pedir um reembolso", "solicitar reembolso", "estado do meu reembolso"],
        zh: ["如何退款", "申请退款", "申請退款", "退款进度", "退款進度"],
        ja: ["払い戻し方法", "払い戻しの状況", "返金方法"],
        ko: ["환불 신청", "환불신청", "환불 방법", "환불 상태"],
      },
      onlyWhenNoOtherTopics: true,
      templateId: "refund-form-link",
      templates: REFUND_TEMPLATES,
    },
    {
      id: "baggage-status",
      name: "Delayed baggage: send the tracking link",
      enabled: true,
      topics: ["baggage-status"],
      keywords: {
        en: ["where is my bag", "where is my baggage", "where is my luggage", "where is my suitcase"],
        nl: ["waar is mijn bagage", "waar is mijn koffer"],
        fr: ["où est mon bagage", "où est ma valise"],
        de: ["wo ist mein Gepäck", "wo ist mein Koffer"],
        es: ["dónde está mi equipaje", "dónde está mi maleta"],
        it: ["dov'è il mio bagaglio", "dov'è la mia valigia"],
        pt: ["onde está a minha bagagem", "onde está minha bagagem", "onde está a minha mala"],
        zh: ["我的行李在哪"],
        ja: ["荷物はどこ"],
        ko: ["수하물 어디", "짐이 어디"],
      },
      onlyWhenNoOtherTopics: true,
      templateId: "baggage-tracking-link",
      templates: BAGGAGE_TEMPLATES,
    },
  ],
};
