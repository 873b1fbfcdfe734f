// Field-level rules: a loader returns only the columns the ability lets this
// user read (CASL `fields` + permittedFieldsOf), so hidden data never leaves
// the server, not even in the page's JSON.
import { permittedFieldsOf } from "@casl/ability/extra";
import { Prisma } from "@prisma/client";
import type { AppAbility } from "./ability";
import { asSubject } from "./guard.server";
import type { HiddenCaseField } from "./hidden-fields";

const CASE_FIELDS = Object.values(Prisma.CaseScalarFieldEnum) as string[];

/** Case columns this user may read on this row. */
export function readableCaseFields(ability: AppAbility, row: Record<string, unknown>): string[] {
  return permittedFieldsOf(ability, "read", asSubject("Case", row), { fieldsFrom: (rule) => rule.fields ?? CASE_FIELDS });
}

export type RedactedCase<T> = Omit<T, HiddenCaseField> & Partial<Pick<T, Extract<keyof T, HiddenCaseField>>>;

/**
 * The case without the scalar columns the user may not read. Relations
 * (channel, assignee, events) are kept: the loader chooses those itself.
 */
export function redactCase<T extends Record<string, unknown>>(ability: AppAbility, row: T): RedactedCase<T> {
  const allowed = new Set(readableCaseFields(ability, row));
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(row)) {
    if (!CASE_FIELDS.includes(key) || allowed.has(key)) copy[key] = value;
  }
  return copy as RedactedCase<T>;
}
