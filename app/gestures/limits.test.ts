import { describe, expect, it } from "vitest";
import { gestureLimitSchema, limitInputValue } from "./limit-form";
import { decideGesture, formatGestureAmount, parseGestureAmount, startOfBudgetDay } from "./limits";

const limit = { type: "meal_voucher" as const, perCaseLimit: 1500, dailyBudget: 4000 };

describe("decideGesture", () => {
  it.each([
    // amount, already on the case, already today, outcome
    [1500, 0, 0, "ok"],
    [1000, 500, 0, "ok"],
    [1001, 500, 0, "over_case_limit"],
    [1501, 0, 0, "over_case_limit"],
    [1000, 0, 3000, "ok"],
    [1001, 0, 3000, "over_daily_budget"],
    [1, 0, 4000, "over_daily_budget"],
  ] as const)("%i with %i on the case and %i today: %s", (amount, givenOnCase, givenTodayByAgent, outcome) => {
    const decision = decideGesture({ type: "meal_voucher", amount, limit, givenOnCase, givenTodayByAgent });
    expect(decision.ok ? "ok" : decision.reason).toBe(outcome);
  });

  it("tells how much is left", () => {
    const decision = decideGesture({ type: "meal_voucher", amount: 1200, limit, givenOnCase: 500, givenTodayByAgent: 0 });
    expect(decision).toMatchObject({ ok: false, remaining: 1000, limit: 1500 });
    expect(!decision.ok && decision.message).toBe("Above your limit for this case: €15.00 per case, €10.00 left.");
  });

  it("refuses a type the role has no limit for, or a switched-off one", () => {
    expect(decideGesture({ type: "money", amount: 1, limit: undefined, givenOnCase: 0, givenTodayByAgent: 0 })).toMatchObject({ ok: false, reason: "no_limit" });
    expect(decideGesture({ type: "money", amount: 1, limit: { type: "money", perCaseLimit: 0, dailyBudget: 0 }, givenOnCase: 0, givenTodayByAgent: 0 })).toMatchObject({
      reason: "no_limit",
    });
  });
});

describe("amounts", () => {
  it("reads euros as cents and other units as whole numbers", () => {
    expect(parseGestureAmount("money", "15")).toBe(1500);
    expect(parseGestureAmount("money", "15,5")).toBe(1550);
    expect(parseGestureAmount("meal_voucher", "0.99")).toBe(99);
    expect(parseGestureAmount("money", "1.999")).toBeNull();
    expect(parseGestureAmount("miles", "2000")).toBe(2000);
    expect(parseGestureAmount("miles", "20.5")).toBeNull();
    expect(parseGestureAmount("fee_waiver", "0")).toBeNull();
    expect(parseGestureAmount("fee_waiver", "-1")).toBeNull();
    expect(parseGestureAmount("miles", "99999999999")).toBeNull();
  });

  it("formats per unit", () => {
    expect(formatGestureAmount("money", 1550)).toBe("€15.50");
    expect(formatGestureAmount("miles", 2000)).toBe("2,000 miles");
    expect(formatGestureAmount("fee_waiver", 1)).toBe("1 fee waiver");
    expect(formatGestureAmount("fee_waiver", 2)).toBe("2 fee waivers");
  });

  it("counts the daily budget from midnight UTC", () => {
    expect(startOfBudgetDay(new Date("2024-03-15T23:59:00+01:00")).toISOString()).toBe("2024-03-15T00:00:00.000Z");
  });
});

describe("the limit form", () => {
  it("takes euros for money and 0 to switch a gesture off", () => {
    expect(gestureLimitSchema.parse({ role: "agent", type: "money", perCaseLimit: "50", dailyBudget: "500.00" })).toEqual({
      role: "agent",
      type: "money",
      perCaseLimit: 5000,
      dailyBudget: 50000,
    });
    expect(gestureLimitSchema.parse({ role: "volunteer", type: "money", perCaseLimit: "0", dailyBudget: "0" })).toMatchObject({ perCaseLimit: 0, dailyBudget: 0 });
    expect(limitInputValue("money", 5000)).toBe("50.00");
    expect(limitInputValue("miles", 5000)).toBe("5000");
  });

  it("rejects a budget below the per-case limit and bad numbers", () => {
    const result = gestureLimitSchema.safeParse({ role: "agent", type: "miles", perCaseLimit: "5000", dailyBudget: "100" });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["dailyBudget"]);
    expect(gestureLimitSchema.safeParse({ role: "agent", type: "miles", perCaseLimit: "lots", dailyBudget: "100" }).success).toBe(false);
    expect(gestureLimitSchema.safeParse({ role: "boss", type: "miles", perCaseLimit: "1", dailyBudget: "1" }).success).toBe(false);
  });
});
