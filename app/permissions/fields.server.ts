// Field-level rules: a loader returns only the columns the ability lets this
// user read (CASL `fields` + permittedFieldsOf), so hidden data never leaves
// the server, not even in the page's JSON.
import { permittedFieldsOf } from "@casl/ability/extra";
import { Prisma } from "@prisma/client";
import type { ClassificationRuleSet } from "~/cases/classification";
import { ANY_CASE_FIELD, derivedCaseFieldSources } from "~/cases/derived-case-fields";
import type { PriorityRuleSet } from "~/cases/priority-rules";
import type { AppAbility } from "./ability";
import { asSubject } from "./guard.server";
import type { HiddenCaseField } from "./hidden-fields";

const CASE_FIELDS = Object.values(Prisma.CaseScalarFieldEnum) as string[];

/** Case columns this user may read on this row. */
export function readableCaseFields(ability: AppAbility, row: Record<string, unknown>): string[] {
  return permittedFieldsOf(ability, "read", asSubject("Case", row), { fieldsFrom: (rule) => rule.fields ?? CASE_FIELDS });
}

type MaybeHidden = HiddenCaseField | "priorityReason" | "priorityRuleId" | "complexityReason" | "complexityRuleId";
export type RedactedCase<T> = Omit<T, MaybeHidden> & Partial<Pick<T, Extract<keyof T, MaybeHidden>>>;

/**
 * The case without the scalar columns the user may not read. Relations
 * (channel, assignee, events) are kept: the loader chooses those itself.
 * A column derived from others (a rule's reason and id, see
 * derived-case-fields.ts) is readable only with every column it came from,
 * so a hidden column does not leak through text about it.
 */
export function redactCase<T extends Record<string, unknown>>(
  ability: AppAbility,
  row: T,
  rules: { priority: PriorityRuleSet; classification: ClassificationRuleSet },
): RedactedCase<T> {
  const allowed = new Set(readableCaseFields(ability, row));
  for (const [field, sources] of Object.entries(derivedCaseFieldSources(row, rules))) {
    const known = sources.includes(ANY_CASE_FIELD) ? CASE_FIELDS : sources;
    if (!known.every((source) => allowed.has(source))) allowed.delete(field);
  }
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!CASE_FIELDS.includes(key) || allowed.has(key)) copy[key] = value;
  }
  return copy as RedactedCase<T>;
}
