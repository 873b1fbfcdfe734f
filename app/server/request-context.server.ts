import type { AppLoadContext } from "@remix-run/node";
import { resolveAuth } from "~/auth/session.server";
import { withAbilityFacts } from "~/permissions/ability-facts.server";

/**
 * The per-request context every loader and action receives: the signed-in
 * user, resolved once here rather than in each route.
 */
export async function loadContextFor(cookieHeader: string | null | undefined, clientAddress: string | null = null): Promise<AppLoadContext> {
  // The ability facts (volunteer status, skills, gesture limits) ride on the user.
  return { auth: await withAbilityFacts(await resolveAuth(cookieHeader)), clientAddress };
}
