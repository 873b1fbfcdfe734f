// The address people reach Surge at. Behind a TLS-terminating proxy the
// request the app sees says http://internal-host; SURGE_PUBLIC_ORIGIN says
// https://surge.example.org, and the app then builds its URLs (links in
// invitations, redirects) and checks the Origin of posted forms against it.

/** SURGE_PUBLIC_ORIGIN as an origin ("https://host[:port]"), or null when unset. */
export function configuredPublicOrigin(value = process.env.SURGE_PUBLIC_ORIGIN): URL | null {
  if (!value?.trim()) return null;
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw new Error(`SURGE_PUBLIC_ORIGIN must be an origin such as https://surge.example.org, not "${value}".`);
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.pathname !== "/" || url.search || url.hash || url.username) {
    throw new Error(`SURGE_PUBLIC_ORIGIN must be an origin such as https://surge.example.org (no path), not "${value}".`);
  }
  return url;
}
