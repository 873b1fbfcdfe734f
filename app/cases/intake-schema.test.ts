import { describe, expect, it } from "vitest";
import { INTAKE_BATCH_MAX, parseIntakePayload, threadKeyFor, type IntakeCaseInput } from "./intake-schema";

function aPayload(overrides: Record<string, unknown> = {}): IntakeCaseInput {
  return {
    idempotencyKey: "wa-msg-0001",
    channelId: "whatsapp",
    language: "nl",
    customerId: "FB-778812",
    customerName: "Joris de Vries",
    loyaltyTier: "gold",
    bookingReference: "abc123",
    flightNumber: "kl 1234",
    departureAt: "2024-03-15T16:30:00+02:00",
    subject: "Mijn vlucht",
    body: "Gaat mijn vlucht morgen nog?",
    receivedAt: "2024-03-15T09:00:00Z",
    topics: ["flight-status", "flight-status"],
    ...overrides,
  } as IntakeCaseInput;
}

describe("parseIntakePayload: one case", () => {
  it("returns a normalised case ready to store", () => {
    const result = parseIntakePayload(aPayload());
    expect(result).toEqual({
      ok: true,
      batch: false,
      cases: [
        {
          // The payload as sent, but for the fields normalised or added below.
          ...aPayload(),
          bookingReference: "ABC123",
          flightNumber: "KL1234",
          departureAt: new Date("2024-03-15T14:30:00Z"),
          receivedAt: new Date("2024-03-15T09:00:00Z"),
          liveConversation: false,
          paymentLinkUnpaid: false,
          topics: ["flight-status"],
        },
      ],
    });
  });

  it("fills defaults and turns empty optional fields into null", () => {
    const result = parseIntakePayload({
      idempotencyKey: "k",
      channelId: "email",
      language: "en",
      customerId: "c",
      customerName: "N",
      body: "Hello",
      bookingReference: "",
      flightNumber: "",
      departureAt: "",
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.cases[0]).toMatchObject({
      loyaltyTier: "none",
      subject: "",
      bookingReference: null,
      flightNumber: null,
      departureAt: null,
      topics: [],
      liveConversation: false,
    });
    expect(result.cases[0]?.receivedAt).toBeUndefined();
  });

  it("lists every problem with its path", () => {
    const result = parseIntakePayload(
      aPayload({
        idempotencyKey: undefined,
        channelId: "telegram",
        language: "sv",
        customerName: "   ",
        loyaltyTier: "diamond",
        bookingReference: "AB-12",
        flightNumber: "1234",
        departureAt: "15/03/2024 14:30",
        receivedAt: "2024-03-15T09:00:00",
        subject: "x".repeat(301),
        body: "",
        liveConversation: "yes",
        topics: ["Refund Status"],
      }),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byPath = Object.fromEntries(result.problems.map((problem) => [problem.path, problem.message]));
    expect(byPath).toEqual({
      idempotencyKey: "idempotencyKey must be text",
      channelId: expect.stringMatching(/^channelId must be one of whatsapp, messenger/),
      language: "language must be one of en, nl, fr, de, es, it, pt, zh, ja, ko",
      customerName: "customerName is required",
      loyaltyTier: "loyaltyTier must be one of none, silver, gold, platinum",
      bookingReference: "bookingReference must be letters and digits, such as ABC123",
      flightNumber: "flightNumber must look like KL1234",
      departureAt: expect.stringContaining("departureAt must be an ISO 8601 date and time with a time zone"),
      receivedAt: expect.stringContaining("receivedAt must be an ISO 8601 date and time with a time zone"),
      subject: "subject is at most 300 characters",
      body: "body is required",
      liveConversation: "liveConversation must be true or false",
      "topics.0": expect.stringContaining("must be a lowercase slug"),
    });
  });

  it("accepts IATA and ICAO flight numbers, not bare digits", () => {
    for (const flightNumber of ["KL1234", "U2 8123", "9W12", "KLM1234", "LH400A"])
      expect(parseIntakePayload(aPayload({ flightNumber })).ok).toBe(true);
    for (const flightNumber of ["1234", "KL", "KL12345", "K-L12"])
      expect(parseIntakePayload(aPayload({ flightNumber })).ok).toBe(false);
  });

  it("rejects something that is not an object", () => {
    expect(parseIntakePayload([aPayload()])).toEqual({
      ok: false,
      problems: [{ path: "", message: 'Send one case as a JSON object, or a batch as { "cases": [...] }' }],
    });
  });
});

describe("parseIntakePayload: batches", () => {
  it("accepts a batch and keeps the order", () => {
    const result = parseIntakePayload({
      cases: [aPayload({ idempotencyKey: "a" }), aPayload({ idempotencyKey: "b", channelId: "line" })],
    });
    expect(result.ok && result.batch && result.cases.map((entry) => entry.idempotencyKey)).toEqual(["a", "b"]);
  });

  it("rejects the whole batch, listing problems of every case and repeated idempotency keys", () => {
    const result = parseIntakePayload({
      cases: [
        aPayload({ idempotencyKey: "a" }),
        aPayload({ idempotencyKey: "b", language: "xx" }),
        aPayload({ idempotencyKey: "a" }),
        aPayload({ idempotencyKey: "c", body: "" }),
      ],
    });
    expect(result).toEqual({
      ok: false,
      problems: expect.arrayContaining([
        { path: "cases.1.language", message: expect.stringContaining("language must be one of") },
        { path: "cases.3.body", message: "body is required" },
        { path: "cases.2.idempotencyKey", message: 'idempotencyKey "a" is also used by case 0 of this batch' },
      ]),
    });
    if (!result.ok) expect(result.problems).toHaveLength(3);
  });

  it("limits the batch size", () => {
    const tooMany = Array.from({ length: INTAKE_BATCH_MAX + 1 }, (_, index) => aPayload({ idempotencyKey: `k${index}` }));
    expect(parseIntakePayload({ cases: tooMany })).toEqual({
      ok: false,
      problems: [{ path: "cases", message: `A batch has at most ${INTAKE_BATCH_MAX} cases` }],
    });
    expect(parseIntakePayload({ cases: [] })).toEqual({
      ok: false,
      problems: [{ path: "cases", message: "A batch needs at least one case" }],
    });
  });
});

describe("threadKeyFor", () => {
  it("is the same for the same customer and booking, whatever the case of the reference", () => {
    expect(threadKeyFor({ customerId: "c1", bookingReference: "abc123" })).toBe(
      threadKeyFor({ customerId: "c1", bookingReference: " ABC123 " }),
    );
    expect(threadKeyFor({ customerId: "c1", bookingReference: "ABC123" })).not.toBe(
      threadKeyFor({ customerId: "c2", bookingReference: "ABC123" }),
    );
  });

  it("cannot be confused by separators inside the customer id", () => {
    expect(threadKeyFor({ customerId: "a|b", bookingReference: "C" })).not.toBe(
      threadKeyFor({ customerId: "a", bookingReference: "B|C" }),
    );
  });

  it("is null without a booking reference", () => {
    expect(threadKeyFor({ customerId: "c1", bookingReference: null })).toBeNull();
    expect(threadKeyFor({ customerId: "c1", bookingReference: "  " })).toBeNull();
  });
});
