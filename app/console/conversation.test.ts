import { describe, expect, it } from "vitest";
import { buildConversation, deliveryLabel } from "./conversation";

const t = (minute: number) => new Date(Date.UTC(2026, 11, 4, 10, minute));

describe("buildConversation", () => {
  it("puts the customer's messages, replies, bot messages and notes in time order, with their bodies", () => {
    const entries = buildConversation({
      kase: { id: "c1", subject: "Lost bag", body: "My bag is lost", receivedAt: t(0) },
      followUps: [
        { id: "e1", createdAt: t(9), data: { subject: "Re: Lost bag", body: "Any news?", receivedAt: t(8).toISOString() } },
        { id: "e2", createdAt: t(20), data: { body: "Hello?" } },
      ],
      messages: [
        { id: "m1", createdAt: t(5), sender: "agent", authorName: "Vera", body: "We are on it", state: "sent", language: "en" },
        { id: "m2", createdAt: t(1), sender: "bot", authorName: null, body: "Thanks for waiting", state: "queued", language: "en" },
      ],
      notes: [{ id: "n1", createdAt: t(6), authorName: "Vera", body: "@agent help?" }],
    });
    expect(entries.map((entry) => `${entry.kind}:${entry.body}`)).toEqual([
      "customer:My bag is lost",
      "bot:Thanks for waiting",
      "reply:We are on it",
      "note:@agent help?",
      "customer:Any news?",
      "customer:Hello?",
    ]);
  });

  it("names delivery states in words", () => {
    expect(deliveryLabel("queued")).toBe("queued for delivery");
    expect(deliveryLabel("failed")).toBe("delivery failed");
  });
});
