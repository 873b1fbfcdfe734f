import { randomBytes, timingSafeEqual } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { cookieSecrets, secureCookies } from "./secrets.server";

export const CSRF_FIELD = "csrf";

// Double-submit token: a signed, httpOnly cookie and the same value in a
// hidden form field. A cross-site form cannot read the cookie to copy it.
function csrfCookie() {
  return createCookie("surge_csrf", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: secureCookies(),
    secrets: cookieSecrets(),
  });
}

async function readToken(request: Request): Promise<string | null> {
  const value: unknown = await csrfCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" && value.length >= 32 ? value : null;
}

/** The token to render in forms, and a Set-Cookie header when it is new. */
export async function issueCsrfToken(request: Request): Promise<{ token: string; setCookie: string | null }> {
  const existing = await readToken(request);
  if (existing) return { token: existing, setCookie: null };
  const token = randomBytes(32).toString("base64url");
  return { token, setCookie: await csrfCookie().serialize(token) };
}

export class CsrfError extends Error {}

export async function assertValidCsrf(request: Request, formData: FormData): Promise<void> {
  const expected = await readToken(request);
  const given = formData.get(CSRF_FIELD);
  const valid =
    expected !== null &&
    typeof given === "string" &&
    given.length === expected.length &&
    timingSafeEqual(Buffer.from(given), Buffer.from(expected));
  if (!valid) {
    throw new Response("This form has expired or did not come from Surge. Reload the page and try again.", {
      status: 403,
      statusText: "Invalid security token",
    });
  }
}
