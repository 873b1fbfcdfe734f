import { describe, expect, it } from "vitest";
import { DUPLICATE_MESSAGES, FLIGHT_DEPARTED_MESSAGES } from "./customer-replies";
import { findStaleCases, subjectSimilarity, type SweepHandledCase, type SweepOpenCase } from "./stale-sweep";

const NOW = new Date("2024-03-15T10:00:00.000Z");

function open(overrides: Partial<SweepOpenCase> & { id: string }): SweepOpenCase {
  return {
    language: "en",
    customerId: "cust-1",
    bookingReference: "ABC123",
    departureAt: null,
    subject: "Question about my flight",
    topics: [],
    ...overrides,
  };
}

function handled(overrides: Partial<SweepHandledCase> & { id: string }): SweepHandledCase {
  return {
    customerId: "cust-1",
    bookingReference: "ABC123",
    subject: "Refund for cancelled flight",
    status: "assigned",
    ...overrides,
  };
}

describe("findStaleCases: flight departed", () => {
  const departed = new Date(NOW.getTime() - 60_000);

  it("closes a time-bound question about a departed flight, in the customer's language", () => {
    const stale = findStaleCases(
      [open({ id: "c1", language: "de", departureAt: departed, topics: ["check-in"] })],
      [],
      NOW,
    );
    expect(stale).toEqual([{ caseId: "c1", reason: "flight_departed", customerMessage: FLIGHT_DEPARTED_MESSAGES.de }]);
  });

  it("counts the exact departure moment as departed, one second before not", () => {
    const atDeparture = open({ id: "c1", departureAt: NOW, topics: ["flight-status"] });
    expect(findStaleCases([atDeparture], [], NOW)).toHaveLength(1);
    expect(findStaleCases([{ ...atDeparture, departureAt: new Date(NOW.getTime() + 1000) }], [], NOW)).toEqual([]);
  });

  it("keeps questions that still apply after departure", () => {
    const cases = [
      open({ id: "refund", departureAt: departed, topics: ["refund-status"] }),
      open({ id: "mixed", departureAt: departed, topics: ["flight-status", "refund-status"] }),
      open({ id: "untagged", departureAt: departed, topics: [] }),
      open({ id: "no-flight", departureAt: null, topics: ["seat"] }),
    ];
    expect(findStaleCases(cases, [], NOW)).toEqual([]);
  });

  it("uses a configurable list of time-bound topics", () => {
    const cases = [open({ id: "c1", departureAt: departed, topics: ["meal"] })];
    expect(findStaleCases(cases, [], NOW)).toEqual([]);
    expect(findStaleCases(cases, [], NOW, { timeBoundTopics: ["meal"] })).toHaveLength(1);
  });
});

describe("findStaleCases: duplicates", () => {
  it("closes a case with a similar subject for the same customer and booking as a case being handled", () => {
    const stale = findStaleCases(
      [open({ id: "new", subject: "RE: Refund for my cancelled flight", language: "ja" })],
      [handled({ id: "old", status: "escalated" })],
      NOW,
    );
    expect(stale).toEqual([
      { caseId: "new", reason: "duplicate", duplicateOf: "old", customerMessage: DUPLICATE_MESSAGES.ja },
    ]);
  });

  it("matches booking references regardless of case and whitespace", () => {
    const stale = findStaleCases(
      [open({ id: "new", bookingReference: " abc123 ", subject: "Refund for cancelled flight" })],
      [handled({ id: "old", status: "on_hold" })],
      NOW,
    );
    expect(stale[0]?.duplicateOf).toBe("old");
  });

  it("does not close a case of another customer, another booking, no booking, or another question", () => {
    const handledCases = [handled({ id: "old" })];
    const cases = [
      open({ id: "other-customer", customerId: "cust-2", subject: "Refund for cancelled flight" }),
      open({ id: "other-booking", bookingReference: "XYZ789", subject: "Refund for cancelled flight" }),
      open({ id: "no-booking", bookingReference: null, subject: "Refund for cancelled flight" }),
      open({ id: "other-question", subject: "Wheelchair assistance at Schiphol" }),
    ];
    expect(findStaleCases(cases, handledCases, NOW)).toEqual([]);
    expect(
      findStaleCases([open({ id: "x", subject: "Refund" })], [handled({ id: "old", bookingReference: null })], NOW),
    ).toEqual([]);
  });

  it("ignores cases that are open, resolved or closed rather than being handled", () => {
    const cases = [open({ id: "new", subject: "Refund for cancelled flight" })];
    for (const status of ["open", "resolved", "closed"] as const)
      expect(findStaleCases(cases, [handled({ id: "old", status })], NOW)).toEqual([]);
  });

  it("prefers the most similar handled case and reports a duplicate rather than a departed flight", () => {
    const departed = new Date(NOW.getTime() - 1000);
    const stale = findStaleCases(
      [open({ id: "new", subject: "Seat on flight KL1234", topics: ["seat"], departureAt: departed })],
      [
        handled({ id: "a", subject: "Seat on flight KL1234 please" }),
        handled({ id: "b", subject: "Seat on flight KL1234" }),
      ],
      NOW,
    );
    expect(stale).toEqual([
      { caseId: "new", reason: "duplicate", duplicateOf: "b", customerMessage: DUPLICATE_MESSAGES.en },
    ]);
  });
});

describe("subjectSimilarity", () => {
  it("ignores case, accents and reply prefixes", () => {
    expect(subjectSimilarity("Re: Fwd: Remboursement vol annulé", "remboursement vol annule", "fr")).toBe(1);
  });

  it("splits Chinese into words", () => {
    expect(subjectSimilarity("航班取消退款", "回复：航班取消退款", "zh")).toBe(1);
    expect(subjectSimilarity("航班取消退款", "行李丢失", "zh")).toBe(0);
  });

  it("scores partly overlapping subjects between 0 and 1", () => {
    expect(subjectSimilarity("refund for cancelled flight", "refund cancelled flight KL1234", "en")).toBeCloseTo(3 / 5);
  });
});
