import { describe, expect, it } from "vitest";
import { DEFAULT_ESCALATION_LEVELS } from "~/escalation/levels";
import { routedReason, timelineDetail } from "./routing-reasons";

const levels = DEFAULT_ESCALATION_LEVELS;

describe("routedReason", () => {
  it("says an exact match, an escalation level or a relaxation step brought the case", () => {
    expect(routedReason({ to: "u", via: "next_case" }, levels)).toBe("Next case; exact match of skills");
    expect(routedReason({ to: "u", via: "next_case", escalationLevel: 1 }, levels)).toBe(
      "Next case; escalation queue, level 1 (Experienced agents); exact match of skills",
    );
    expect(routedReason({ to: "u", via: "next_case", relaxationStep: 2, relaxation: "other-channel" }, levels)).toBe(
      "Next case; skill relaxation step 2: agents of another channel, after waiting without an exact match",
    );
    expect(routedReason({ to: "u", via: "supervisor" }, levels)).toBe("assigned by a supervisor");
    expect(routedReason(null, levels)).toBeNull();
    expect(routedReason("nonsense", levels)).toBeNull();
  });
});

describe("timelineDetail", () => {
  it("explains returns to the queue and leaves other events alone", () => {
    expect(timelineDetail("returned_to_queue", { why: "push_timeout", to: "open" }, levels)).toBe("the agent did not open it in time (push time-out)");
    expect(timelineDetail("returned_to_queue", { why: "presence_lapsed", to: "escalated" }, levels)).toBe(
      "the agent's console went silent (presence lapsed) before they started it; back to the escalation queue",
    );
    expect(timelineDetail("returned_to_queue", { why: "made-up" }, levels)).toBeNull();
    expect(timelineDetail("gesture", { amount: 5 }, levels)).toBeNull();
  });
});
