import { describe, expect, it } from "vitest";
import { breaches, dueTimesFor, nextDue, timeLeftLabel } from "./due-times";

const at = (iso: string) => new Date(iso);

describe("due times", () => {
  it("adds the tier's targets to the arrival time", () => {
    expect(dueTimesFor(at("2026-12-04T10:00:00Z"), { tier: 2, firstResponseMinutes: 30, resolutionMinutes: 480 })).toEqual({
      firstResponseDueAt: at("2026-12-04T10:30:00Z"),
      resolutionDueAt: at("2026-12-04T18:00:00Z"),
    });
    expect(dueTimesFor(at("2026-12-04T10:00:00Z"), undefined)).toEqual({ firstResponseDueAt: null, resolutionDueAt: null });
  });

  it("counts a breach when a due time passes unmet or is met late", () => {
    const state = { firstResponseDueAt: at("2026-12-04T10:30:00Z"), resolutionDueAt: at("2026-12-04T18:00:00Z"), firstRespondedAt: null, resolvedAt: null };
    expect(breaches(state, at("2026-12-04T10:29:00Z"))).toEqual({ firstResponse: false, resolution: false });
    expect(breaches(state, at("2026-12-04T10:31:00Z"))).toEqual({ firstResponse: true, resolution: false });
    expect(breaches({ ...state, firstRespondedAt: at("2026-12-04T10:20:00Z") }, at("2026-12-04T11:00:00Z")).firstResponse).toBe(false);
    expect(breaches({ ...state, firstRespondedAt: at("2026-12-04T10:40:00Z") }, at("2026-12-04T11:00:00Z")).firstResponse).toBe(true);
    expect(breaches({ ...state, resolvedAt: at("2026-12-04T19:00:00Z") }, at("2026-12-04T20:00:00Z")).resolution).toBe(true);
  });

  it("shows the first response while it is pending, then the resolution", () => {
    const state = { firstResponseDueAt: "2026-12-04T10:30:00.000Z", resolutionDueAt: "2026-12-04T18:00:00.000Z", firstRespondedAt: null, resolvedAt: null };
    expect(nextDue(state)).toEqual({ kind: "first response", at: at("2026-12-04T10:30:00Z") });
    expect(nextDue({ ...state, firstRespondedAt: "2026-12-04T10:10:00.000Z" })).toEqual({ kind: "resolution", at: at("2026-12-04T18:00:00Z") });
    expect(nextDue({ ...state, firstRespondedAt: "x", resolvedAt: "y" })).toBeNull();
  });

  it("says the time left in words", () => {
    const due = at("2026-12-04T12:00:00Z");
    expect(timeLeftLabel(due, at("2026-12-04T11:48:00Z"))).toBe("12 min left");
    expect(timeLeftLabel(due, at("2026-12-04T08:55:00Z"))).toBe("3 h 5 min left");
    expect(timeLeftLabel(due, at("2026-12-04T10:00:00Z"))).toBe("2 h left");
    expect(timeLeftLabel(due, at("2026-12-04T12:00:10Z"))).toBe("due now");
    expect(timeLeftLabel(due, at("2026-12-04T12:04:00Z"))).toBe("overdue by 4 min");
  });
});
