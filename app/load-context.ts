import type { AuthContext } from "~/auth/session.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: AuthContext;
    /** The client's address (Express's req.ip: behind a proxy, see SURGE_TRUST_PROXY). */
    clientAddress?: string | null;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
