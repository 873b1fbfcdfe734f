import { describe, expect, it } from "vitest";
import { caseWorkForm, replyForm, serviceTargetsForm } from "./console-forms";
import { identityCheckBlocksReply } from "./identity-check";
import { shortcutFor } from "./shortcuts";

describe("console forms", () => {
  it("needs a template or text for a reply", () => {
    expect(replyForm.safeParse({ templateId: "", text: "  " }).success).toBe(false);
    expect(replyForm.safeParse({ templateId: "t1" }).success).toBe(true);
    expect(replyForm.safeParse({ text: "Hello" }).success).toBe(true);
  });

  it("resolves with one to five contact reasons, given once or repeated", () => {
    expect(caseWorkForm.parse({ intent: "resolve", reasons: "refund" })).toEqual({ intent: "resolve", reasons: ["refund"] });
    expect(caseWorkForm.parse({ intent: "resolve", reasons: ["refund", "voucher"] })).toMatchObject({ reasons: ["refund", "voucher"] });
    expect(caseWorkForm.safeParse({ intent: "resolve" }).success).toBe(false);
    expect(caseWorkForm.safeParse({ intent: "resolve", reasons: ["a", "b", "c", "d", "e", "f"] }).success).toBe(false);
    expect(caseWorkForm.safeParse({ intent: "identity" }).success).toBe(false);
    expect(caseWorkForm.safeParse({ intent: "delete" }).success).toBe(false);
  });

  it("takes eight whole-minute targets per kind", () => {
    const eight = (value: string) => Array.from({ length: 8 }, () => value);
    expect(serviceTargetsForm.safeParse({ intent: "targets", firstResponse: eight("15"), resolution: eight("240") }).success).toBe(true);
    expect(serviceTargetsForm.safeParse({ intent: "targets", firstResponse: eight("0"), resolution: eight("240") }).success).toBe(false);
    expect(serviceTargetsForm.safeParse({ intent: "targets", firstResponse: eight("1.5"), resolution: eight("240") }).success).toBe(false);
  });
});

describe("identity check", () => {
  it("blocks only a disclosing reply on a channel that does not authenticate, before the check", () => {
    const unchecked = { channelAuthenticatesCustomer: false, identityCheckedAt: null };
    expect(identityCheckBlocksReply(unchecked, true)).toBe(true);
    expect(identityCheckBlocksReply(unchecked, false)).toBe(false);
    expect(identityCheckBlocksReply({ ...unchecked, identityCheckedAt: new Date() }, true)).toBe(false);
    expect(identityCheckBlocksReply({ ...unchecked, channelAuthenticatesCustomer: true }, true)).toBe(false);
  });
});

describe("shortcuts", () => {
  const key = (k: string, extra: Partial<{ altKey: boolean; ctrlKey: boolean; metaKey: boolean; targetIsField: boolean }> = {}) =>
    shortcutFor({ key: k, altKey: false, ctrlKey: false, metaKey: false, targetIsField: false, ...extra });
  it("maps plain keys to actions, but not while typing or with modifiers", () => {
    expect(key("n")?.action).toBe("next-case");
    expect(key("E")?.action).toBe("resolve");
    expect(key("n", { targetIsField: true })).toBeNull();
    expect(key("r", { ctrlKey: true })).toBeNull();
    expect(key("z")).toBeNull();
  });
});
