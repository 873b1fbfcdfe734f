// The delivery worker's settings (README settings table), read once from the
// environment. The request timeout stays well under the claim lease, so a
// live worker always finishes (or gives up on) a post before its claim could
// pass to another instance.
import type { RetryPolicy } from "./retry-policy";

export interface DeliverySettings extends RetryPolicy {
  /** How long a claimed message is reserved for the instance that claimed it. */
  leaseMs: number;
  /** Per-post timeout. */
  timeoutMs: number;
  /** How often an idle worker looks for due messages. */
  pollMs: number;
  /** Messages claimed per statement. */
  batchSize: number;
  /** Batches in flight at once per instance. */
  concurrency: number;
}

function positive(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new Error(`${name} must be a positive number (got "${raw}").`);
  return value;
}

export function deliverySettingsFromEnv(): DeliverySettings {
  const leaseMs = positive("SURGE_DELIVERY_LEASE_MS", 60_000);
  return {
    maxAttempts: Math.floor(positive("SURGE_DELIVERY_MAX_ATTEMPTS", 8)),
    baseDelayMs: positive("SURGE_DELIVERY_RETRY_BASE_MS", 10_000),
    maxDelayMs: positive("SURGE_DELIVERY_RETRY_MAX_MS", 3_600_000),
    leaseMs,
    timeoutMs: Math.min(positive("SURGE_DELIVERY_TIMEOUT_MS", 10_000), Math.floor(leaseMs / 2)),
    pollMs: positive("SURGE_DELIVERY_POLL_MS", 500),
    batchSize: Math.floor(positive("SURGE_DELIVERY_BATCH", 50)),
    concurrency: Math.floor(positive("SURGE_DELIVERY_CONCURRENCY", 4)),
  };
}
