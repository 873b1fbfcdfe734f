// What every rule set a supervisor edits shares (priority, classification,
// deflection): how a rule is named and switched on, how many conditions it
// has, the set's version and how many rules it holds.
import { z } from "zod";

const RULE_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const ruleIdSchema = z
  .string()
  .max(60, { error: "A rule id is at most 60 characters" })
  .regex(RULE_ID_PATTERN, { error: 'A rule id is a lowercase slug such as "departs-within-4h"' });

export const ruleNameSchema = z
  .string()
  .trim()
  .min(1, { error: "Give the rule a name" })
  .max(80, { error: "A rule name is at most 80 characters" });

/** The first fields of every rule (spread into its object schema). */
export const ruleIdentityShape = {
  id: ruleIdSchema,
  name: ruleNameSchema,
  enabled: z.boolean({ error: "enabled must be true or false" }),
};

export const ruleSetVersionSchema = z.literal(1, { error: "Unsupported rule set version; expected 1" });

/** A rule's conditions, all of which must hold; `fallback` names what cases no rule catches get. */
export function ruleConditionsSchema<C extends z.ZodType>(condition: C, fallback: string) {
  return z
    .array(condition)
    .min(1, { error: `A rule needs at least one condition; cases no rule catches get ${fallback}` })
    .max(10, { error: "A rule has at most 10 conditions" });
}

export function ruleListSchema<R extends z.ZodType>(rule: R) {
  return z.array(rule).max(50, { error: "A rule set has at most 50 rules" });
}
