// What the supervisor's rule editor does: small edits (reorder, enable,
// remove, change a threshold or keywords, add a rule) turned into a whole new
// rule set, previews over the open cases, and saving with its consequences
// (a priority change re-ranks the open queue; a classification change
// re-classifies open cases nobody reclassified by hand).
import type { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import { classifyCase, type ClassificationRuleSet } from "./classification";
import { decideDeflection, type DeflectionRuleSet } from "./deflection";
import type { KeywordsByLanguage } from "./keyword-match";
import { rulePreview, type PriorityCaseFields, type RulePreview } from "./priority-model";
import { PRIORITY_INPUT_FIELDS, rerankOpenCases } from "./priority.server";
import type { PriorityRuleSet } from "./priority-rules";
import { saveRuleSet, type RuleSetKind, type RuleSetsByKind } from "./rule-sets.server";
import type { ValidationResult } from "./validation-problems";

/** Previews read at most this many open cases (most urgent first). */
export const PREVIEW_CASE_LIMIT = 50_000;

type AnyRuleSet = { rules: { id: string; enabled: boolean }[] };

export type RuleEdit =
  | { op: "move"; ruleId: string; direction: "up" | "down" }
  | { op: "toggle"; ruleId: string }
  | { op: "remove"; ruleId: string };

/** Applies a structural edit to any rule set; unknown rule ids leave it unchanged. */
export function applyRuleEdit<T extends AnyRuleSet>(ruleSet: T, edit: RuleEdit): T {
  const rules = [...ruleSet.rules];
  const index = rules.findIndex((rule) => rule.id === edit.ruleId);
  if (index < 0) return ruleSet;
  if (edit.op === "remove") rules.splice(index, 1);
  if (edit.op === "toggle") rules[index] = { ...rules[index]!, enabled: !rules[index]!.enabled };
  if (edit.op === "move") {
    const to = edit.direction === "up" ? index - 1 : index + 1;
    if (to < 0 || to >= rules.length) return ruleSet;
    [rules[index], rules[to]] = [rules[to]!, rules[index]!];
  }
  return { ...ruleSet, rules };
}

/** "en: urgent, tomorrow" lines -> { en: ["urgent", "tomorrow"] }. */
export function parseKeywordLines(text: string): KeywordsByLanguage {
  const result: Record<string, string[]> = {};
  for (const line of text.split(/\r?\n/)) {
    const colon = line.indexOf(":");
    if (colon < 0) continue;
    const language = line.slice(0, colon).trim().toLowerCase();
    const words = line
      .slice(colon + 1)
      .split(",")
      .map((word) => word.trim())
      .filter(Boolean);
    if (language && words.length) result[language] = [...(result[language] ?? []), ...words];
  }
  return result as KeywordsByLanguage;
}


/**
 * Changes one priority rule from the editor's fields (name, tier, and per
 * condition: hours, minutes, keywords, topics, loyalty tier). Values are
 * passed through as typed so that validation reports them.
 */
export function updatePriorityRule(ruleSet: PriorityRuleSet, ruleId: string, fields: Record<string, unknown>): unknown {
  const num = (value: unknown) => (typeof value === "string" && value.trim() !== "" && !Number.isNaN(Number(value)) ? Number(value) : value);
  return {
    ...ruleSet,
    rules: ruleSet.rules.map((rule) => {
      if (rule.id !== ruleId) return rule;
      return {
        ...rule,
        name: typeof fields.name === "string" ? fields.name : rule.name,
        tier: fields.tier === undefined ? rule.tier : num(fields.tier),
        conditions: rule.conditions.map((condition, index) => {
          const value = fields[`condition.${index}`];
          if (value === undefined) return condition;
          switch (condition.type) {
            case "departsWithinHours":
              return { ...condition, hours: num(value) };
            case "olderThanMinutes":
              return { ...condition, minutes: num(value) };
            case "keywordsAny":
              return { ...condition, keywords: parseKeywordLines(String(value)) };
            case "topicAny":
              return { ...condition, topics: String(value).split(",").map((t) => t.trim()).filter(Boolean) };
            case "loyaltyTierAtLeast":
              return { ...condition, tier: value };
            default:
              return condition;
          }
        }),
      };
    }),
  };
}

/** A new priority rule with one condition, appended (reorder it afterwards). */
export function addPriorityRule(ruleSet: PriorityRuleSet, fields: Record<string, unknown>): unknown {
  const type = String(fields.conditionType ?? "");
  const value = fields.conditionValue;
  const num = (v: unknown) => (typeof v === "string" && v.trim() !== "" && !Number.isNaN(Number(v)) ? Number(v) : v);
  const condition =
    type === "departsWithinHours"
      ? { type, hours: num(value) }
      : type === "olderThanMinutes"
        ? { type, minutes: num(value) }
        : type === "keywordsAny"
          ? { type, keywords: parseKeywordLines(String(value ?? "")) }
          : type === "topicAny"
            ? { type, topics: String(value ?? "").split(",").map((t) => t.trim()).filter(Boolean) }
            : type === "loyaltyTierAtLeast"
              ? { type, tier: value }
              : { type };
  const tier = num(fields.tier);
  return {
    ...ruleSet,
    rules: [...ruleSet.rules, { id: String(fields.id ?? "").trim(), name: String(fields.name ?? ""), enabled: true, tier, conditions: [condition] }],
  };
}

async function openCasesForPreview() {
  return db.case.findMany({
    where: { status: "open" },
    select: {
      ...PRIORITY_INPUT_FIELDS,
      channelId: true,
      customerName: true,
      bookingReference: true,
      complexity: true,
    },
    orderBy: [{ priorityTier: "asc" }, { receivedAt: "asc" }],
    take: PREVIEW_CASE_LIMIT,
  });
}

export interface GenericPreview {
  rules: { ruleId: string; name: string; enabled: boolean; count: number; detail?: string }[];
  fallback: { name: string; count: number } | null;
  total: number;
  truncated: boolean;
}

/** How many open cases each rule would catch (first matching rule wins). */
export async function previewRuleSet<K extends RuleSetKind>(kind: K, ruleSet: RuleSetsByKind[K], now: Date = new Date()): Promise<GenericPreview> {
  const cases = await openCasesForPreview();
  const truncated = cases.length >= PREVIEW_CASE_LIMIT;
  if (kind === "priority") {
    const preview: RulePreview = rulePreview(cases as PriorityCaseFields[], ruleSet as PriorityRuleSet, now);
    return {
      rules: preview.rules.map((r) => ({ ruleId: r.ruleId, name: r.name, enabled: r.enabled, count: r.count, detail: `tier ${r.tier}` })),
      fallback: { name: `${preview.fallback.name} (tier ${preview.fallback.tier})`, count: preview.fallback.count },
      total: preview.total,
      truncated,
    };
  }
  const counts = new Map<string, number>();
  let fallback = 0;
  if (kind === "classification") {
    const set = ruleSet as ClassificationRuleSet;
    // History counts are left out of the preview (they need a query per customer).
    for (const c of cases) {
      const result = classifyCase(c, { earlierCases: 0, earlierEscalations: 0 }, set);
      if (result.ruleId) counts.set(result.ruleId, (counts.get(result.ruleId) ?? 0) + 1);
      else fallback += 1;
    }
    return {
      rules: set.rules.map((r) => ({ ruleId: r.id, name: r.name, enabled: r.enabled, count: counts.get(r.id) ?? 0, detail: r.complexity })),
      fallback: { name: `No rule: ${set.fallbackComplexity}`, count: fallback },
      total: cases.length,
      truncated,
    };
  }
  const set = ruleSet as DeflectionRuleSet;
  for (const c of cases) {
    const result = decideDeflection(c, set);
    if (result) counts.set(result.ruleId, (counts.get(result.ruleId) ?? 0) + 1);
  }
  return {
    rules: set.rules.map((r) => ({ ruleId: r.id, name: r.name, enabled: r.enabled, count: counts.get(r.id) ?? 0, detail: r.templateId })),
    fallback: null,
    total: cases.length,
    truncated,
  };
}

/** Re-classifies open cases by the new rules, except those an agent reclassified by hand. */
export async function reclassifyOpenCases(ruleSet: ClassificationRuleSet): Promise<number> {
  let changed = 0;
  let cursor: string | undefined;
  for (;;) {
    const rows = await db.case.findMany({
      where: { status: "open", NOT: { complexityRuleId: "manual" }, ...(cursor ? { id: { gt: cursor } } : {}) },
      select: { id: true, channelId: true, language: true, subject: true, body: true, loyaltyTier: true, topics: true, complexity: true, complexityRuleId: true },
      orderBy: { id: "asc" },
      take: 5000,
    });
    if (rows.length === 0) break;
    cursor = rows[rows.length - 1]!.id;
    const updates = rows
      .map((row) => ({ row, result: classifyCase(row, { earlierCases: 0, earlierEscalations: 0 }, ruleSet) }))
      .filter(({ row, result }) => row.complexity !== result.complexity || row.complexityRuleId !== result.ruleId);
    if (updates.length)
      changed += await db.$executeRaw`
        UPDATE "Case" AS c SET complexity = v.complexity::"CaseComplexity", "complexityRuleId" = v.rule, "complexityReason" = v.reason
        FROM unnest(${updates.map((u) => u.row.id)}::text[], ${updates.map((u) => u.result.complexity)}::text[],
                    ${updates.map((u) => u.result.ruleId)}::text[], ${updates.map((u) => u.result.reason)}::text[]) AS v(id, complexity, rule, reason)
        WHERE c.id = v.id AND c.status = 'open'`;
    if (rows.length < 5000) break;
  }
  return changed;
}

export interface SaveOutcome {
  version: number;
  reranked?: { scanned: number; changed: number; ms: number };
  reclassified?: number;
}

export async function saveRulesAndApply<K extends RuleSetKind>(
  kind: K,
  input: unknown,
  actorId: string,
  expectedVersion?: number,
): Promise<ValidationResult<SaveOutcome>> {
  const saved = await saveRuleSet(kind, input as Prisma.InputJsonValue, actorId, { expectedVersion });
  if (!saved.ok) return saved;
  const outcome: SaveOutcome = { version: saved.value.version };
  if (kind === "priority") {
    const start = performance.now();
    const result = await rerankOpenCases(new Date(), { ruleSet: saved.value.ruleSet as PriorityRuleSet });
    outcome.reranked = { ...result, ms: Math.round(performance.now() - start) };
  }
  if (kind === "classification") outcome.reclassified = await reclassifyOpenCases(saved.value.ruleSet as ClassificationRuleSet);
  return { ok: true, value: outcome };
}
