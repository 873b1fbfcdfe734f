import { subject as caslSubject } from "@casl/ability";
import type { AppLoadContext } from "@remix-run/node";
import { requireUser, type SessionUser } from "~/auth/session.server";
import { defineAbilityFor, type Action, type AppAbility, type AppSubjects } from "./ability";

type Args = { request: Request; context: AppLoadContext };

export function forbidden(message = "You do not have permission to do this."): Response {
  return new Response(message, { status: 403, statusText: "Forbidden" });
}

/**
 * Signed-in user and their ability, after checking that they may do `action`
 * on `subject` at all (a type, or a row wrapped with `asSubject`). Throws a
 * redirect to sign-in or a 403.
 */
export function requireAbility(args: Args, action: Action, subject: AppSubjects): { user: SessionUser; ability: AppAbility } {
  const user = requireUser(args);
  const ability = abilityOf(user);
  if (!ability.can(action, subject)) throw forbidden();
  return { user, ability };
}

// Built once per request: the session user object lives as long as the
// request's load context, so the root loader and the route share one ability.
const abilities = new WeakMap<SessionUser, AppAbility>();

/** The ability of a session user (with the facts the load context added). */
export function abilityOf(user: SessionUser): AppAbility {
  let ability = abilities.get(user);
  if (!ability) abilities.set(user, (ability = defineAbilityFor(user)));
  return ability;
}

/** Marks a plain database row with its model name so conditions apply. */
export function asSubject<T extends Record<string, unknown>>(type: "Case" | "User" | "Volunteer" | "AuditLog" | "Gesture", row: T) {
  return caslSubject(type, row) as unknown as AppSubjects;
}
