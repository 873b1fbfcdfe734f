import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { endSession } from "~/auth/session.server";
import { signOutFromRouting } from "~/cases/presence.server";
import { CASE_TAKING_ROLES } from "~/cases/routing";
import { readForm } from "~/forms/form-submission.server";

export function loader() {
  // Signing out changes state, so it is a POST (with a CSRF token) only.
  throw new Response("Sign out with the button in the header.", { status: 405, headers: { Allow: "POST" } });
}

export async function action({ request, context }: ActionFunctionArgs) {
  await readForm(request);
  // An agent who signs out hands back the cases they have not started.
  if (context.auth.user && CASE_TAKING_ROLES.includes(context.auth.user.role)) await signOutFromRouting(context.auth.user.id);
  const cookie = await endSession(context.auth.sessionId);
  return redirect("/login", { headers: { "Set-Cookie": cookie } });
}
