import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { cookieSecrets, secureCookies } from "./secrets.server";
import { sessionIdOf } from "./session.server";

export const CSRF_FIELD = "csrf";

// Signed in, the token is an HMAC of the session id: it belongs to that one
// session, dies with it and is new after every sign-in, and nothing needs
// storing. Signed out (sign-in, invitation and reset pages) it is a
// double-submit token: a signed, httpOnly cookie and the same value in a
// hidden form field, which a cross-site form cannot read to copy.
function csrfCookie() {
  return createCookie("surge_csrf", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookies(),
    secrets: cookieSecrets(),
  });
}

function sessionTokens(sessionId: string): string[] {
  // Every configured secret verifies, so rotating SESSION_SECRET keeps open forms working.
  return cookieSecrets().map((secret) => createHmac("sha256", secret).update(`surge-csrf\0${sessionId}`).digest("base64url"));
}

async function readCookieToken(request: Request): Promise<string | null> {
  const value: unknown = await csrfCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/**
 * The token to render in forms, and a Set-Cookie header when it is new.
 * `sessionId` is the request's validated session (null when signed out).
 */
export async function issueCsrfToken(request: Request, sessionId: string | null): Promise<{ token: string; setCookie: string | null }> {
  if (sessionId) return { token: sessionTokens(sessionId)[0]!, setCookie: null };
  const existing = await readCookieToken(request);
  if (existing) return { token: existing, setCookie: null };
  return freshSignedOutToken();
}

async function freshSignedOutToken(): Promise<{ token: string; setCookie: string }> {
  const token = randomBytes(32).toString("base64url");
  return { token, setCookie: await csrfCookie().serialize(token) };
}

/**
 * Headers for the response that starts a session: the session cookie and a
 * new signed-out token, so no token from before the sign-in is ever valid again.
 */
export async function signedInHeaders(sessionCookie: string): Promise<Headers> {
  const headers = new Headers();
  headers.append("Set-Cookie", sessionCookie);
  headers.append("Set-Cookie", (await freshSignedOutToken()).setCookie);
  return headers;
}

function sameToken(given: string, expected: string): boolean {
  return given.length === expected.length && timingSafeEqual(Buffer.from(given), Buffer.from(expected));
}

export async function assertValidCsrf(request: Request, formData: FormData): Promise<void> {
  const given = formData.get(CSRF_FIELD);
  // The session the browser sent decides which kind of token is expected; an
  // unknown or expired one is refused later by the route's own sign-in check.
  const sessionId = sessionIdOf(request);
  const expected = sessionId ? sessionTokens(sessionId) : [await readCookieToken(request)].filter((t) => t !== null);
  const valid = typeof given === "string" && expected.some((token) => sameToken(given, token));
  if (!valid) {
    throw new Response("This form has expired or did not come from Surge. Reload the page and try again.", {
      status: 403,
      statusText: "Invalid security token",
    });
  }
}
