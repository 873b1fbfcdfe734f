import { describe, expect, it } from "vitest";
import { clientEvent, isLiveEventFor, parseLiveEvent } from "./live-event";

describe("live events", () => {
  it("parse only known kinds with well-formed ids", () => {
    expect(parseLiveEvent('{"kind":"mention","caseId":"c1","userIds":["u1"]}')).toEqual({ kind: "mention", caseId: "c1", userIds: ["u1"] });
    expect(parseLiveEvent('{"kind":"drop_tables"}')).toBeNull();
    expect(parseLiveEvent('{"kind":"mention","userIds":"u1"}')).toBeNull();
    expect(parseLiveEvent("nope")).toBeNull();
  });

  it("reach the named users only, else whoever may read cases", () => {
    const mention = { kind: "mention" as const, caseId: "c1", userIds: ["u1"] };
    expect(isLiveEventFor(mention, { id: "u1", mayReadCases: false })).toBe(true);
    expect(isLiveEventFor(mention, { id: "u2", mayReadCases: true })).toBe(false);
    const message = { kind: "case_message" as const, caseId: "c1" };
    expect(isLiveEventFor(message, { id: "u2", mayReadCases: true })).toBe(true);
    expect(isLiveEventFor(message, { id: "u3", mayReadCases: false })).toBe(false);
  });

  it("do not show a browser who else was told", () => {
    expect(clientEvent({ kind: "mention", caseId: "c1", userIds: ["u1", "u2"] }, 5)).toEqual({ kind: "mention", caseId: "c1", at: 5 });
  });
});
