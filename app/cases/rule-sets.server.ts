// Storage of the supervisor-editable rule sets (priority, classification,
// deflection) in the RuleSet table: the shipped defaults until a supervisor
// saves a change, a version bumped on every save, and an audit row.
import { findTextProblem } from "~/forms/text-rule";
import type { Prisma } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";
import { DEFAULT_CLASSIFICATION_RULE_SET, parseClassificationRuleSet, type ClassificationRuleSet } from "./classification";
import { DEFAULT_DEFLECTION_RULE_SET, parseDeflectionRuleSet, type DeflectionRuleSet } from "./deflection";
import { DEFAULT_PRIORITY_RULE_SET, parsePriorityRuleSet, type PriorityRuleSet } from "./priority-rules";
import type { ValidationResult } from "./validation-problems";

export const RULE_SET_KINDS = ["priority", "classification", "deflection"] as const;
export type RuleSetKind = (typeof RULE_SET_KINDS)[number];

export interface RuleSetsByKind {
  priority: PriorityRuleSet;
  classification: ClassificationRuleSet;
  deflection: DeflectionRuleSet;
}

export const RULE_SET_LABELS: Record<RuleSetKind, string> = {
  priority: "Priority",
  classification: "Simple or complex",
  deflection: "Deflection (bot answers)",
};

const DEFAULTS: RuleSetsByKind = {
  priority: DEFAULT_PRIORITY_RULE_SET,
  classification: DEFAULT_CLASSIFICATION_RULE_SET,
  deflection: DEFAULT_DEFLECTION_RULE_SET,
};

export function isRuleSetKind(value: unknown): value is RuleSetKind {
  return typeof value === "string" && (RULE_SET_KINDS as readonly string[]).includes(value);
}

export function parseRuleSet<K extends RuleSetKind>(kind: K, input: unknown): ValidationResult<RuleSetsByKind[K]> {
  const parsers = {
    priority: parsePriorityRuleSet,
    classification: parseClassificationRuleSet,
    deflection: parseDeflectionRuleSet,
  };
  // Strings anywhere in the JSON (names, templates, keywords) go through the one text rule.
  const unsafe = findTextProblem(input);
  if (unsafe) return { ok: false, problems: [unsafe] };
  return parsers[kind](input) as ValidationResult<RuleSetsByKind[K]>;
}

export interface StoredRuleSet<K extends RuleSetKind> {
  kind: K;
  ruleSet: RuleSetsByKind[K];
  /** 0 while the shipped default is in use. */
  version: number;
  isDefault: boolean;
  updatedAt: Date | null;
}

type Client = Prisma.TransactionClient | typeof db;

// Per process, keyed by version so that every instance sees a save at once
// (it reads the version, which is one indexed row).
const cache = new Map<RuleSetKind, { version: number; ruleSet: unknown }>();

export async function loadRuleSet<K extends RuleSetKind>(kind: K, client: Client = db): Promise<StoredRuleSet<K>> {
  const row = await client.ruleSet.findUnique({ where: { kind } });
  if (!row) return { kind, ruleSet: DEFAULTS[kind], version: 0, isDefault: true, updatedAt: null };
  const cached = cache.get(kind);
  if (cached && cached.version === row.version)
    return { kind, ruleSet: cached.ruleSet as RuleSetsByKind[K], version: row.version, isDefault: false, updatedAt: row.updatedAt };
  const parsed = parseRuleSet(kind, row.rules);
  // A stored set that no longer validates (a code change) falls back to the default rather than breaking intake.
  const ruleSet = parsed.ok ? parsed.value : DEFAULTS[kind];
  cache.set(kind, { version: row.version, ruleSet });
  return { kind, ruleSet, version: row.version, isDefault: false, updatedAt: row.updatedAt };
}

export async function loadAllRuleSets(client: Client = db): Promise<RuleSetsByKind> {
  const [priority, classification, deflection] = await Promise.all([
    loadRuleSet("priority", client),
    loadRuleSet("classification", client),
    loadRuleSet("deflection", client),
  ]);
  return { priority: priority.ruleSet, classification: classification.ruleSet, deflection: deflection.ruleSet };
}

export class RuleSetConflictError extends Error {}

/**
 * Validates and stores a rule set, bumping its version. `expectedVersion`
 * guards against two supervisors overwriting each other's edits.
 */
export async function saveRuleSet<K extends RuleSetKind>(
  kind: K,
  input: unknown,
  actorId: string | null,
  options: { expectedVersion?: number } = {},
): Promise<ValidationResult<{ version: number; ruleSet: RuleSetsByKind[K] }>> {
  const parsed = parseRuleSet(kind, input);
  if (!parsed.ok) return parsed;
  const ruleSet = parsed.value;
  const version = await db.$transaction(async (tx) => {
    const current = await tx.ruleSet.findUnique({ where: { kind } });
    const currentVersion = current?.version ?? 0;
    if (options.expectedVersion !== undefined && options.expectedVersion !== currentVersion)
      throw new RuleSetConflictError(
        `Someone else saved these rules (version ${currentVersion}) after you opened them (version ${options.expectedVersion}). Reload and apply your change again.`,
      );
    const saved = current
      ? await tx.ruleSet.update({
          where: { kind, version: currentVersion },
          data: { rules: ruleSet as unknown as Prisma.InputJsonValue, version: { increment: 1 }, updatedById: actorId },
        })
      : await tx.ruleSet.create({
          data: { kind, rules: ruleSet as unknown as Prisma.InputJsonValue, version: 1, updatedById: actorId },
        });
    await writeAudit(
      { actorId, action: "rules.updated", subjectType: "RuleSet", subjectId: kind, data: { version: saved.version } },
      tx,
    );
    return saved.version;
  });
  cache.set(kind, { version, ruleSet });
  return { ok: true, value: { version, ruleSet } };
}
