import { db } from "~/db/db.server";

// Counted in the database so every app instance shares the limit.
export const LOGIN_LIMIT = { maxFailures: 10, windowMinutes: 15 } as const;

export async function loginBlockedUntil(email: string, now = new Date()): Promise<Date | null> {
  const since = new Date(now.getTime() - LOGIN_LIMIT.windowMinutes * 60_000);
  const failures = await db.loginAttempt.findMany({
    where: { email, succeeded: false, createdAt: { gt: since } },
    orderBy: { createdAt: "desc" },
    take: LOGIN_LIMIT.maxFailures,
    select: { createdAt: true },
  });
  if (failures.length < LOGIN_LIMIT.maxFailures) return null;
  // Blocked until the oldest of the counted failures leaves the window.
  const oldest = failures[failures.length - 1]!.createdAt;
  return new Date(oldest.getTime() + LOGIN_LIMIT.windowMinutes * 60_000);
}

export async function recordLoginAttempt(email: string, succeeded: boolean): Promise<void> {
  await db.loginAttempt.create({ data: { email, succeeded } });
}
