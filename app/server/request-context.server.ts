import type { AppLoadContext } from "@remix-run/node";
import { resolveAuth } from "~/auth/session.server";

/**
 * The per-request context every loader and action receives: the signed-in
 * user, resolved once here rather than in each route.
 */
export async function loadContextFor(cookieHeader: string | null | undefined, clientAddress: string | null = null): Promise<AppLoadContext> {
  // The ability facts (volunteer status, skills, gesture limits) and presence ride on the user.
  return { auth: await resolveAuth(cookieHeader), clientAddress };
}
