// Turns zod issues into the flat list a 400 response or the rule editor shows:
// every problem with the path of the field it is about.
import type { z } from "zod";

export interface ValidationProblem {
  /** Dotted path such as "cases.3.language" or "rules.0.conditions.1.hours"; "" for the whole payload. */
  path: string;
  message: string;
}

export type ValidationResult<T> = { ok: true; value: T } | { ok: false; problems: ValidationProblem[] };

export function toValidationProblems(error: z.ZodError): ValidationProblem[] {
  return error.issues.map((issue) => ({
    path: issue.path.map((segment) => String(segment)).join("."),
    message: issue.message,
  }));
}

export function validateWith<S extends z.ZodType>(schema: S, input: unknown): ValidationResult<z.output<S>> {
  const result = schema.safeParse(input);
  return result.success ? { ok: true, value: result.data } : { ok: false, problems: toValidationProblems(result.error) };
}

/**
 * Adds an issue for every rule whose id an earlier rule already uses. Reads
 * the input defensively: it runs even when single rules are invalid, so that
 * the editor sees every problem at once.
 */
export function reportDuplicateRuleIds(rules: unknown, ctx: z.RefinementCtx): void {
  if (!Array.isArray(rules)) return;
  const firstIndexOfId = new Map<string, number>();
  rules.forEach((rule: unknown, index) => {
    const id = (rule as { id?: unknown } | null)?.id;
    if (typeof id !== "string") return;
    const first = firstIndexOfId.get(id);
    if (first === undefined) firstIndexOfId.set(id, index);
    else
      ctx.addIssue({
        code: "custom",
        path: ["rules", index, "id"],
        message: `Rule id "${id}" is already used by rule ${first + 1}; ids must be unique`,
      });
  });
}
