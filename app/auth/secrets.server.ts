// Cookie signing secrets: SESSION_SECRET, comma-separated to rotate (the first
// signs, all verify). `npm start` creates one for the embedded demo.
export function cookieSecrets(): string[] {
  const configured = process.env.SESSION_SECRET?.split(",").map((s) => s.trim()).filter(Boolean);
  if (!configured?.length) throw new Error("SESSION_SECRET is not set.");
  return configured;
}

/**
 * Secure (HTTPS-only) cookies unless SURGE_COOKIE_SECURE=0, which the embedded
 * demo sets because it serves plain http://localhost.
 */
export function secureCookies(): boolean {
  return process.env.SURGE_COOKIE_SECURE !== "0";
}
