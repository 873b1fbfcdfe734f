// The Content-Security-Policy allows only scripts that carry this request's
// nonce (app/server/http.server.ts makes it; entry.server.tsx provides it).
// In the browser it is not needed after the first render, so it is undefined there.
import { createContext, useContext } from "react";

export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce(): string | undefined {
  return useContext(NonceContext);
}

// Zod (the forms' schemas) probes for `new Function` when it builds an object
// schema, and the browser reports that probe as a CSP violation although Zod
// catches the refusal. z.config() writes to this global object, which Zod reads
// when it loads; the layout sets it in an inline script, which runs before the
// app's modules build any schema.
export const ZOD_WITHOUT_EVAL = "globalThis.__zod_globalConfig = Object.assign(globalThis.__zod_globalConfig || {}, { jitless: true });";
