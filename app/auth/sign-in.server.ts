import { db } from "~/db/db.server";
import { settleLoginSlot, takeLoginSlot } from "./login-rate-limit.server";
import { verifyPassword } from "./password.server";
import { startSession } from "./session.server";

export type SignInResult =
  | { ok: true; setCookie: string }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate_limited"; retryAt: Date };

/**
 * Checks a sign-in. Unknown email, wrong password, no password yet and a
 * disabled account all answer the same, so the form reveals nothing. The
 * limits (per account and per client address) are taken before the
 * password is checked.
 */
export async function signIn(email: string, password: string, clientAddress: string | null, now = new Date()): Promise<SignInResult> {
  const slot = await takeLoginSlot(email, clientAddress, now);
  if (!slot.ok) return { ok: false, reason: "rate_limited", retryAt: slot.retryAt };
  const user = await db.user.findUnique({ where: { email }, select: { id: true, passwordHash: true, status: true } });
  const passwordOk = await verifyPassword(user?.passwordHash, password);
  const ok = Boolean(user && passwordOk && user.status === "active");
  await settleLoginSlot(slot.keys, ok, email);
  if (!ok || !user) return { ok: false, reason: "invalid" };
  return { ok: true, setCookie: await startSession(user.id) };
}
