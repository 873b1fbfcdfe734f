import type { AuthContext } from "~/auth/session.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: AuthContext;
    /** This response's Content-Security-Policy script nonce (set by the HTTP server; absent in in-process tests). */
    cspNonce?: string;
    /** The client's address (Express's req.ip: behind a proxy, see SURGE_TRUST_PROXY). */
    clientAddress?: string | null;
    /** This request's id in the log and in its X-Request-Id header (set by the HTTP server). */
    requestId?: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
