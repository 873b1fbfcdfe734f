import type { AuthContext } from "~/auth/session.server";

declare module "@remix-run/node" {
  interface AppLoadContext {
    auth: AuthContext;
  }
  interface Future {
    v3_singleFetch: true;
  }
}

export {};
