import type { AuthContext } from "~/auth/session.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: AuthContext;
    /** This response's Content-Security-Policy script nonce (set by the HTTP server; absent in in-process tests). */
    cspNonce?: string;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
