// The only module that knows about lucia: routes use resolveAuth/requireUser
// and the session helpers below, so lucia could be replaced here alone.
import { PrismaAdapter } from "@lucia-auth/adapter-prisma";
import { Prisma, type AccountStatus, type PrismaClient, type Role } from "@prisma/client";
import { redirect, type AppLoadContext } from "@remix-run/node";
import { Lucia, TimeSpan, type DatabaseSession, type DatabaseUser } from "lucia";
import type { KnownPresence } from "~/cases/presence";
import { getDb } from "~/db/db.server";
import { abilityFactsColumns, abilityFactsOf, type AbilityFacts, type AbilityFactsRow } from "~/permissions/ability-facts.server";
import { secureCookies } from "./secrets.server";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  locale: string;
}

/**
 * The signed-in user as every loader and action sees it: the account, the
 * ability facts (app/permissions/ability-facts.server.ts) and presence, all
 * read with the session in one query.
 */
export type SignedInUser = SessionUser & AbilityFacts & { presence: KnownPresence | null };

/** A sign-in lasts one long shift; activity past half of it extends it. */
export const SESSION_LENGTH = new TimeSpan(12, "h");

type SessionRow = AbilityFactsRow & {
  id: string;
  userId: string;
  expiresAt: Date;
  email: string;
  name: string;
  role: Role;
  status: AccountStatus;
  locale: string;
  online: boolean | null;
  lastSeenAt: Date | null;
};

/**
 * lucia's Prisma adapter, but the session, its user, the user's ability facts
 * and presence come back in one statement (the adapter's own lookup takes
 * two, and the facts and presence two more): this is the query every
 * signed-in request starts with.
 */
class OneQuerySessions extends PrismaAdapter<PrismaClient> {
  constructor(private readonly client: PrismaClient) {
    super(client.session, client.user);
  }

  override async getSessionAndUser(sessionId: string): Promise<[DatabaseSession | null, DatabaseUser | null]> {
    const [row] = await this.client.$queryRaw<SessionRow[]>`
      SELECT s.id, s."userId", s."expiresAt", u.email, u.name, u.role::text AS role, u.status::text AS status, u.locale,
             p.online, p."lastSeenAt",
             ${abilityFactsColumns({ id: Prisma.sql`u.id`, role: Prisma.sql`u.role` })}
      FROM "Session" s
      JOIN "User" u ON u.id = s."userId"
      LEFT JOIN "AgentPresence" p ON p."userId" = u.id
      WHERE s.id = ${sessionId}`;
    if (!row) return [null, null];
    const user: DatabaseUser["attributes"] = {
      email: row.email,
      name: row.name,
      role: row.role,
      status: row.status,
      locale: row.locale,
      ...abilityFactsOf(row, row.role as Role),
      presence: row.online === null || row.lastSeenAt === null ? null : { online: row.online, lastSeenAt: row.lastSeenAt },
    };
    return [
      { id: row.id, userId: row.userId, expiresAt: row.expiresAt, attributes: {} },
      { id: row.userId, attributes: user },
    ];
  }
}

function createLucia(client: PrismaClient, secure: boolean) {
  return new Lucia(new OneQuerySessions(client), {
    sessionExpiresIn: SESSION_LENGTH,
    sessionCookie: {
      name: "surge_session",
      // The cookie ends with the session (12 h, renewed with it), not after lucia's default 400 days.
      expires: true,
      attributes: { sameSite: "lax", secure },
    },
    getUserAttributes: (attributes) => attributes,
  });
}

declare module "lucia" {
  interface Register {
    Lucia: ReturnType<typeof createLucia>;
    DatabaseUserAttributes: Omit<SignedInUser, "id">;
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
  user: SignedInUser | null;
  sessionId: string | null;
  /** Set-Cookie for a renewed or cleared session, to add to the response. */
  setCookie: string | null;
}

/** Reads and validates the session cookie once per request (HTTP server): one query, see OneQuerySessions. */
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

/** The session id a request carries in its cookie (not yet validated). */
export function sessionIdOf(request: Request): string | null {
  return getLucia().readSessionCookie(request.headers.get("Cookie") ?? "");
}

type ArgsWithContext = { request: Request; context: AppLoadContext };

export function getUser({ context }: ArgsWithContext): SignedInUser | null {
  return context.auth?.user ?? null;
}

/** Signed-in user, or a redirect to the sign-in page that comes back here. */
export function requireUser(args: ArgsWithContext): SignedInUser {
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

// C0 controls, DEL and C1 controls: browsers drop tabs and newlines from URLs
// (so "/\t/evil.example" becomes "//evil.example"), and a newline in a
// Location header makes the response fail.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f-\u009f]/;

/**
 * Where to send someone after sign-in: only a path on this app. The target is
 * resolved against the app's origin the way a browser would resolve it, and
 * kept only when the result has that same origin; what is returned is the
 * resolved path, never the raw input.
 */
export function safeRedirectPath(
  target: FormDataEntryValue | string | null | undefined,
  appOrigin: string,
  fallback = "/",
): string {
  if (typeof target !== "string" || !target.startsWith("/") || CONTROL_CHARACTERS.test(target)) return fallback;
  let base: URL;
  let resolved: URL;
  try {
    base = new URL(appOrigin);
    resolved = new URL(target, base);
  } catch {
    return fallback;
  }
  if (resolved.origin !== base.origin) return fallback;
  const path = resolved.pathname + resolved.search + resolved.hash;
  // "/.//evil.example" resolves here to the path "//evil.example", which a
  // browser would read as another host: the path must stand on its own too.
  return new URL(path, base).origin === base.origin ? path : fallback;
}
