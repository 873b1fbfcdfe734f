// The delivery webhook's signature: HMAC-SHA256 of the exact bytes of the
// body with the integration's webhook secret, sent as
// `X-Surge-Signature: sha256=<hex>`. The receiver recomputes it over the raw
// body before parsing, so a changed byte (or another secret) is refused.
import { createHmac, timingSafeEqual } from "node:crypto";

export const SIGNATURE_HEADER = "X-Surge-Signature";

export function signWebhookBody(secret: string, rawBody: string | Buffer): string {
  return `sha256=${createHmac("sha256", secret).update(rawBody).digest("hex")}`;
}

/** Constant-time check of a signature header against the raw body. */
export function verifyWebhookSignature(secret: string, rawBody: string | Buffer, header: string | null | undefined): boolean {
  if (!header || !/^sha256=[0-9a-f]{64}$/.test(header)) return false;
  const expected = Buffer.from(signWebhookBody(secret, rawBody));
  const given = Buffer.from(header);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
