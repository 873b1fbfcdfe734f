// The Content-Security-Policy allows only scripts that carry this request's
// nonce (app/server/http.server.ts makes it; entry.server.tsx provides it).
// In the browser it is not needed after the first render, so it is undefined there.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}
