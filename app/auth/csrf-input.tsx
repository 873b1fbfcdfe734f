import { useRouteLoaderData } from "@remix-run/react";

/** Hidden field carrying the CSRF token; every state-changing form renders it. */
export function CsrfInput() {
  const root = useRouteLoaderData<{ csrfToken: string }>("root");
  return <input type="hidden" name="csrf" value={root?.csrfToken ?? ""} />;
}
