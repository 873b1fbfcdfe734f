// When a failed delivery is tried again: exponential back-off (base, 2 x
// base, 4 x base ...) capped at maxDelayMs, until maxAttempts attempts have
// been made; then the message is failed and shows its last error.

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** The wait before the next attempt after `attempts` failed attempts (attempts >= 1). */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  // 2 ** 40 already exceeds any sane cap; keeps the product finite.
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(exponent, 40));
}

export type AfterFailure = { state: "queued"; nextAttemptAt: Date } | { state: "failed" };

/** What happens to a message whose attempt number `attempts` failed at `now`. */
export function afterFailedAttempt(attempts: number, now: Date, policy: RetryPolicy): AfterFailure {
  if (attempts >= policy.maxAttempts) return { state: "failed" };
  return { state: "queued", nextAttemptAt: new Date(now.getTime() + retryDelayMs(attempts, policy)) };
}
