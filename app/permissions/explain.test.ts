import { describe, expect, it } from "vitest";
import { defineAbilityFor } from "./ability";
import { capabilities, conditionsText, describeRules, whyNothing } from "./explain";

const volunteer = { id: "v1", role: "volunteer" as const, status: "active" as const, volunteerStatus: "active" as const, skills: ["channel:whatsapp", "language:nl"] };

describe("conditionsText", () => {
  it("reads Prisma conditions as words and names the person instead of their id", () => {
    expect(conditionsText({ assigneeId: "v1", channelId: { in: ["whatsapp", "line"] } }, "v1")).toBe(
      "assigned to them and channel is one of whatsapp, line",
    );
    expect(conditionsText({ role: { in: ["volunteer", "agent"] } }, "x")).toBe("role is one of volunteer, agent");
    expect(conditionsText({ OR: [{ a: 1 }, { b: null }] }, "x")).toBe("(a is 1 or b is nobody)");
  });

  it("shows gesture amounts in the gesture's unit, money in euros", () => {
    expect(conditionsText({ type: "money", amount: { lte: 2500 } }, "x")).toBe("gesture type is money and amount is at most €25.00");
    expect(conditionsText({ type: "miles", amount: { lte: 2000 } }, "x")).toBe("gesture type is miles and amount is at most 2,000 miles");
  });
});

describe("describeRules", () => {
  it("lists every rule with its effect, conditions, fields and reason", () => {
    const rows = describeRules(defineAbilityFor(volunteer), "v1");
    expect(rows).toContainEqual({
      effect: "allow",
      actions: ["read"],
      subjects: ["Case"],
      conditions: "assigned to them",
      fields: null,
      reason: null,
    });
    expect(rows).toContainEqual(
      expect.objectContaining({ actions: ["reply"], conditions: "assigned to them and channel is one of whatsapp and language is one of nl" }),
    );
    const deny = rows.find((r) => r.effect === "deny")!;
    expect(deny.fields).toEqual(["customer account id", "earlier-contact key", "payment state"]);
    expect(deny.reason).toMatch(/not shown to volunteers/);
  });
});

describe("capabilities", () => {
  it("says which actions apply always and which only under conditions", () => {
    const rows = capabilities(defineAbilityFor(volunteer), volunteer);
    const onCase = rows.find((r) => r.subject === "Case")!.actions;
    expect(onCase.find((a) => a.action === "read")).toEqual({
      action: "read",
      scope: "when",
      because: "they escalated it; or put on hold by them and status is on_hold; or assigned to them",
    });
    expect(onCase.find((a) => a.action === "take")?.scope).toBe("when");
    expect(onCase.find((a) => a.action === "assign")).toBeUndefined();
    expect(rows.find((r) => r.subject === "Gesture")!.actions[0]!.because).toMatch(/volunteer limit for frequent-flyer miles: 2,000 miles per case/);
    expect(rows.find((r) => r.subject === "AuditLog")!.actions).toEqual([]);
  });

  it("gives an admin everything, always", () => {
    const rows = capabilities(defineAbilityFor({ id: "a", role: "admin", status: "active" }), { id: "a", role: "admin" });
    expect(rows.every((r) => r.actions.length > 0 && r.actions.every((a) => a.scope === "always"))).toBe(true);
  });
});

describe("whyNothing", () => {
  it("explains an empty ability", () => {
    expect(whyNothing({ ...volunteer, volunteerStatus: "paused" })).toMatch(/paused/);
    expect(whyNothing({ ...volunteer, volunteerStatus: "released" })).toMatch(/released/);
    expect(whyNothing({ ...volunteer, status: "disabled" })).toMatch(/disabled/);
    expect(whyNothing(volunteer)).toBeNull();
  });
});
