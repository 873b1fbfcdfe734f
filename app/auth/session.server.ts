// The only module that knows about lucia: routes use resolveAuth/requireUser
// and the session helpers below, so lucia could be replaced here alone.
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import type { AccountStatus, PrismaClient, Role } from "@prisma/client";
import { redirect, type AppLoadContext } from "@remix-run/node";
import { Lucia, TimeSpan } from "lucia";
import { getDb } from "~/db/db.server";
import { secureCookies } from "./secrets.server";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  locale: string;
}

/** A sign-in lasts one long shift; activity past half of it extends it. */
export const SESSION_LENGTH = new TimeSpan(12, "h");

function createLucia(client: PrismaClient, secure: boolean) {
  return new Lucia(new PrismaAdapter(client.session, client.user), {
    sessionExpiresIn: SESSION_LENGTH,
    sessionCookie: {
      name: "surge_session",
      // The cookie ends with the session (12 h, renewed with it), not after lucia's default 400 days.
      expires: true,
      attributes: { sameSite: "lax", secure },
    },
    getUserAttributes: (attributes) => ({
      email: attributes.email,
      name: attributes.name,
      role: attributes.role,
      status: attributes.status,
      locale: attributes.locale,
    }),
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: Omit<SessionUser, "id">;
  }
}

// One instance per database client and cookie setting, both of which a test
// or benchmark process may change.
const instances = new WeakMap<PrismaClient, Map<boolean, ReturnType<typeof createLucia>>>();
function getLucia() {
  const client = getDb();
  const secure = secureCookies();
  const forClient = instances.get(client) ?? new Map<boolean, ReturnType<typeof createLucia>>();
  instances.set(client, forClient);
  let lucia = forClient.get(secure);
  if (!lucia) forClient.set(secure, (lucia = createLucia(client, secure)));
  return lucia;
}

export interface AuthContext {
  user: SessionUser | null;
  sessionId: string | null;
  /** Set-Cookie for a renewed or cleared session, to add to the response. */
  setCookie: string | null;
}

/** Reads and validates the session cookie once per request (HTTP server). */
export async function resolveAuth(cookieHeader: string | null | undefined): Promise<AuthContext> {
  const lucia = getLucia();
  const sessionId = lucia.readSessionCookie(cookieHeader ?? "");
  if (!sessionId) return { user: null, sessionId: null, setCookie: null };
  const { session, user } = await lucia.validateSession(sessionId);
  if (!session) {
    return { user: null, sessionId: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  // A disabled account keeps nothing, even a session created before.
  if (user.status !== "active") {
    await lucia.invalidateUserSessions(user.id);
    return { user: null, sessionId: null, setCookie: lucia.createBlankSessionCookie().serialize() };
  }
  const setCookie = session.fresh ? lucia.createSessionCookie(session.id).serialize() : null;
  return { user: { ...user }, sessionId: session.id, setCookie };
}

type ArgsWithContext = { request: Request; context: AppLoadContext };

export function getUser({ context }: ArgsWithContext): SessionUser | null {
  return context.auth?.user ?? null;
}

/** Signed-in user, or a redirect to the sign-in page that comes back here. */
export function requireUser(args: ArgsWithContext): SessionUser {
  const user = getUser(args);
  if (user) return user;
  const url = new URL(args.request.url);
  const back = url.pathname + url.search;
  throw redirect(`/login?redirectTo=${encodeURIComponent(back)}`);
}

export async function startSession(userId: string): Promise<string> {
  const lucia = getLucia();
  const session = await lucia.createSession(userId, {});
  return lucia.createSessionCookie(session.id).serialize();
}

export async function endSession(sessionId: string | null): Promise<string> {
  const lucia = getLucia();
  if (sessionId) await lucia.invalidateSession(sessionId);
  return lucia.createBlankSessionCookie().serialize();
}

export async function endAllSessionsOf(userId: string): Promise<void> {
  await getLucia().invalidateUserSessions(userId);
}

/** Only same-site paths, so a sign-in link cannot send people elsewhere. */
export function safeRedirectPath(target: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof target !== "string" || !target.startsWith("/") || target.startsWith("//") || target.startsWith("/\\")) {
    return fallback;
  }
  return target;
}
