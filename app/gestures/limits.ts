// The gestures toolkit: what an agent may give a customer without asking
// anyone, per role. Pure rules here; database access in gestures.server.ts.
import type { GestureType, Role } from "@prisma/client";

export const GESTURE_TYPES = ["miles", "meal_voucher", "money", "fee_waiver"] as const satisfies readonly GestureType[];

export interface GestureLimitFact {
  type: GestureType;
  /** Most of this gesture one case may receive, in the type's unit. */
  perCaseLimit: number;
  /** Most one agent may give of this gesture per UTC day. */
  dailyBudget: number;
}

/** Units: miles, euro cents for money and vouchers, a count for fee waivers. */
export const GESTURE_LABELS: Record<GestureType, { name: string; unit: "miles" | "cents" | "count" }> = {
  miles: { name: "Frequent-flyer miles", unit: "miles" },
  meal_voucher: { name: "Meal or restaurant voucher", unit: "cents" },
  money: { name: "Money (compensation)", unit: "cents" },
  fee_waiver: { name: "Fee waiver", unit: "count" },
};

/**
 * Seeded defaults. Supervisors change them on /permissions. A role without a
 * row for a type may not give that gesture at all (it escalates instead).
 */
export const DEFAULT_GESTURE_LIMITS: Partial<Record<Role, GestureLimitFact[]>> = {
  volunteer: [
    { type: "miles", perCaseLimit: 2_000, dailyBudget: 10_000 },
    { type: "meal_voucher", perCaseLimit: 1_500, dailyBudget: 10_000 },
    { type: "fee_waiver", perCaseLimit: 1, dailyBudget: 5 },
  ],
  agent: [
    { type: "miles", perCaseLimit: 10_000, dailyBudget: 50_000 },
    { type: "meal_voucher", perCaseLimit: 3_000, dailyBudget: 30_000 },
    { type: "money", perCaseLimit: 5_000, dailyBudget: 50_000 },
    { type: "fee_waiver", perCaseLimit: 2, dailyBudget: 20 },
  ],
  admin: [
    { type: "miles", perCaseLimit: 50_000, dailyBudget: 500_000 },
    { type: "meal_voucher", perCaseLimit: 10_000, dailyBudget: 100_000 },
    { type: "money", perCaseLimit: 50_000, dailyBudget: 500_000 },
    { type: "fee_waiver", perCaseLimit: 5, dailyBudget: 100 },
  ],
};

/** Largest number a limit or an amount may be (fits a 32-bit column). */
export const MAX_GESTURE_AMOUNT = 10_000_000;

export function isGestureType(value: unknown): value is GestureType {
  return typeof value === "string" && (GESTURE_TYPES as readonly string[]).includes(value);
}

/** "2,000 miles", "€15.00", "1 fee waiver". */
export function formatGestureAmount(type: GestureType, amount: number): string {
  const unit = GESTURE_LABELS[type].unit;
  if (unit === "cents") return `€${(amount / 100).toFixed(2)}`;
  if (unit === "miles") return `${amount.toLocaleString("en-GB")} miles`;
  return `${amount} fee waiver${amount === 1 ? "" : "s"}`;
}

/** Reads "15", "15.5" or "15,50" euros as cents; other units as whole numbers. */
export function parseGestureAmount(type: GestureType, raw: string): number | null {
  const text = raw.trim().replace(",", ".");
  if (GESTURE_LABELS[type].unit === "cents") {
    if (!/^\d+(\.\d{1,2})?$/.test(text)) return null;
    const cents = Math.round(Number(text) * 100);
    return cents > 0 && cents <= MAX_GESTURE_AMOUNT ? cents : null;
  }
  if (!/^\d+$/.test(text)) return null;
  const value = Number(text);
  return value > 0 && value <= MAX_GESTURE_AMOUNT ? value : null;
}

export type GestureDecision =
  | { ok: true }
  | { ok: false; reason: "no_limit"; message: string }
  | { ok: false; reason: "over_case_limit" | "over_daily_budget"; message: string; limit: number; remaining: number };

/**
 * Whether `amount` more of a gesture fits the role's limit on this case (all
 * gestures of that type already given on the case count) and the agent's
 * budget for today.
 */
export function decideGesture(input: {
  type: GestureType;
  amount: number;
  limit: GestureLimitFact | undefined;
  givenOnCase: number;
  givenTodayByAgent: number;
}): GestureDecision {
  const { type, amount, limit, givenOnCase, givenTodayByAgent } = input;
  if (!limit || limit.perCaseLimit <= 0 || limit.dailyBudget <= 0) {
    return { ok: false, reason: "no_limit", message: `Your role may not give ${GESTURE_LABELS[type].name.toLowerCase()} without approval.` };
  }
  // The case's limit first, then the day's budget: each refuses what does not fit in what is left.
  const caps = [
    {
      reason: "over_case_limit",
      cap: limit.perCaseLimit,
      given: givenOnCase,
      message: (cap: string, left: string) => `Above your limit for this case: ${cap} per case, ${left} left.`,
    },
    {
      reason: "over_daily_budget",
      cap: limit.dailyBudget,
      given: givenTodayByAgent,
      message: (cap: string, left: string) => `Above your daily budget: ${cap} a day, ${left} left today.`,
    },
  ] as const;
  for (const { reason, cap, given, message } of caps) {
    const remaining = Math.max(0, cap - given);
    if (amount > remaining) {
      return { ok: false, reason, limit: cap, remaining, message: message(formatGestureAmount(type, cap), formatGestureAmount(type, remaining)) };
    }
  }
  return { ok: true };
}

/** Start of the UTC day the daily budget counts from. */
export function startOfBudgetDay(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}
