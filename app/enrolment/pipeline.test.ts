import { describe, expect, it } from "vitest";
import { isStuck, stagesOf, STUCK_AFTER_HOURS, type PipelineFacts } from "./pipeline";

const now = new Date("2026-12-04T12:00:00Z");
const hoursAgo = (hours: number) => new Date(now.getTime() - hours * 3_600_000);
const facts = (overrides: Partial<PipelineFacts> = {}): PipelineFacts => ({
  status: "invited",
  signedUp: false,
  invited: true,
  online: false,
  enrolledAt: hoursAgo(1),
  lastActivityAt: null,
  ...overrides,
});

describe("the pipeline", () => {
  it("counts a volunteer in every stage they have reached", () => {
    expect(stagesOf(facts(), now)).toEqual(["enrolled", "invited"]);
    expect(stagesOf(facts({ status: "training", signedUp: true, lastActivityAt: hoursAgo(2) }), now)).toEqual(["enrolled", "invited", "signedUp", "inTraining"]);
    expect(stagesOf(facts({ status: "active", signedUp: true, online: true }), now)).toEqual(["enrolled", "invited", "signedUp", "certified", "online"]);
  });

  it("calls someone stuck from their own activity, never from a start date in a file", () => {
    // Imported a minute ago: not stuck.
    expect(isStuck(facts({ enrolledAt: hoursAgo(0.02) }), now)).toBe(false);
    expect(isStuck(facts({ enrolledAt: hoursAgo(STUCK_AFTER_HOURS + 1) }), now)).toBe(true);
    // A quiz attempt yesterday keeps them moving.
    expect(isStuck(facts({ status: "training", enrolledAt: hoursAgo(500), lastActivityAt: hoursAgo(20) }), now)).toBe(false);
    expect(isStuck(facts({ status: "training", enrolledAt: hoursAgo(500), lastActivityAt: hoursAgo(STUCK_AFTER_HOURS) }), now)).toBe(true);
    // Certified or paused people are not stuck in the pipeline.
    expect(isStuck(facts({ status: "certified", enrolledAt: hoursAgo(500) }), now)).toBe(false);
    expect(isStuck(facts({ status: "paused", enrolledAt: hoursAgo(500) }), now)).toBe(false);
  });
});
