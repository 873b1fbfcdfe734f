// Sign-in limits, counted in the database so every app instance shares them.
// Each attempt first takes a slot with ONE conditional upsert per key (the
// account's email and the client's address), before the password is checked:
// parallel attempts cannot all pass a "check, then insert" race. Past a few
// failures each key must wait a delay that doubles with every failure; the
// account's delay is capped at a minute, so nobody can lock a person out for
// long by failing on purpose, while one client spraying many accounts is
// slowed down to a crawl by its own key.
import { db } from "~/db/db.server";

export interface ThrottlePolicy {
  /** Failures before the first delay (the last of them starts it). */
  freeFailures: number;
  firstDelaySeconds: number;
  maxDelaySeconds: number;
}

export const LOGIN_LIMITS = {
  account: { freeFailures: 5, firstDelaySeconds: 2, maxDelaySeconds: 60 },
  client: { freeFailures: 20, firstDelaySeconds: 2, maxDelaySeconds: 15 * 60 },
  /** A key whose last failure is older than this starts again from zero. */
  windowMinutes: 15,
} as const satisfies { account: ThrottlePolicy; client: ThrottlePolicy; windowMinutes: number };

const at = (date: Date) => date.toISOString();

/**
 * Takes a slot for one attempt: counts it as a failure now (the outcome
 * refunds it) and returns false when the key must still wait.
 */
async function takeSlot(key: string, policy: ThrottlePolicy, now: Date): Promise<boolean> {
  const windowStart = new Date(now.getTime() - LOGIN_LIMITS.windowMinutes * 60_000);
  const { freeFailures: free, firstDelaySeconds: first, maxDelaySeconds: max } = policy;
  const delayFor = (failures: number) => (failures < free ? 0 : Math.min(max, first * 2 ** (failures - free)));
  // "failures" below is the count after this attempt: restarted when the
  // last failure is older than the window. The WHERE makes a waiting key
  // return no row, atomically with the increment.
  const rows = await db.$queryRaw<{ failures: number }[]>`
    INSERT INTO "LoginThrottle" (key, failures, "lastFailureAt", "nextAttemptAt")
    VALUES (${key}, 1, ${at(now)}::timestamp(3), ${at(now)}::timestamp(3) + make_interval(secs => ${delayFor(1)}::float8))
    ON CONFLICT (key) DO UPDATE SET
      failures = CASE WHEN "LoginThrottle"."lastFailureAt" <= ${at(windowStart)}::timestamp(3) THEN 1 ELSE "LoginThrottle".failures + 1 END,
      "lastFailureAt" = ${at(now)}::timestamp(3),
      "nextAttemptAt" = ${at(now)}::timestamp(3) + make_interval(secs =>
        CASE WHEN "LoginThrottle"."lastFailureAt" <= ${at(windowStart)}::timestamp(3) OR "LoginThrottle".failures + 1 < ${free}::int THEN 0
             ELSE LEAST(${max}::float8, ${first}::float8 * power(2, "LoginThrottle".failures + 1 - ${free}::int)) END)
    WHERE "LoginThrottle"."nextAttemptAt" <= ${at(now)}::timestamp(3)
    RETURNING failures`;
  return rows.length === 1;
}

// Gives one attempt's slot back (it was counted as a failure in advance).
async function refund(key: string): Promise<void> {
  await db.$executeRaw`UPDATE "LoginThrottle" SET failures = GREATEST(failures - 1, 0) WHERE key = ${key}`;
}

async function retryAt(keys: string[], now: Date): Promise<Date> {
  const rows = await db.loginThrottle.findMany({ where: { key: { in: keys } }, select: { nextAttemptAt: true } });
  const latest = Math.max(now.getTime() + 1000, ...rows.map((row) => row.nextAttemptAt.getTime()));
  return new Date(latest);
}

export const accountKey = (email: string) => `account:${email.trim().toLowerCase()}`;
export const clientKey = (address: string | null | undefined) => `client:${address || "unknown"}`;

export type Slot = { ok: true; keys: { account: string; client: string } } | { ok: false; retryAt: Date };

/** One attempt may check a password now, or must wait until retryAt. */
export async function takeLoginSlot(email: string, clientAddress: string | null | undefined, now = new Date()): Promise<Slot> {
  const keys = { account: accountKey(email), client: clientKey(clientAddress) };
  if (!(await takeSlot(keys.client, LOGIN_LIMITS.client, now))) return { ok: false, retryAt: await retryAt([keys.client], now) };
  if (!(await takeSlot(keys.account, LOGIN_LIMITS.account, now))) {
    // Nothing was checked, so the client is not charged for it.
    await refund(keys.client);
    return { ok: false, retryAt: await retryAt([keys.account], now) };
  }
  return { ok: true, keys };
}

/**
 * After the password was checked. A success gives back its own slot on both
 * keys but leaves the delay in force: in a burst of parallel guesses, the
 * right one must not reopen the door for the others.
 */
export async function settleLoginSlot(keys: { account: string; client: string }, succeeded: boolean, email: string): Promise<void> {
  if (succeeded) {
    await refund(keys.account);
    await refund(keys.client);
  }
  await db.loginAttempt.create({ data: { email, succeeded } });
}
