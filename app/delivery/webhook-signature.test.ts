import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { parseWebhookMessage, webhookBody } from "./webhook-payload";
import { signWebhookBody, verifyWebhookSignature } from "./webhook-signature";

const message = {
  id: "m1",
  idempotencyKey: "surge-m1",
  caseId: "c1",
  kind: "reply",
  sender: "agent",
  language: "nl",
  body: "Goedemiddag",
  createdAt: new Date("2026-12-04T10:00:00Z"),
} as const;
const body = webhookBody(message);

describe("webhook signature", () => {
  it("is the hex HMAC-SHA256 of the raw body with the secret", () => {
    const hex = createHmac("sha256", "s3cret").update(body).digest("hex");
    expect(signWebhookBody("s3cret", body)).toBe(`sha256=${hex}`);
  });

  it("verifies the right secret and body only", () => {
    const signature = signWebhookBody("s3cret", body);
    expect(verifyWebhookSignature("s3cret", body, signature)).toBe(true);
    expect(verifyWebhookSignature("other", body, signature)).toBe(false);
    expect(verifyWebhookSignature("s3cret", body.replace("Goedemiddag", "Goedemorgen"), signature)).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, null)).toBe(false);
    expect(verifyWebhookSignature("s3cret", body, "sha256=zz")).toBe(false);
  });
});

describe("webhook body", () => {
  it("carries the contract's fields and parses back", () => {
    expect(parseWebhookMessage(body)).toEqual({ ...message, createdAt: "2026-12-04T10:00:00.000Z" });
    expect(parseWebhookMessage("not json")).toBeNull();
    expect(parseWebhookMessage(JSON.stringify({ id: "m1" }))).toBeNull();
  });
});
