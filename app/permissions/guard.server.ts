import { subject as caslSubject } from "@casl/ability";
import type { AppLoadContext } from "@remix-run/node";
import { requireUser, type SessionUser, type SignedInUser } from "~/auth/session.server";
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
export function requireAbility(args: Args, action: Action, subject: AppSubjects): { user: SignedInUser; ability: AppAbility } {
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

type RowType = "Case" | "User" | "Volunteer" | "AuditLog" | "Gesture";

export function notFound(message = "There is nothing here with this id."): Response {
  return new Response(message, { status: 404, statusText: "Not Found" });
}

/**
 * A row the user may act on. A row that does not exist and a row the user may
 * not even read get the same 404 with the same text, so nobody learns which
 * ids exist by probing; a row they may read but not `action` gets a 403.
 */
export function requireRow<T extends Record<string, unknown>>(
  ability: AppAbility,
  type: RowType,
  row: T | null | undefined,
  options: { action?: Action; notFoundMessage: string; forbiddenMessage?: string },
): T {
  if (!row || !ability.can("read", asSubject(type, row))) throw notFound(options.notFoundMessage);
  const action = options.action ?? "read";
  if (action !== "read" && !ability.can(action, asSubject(type, row))) throw forbidden(options.forbiddenMessage);
  return row;
}

/** Marks a plain database row with its model name so conditions apply. */
export function asSubject<T extends Record<string, unknown>>(type: RowType, row: T) {
  return caslSubject(type, row) as unknown as AppSubjects;
}
