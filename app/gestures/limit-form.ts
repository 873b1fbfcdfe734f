// The supervisor's form for one role's limit on one gesture type.
import { z } from "zod";
import { GESTURE_LABELS, GESTURE_TYPES, parseGestureAmount } from "./limits";

const ROLES = ["volunteer", "agent", "planner", "supervisor", "admin"] as const;

export const gestureLimitSchema = z
  .object({
    role: z.enum(ROLES, { error: "Choose a role." }),
    type: z.enum(GESTURE_TYPES, { error: "Choose a gesture." }),
    perCaseLimit: z.string().trim(),
    dailyBudget: z.string().trim(),
  })
  .transform((value, ctx) => {
    // "0" switches the gesture off for the role.
    const read = (raw: string, path: "perCaseLimit" | "dailyBudget") => {
      if (/^0+([.,]0+)?$/.test(raw)) return 0;
      const parsed = parseGestureAmount(value.type, raw);
      if (parsed === null) {
        const unit = GESTURE_LABELS[value.type].unit === "cents" ? "an amount in euros" : "a whole number";
        ctx.addIssue({ code: "custom", path: [path], message: `Enter ${unit}, or 0 to switch it off.` });
      }
      return parsed ?? 0;
    };
    const perCaseLimit = read(value.perCaseLimit, "perCaseLimit");
    const dailyBudget = read(value.dailyBudget, "dailyBudget");
    if (dailyBudget < perCaseLimit) ctx.addIssue({ code: "custom", path: ["dailyBudget"], message: "The daily budget must be at least the per-case limit." });
    return { role: value.role, type: value.type, perCaseLimit, dailyBudget };
  });

/** A stored limit as the form shows it (euros for money and vouchers). */
export function limitInputValue(type: keyof typeof GESTURE_LABELS, amount: number): string {
  return GESTURE_LABELS[type].unit === "cents" ? (amount / 100).toFixed(2) : String(amount);
}
