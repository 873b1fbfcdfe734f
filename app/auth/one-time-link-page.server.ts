import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { readValidatedForm } from "~/forms/form-submission.server";
import { setPasswordSchema } from "./auth-forms";
import { signedInHeaders } from "./csrf.server";
import type { InvitationState } from "./invitation.server";
import { startSession } from "./session.server";

// The loader and action of a page opened from a one-time link that sets a
// password (an invitation, a password reset): the link is checked when the
// page opens and again when the password is sent, and a used link signs the
// person in. The pages differ only in their wording.

export type LinkProblemMessages = Record<Exclude<InvitationState["state"], "valid">, string>;

type CheckLink = (token: string) => Promise<InvitationState>;
type RedeemLink = (token: string, password: string) => Promise<InvitationState>;

export async function oneTimeLinkLoader({ params }: LoaderFunctionArgs, inspect: CheckLink, messages: LinkProblemMessages) {
  const found = await inspect(params.token ?? "");
  if (found.state !== "valid") return data({ problem: messages[found.state], name: null }, { status: 410 });
  return { problem: null, name: found.user.name };
}

export async function oneTimeLinkAction({ request, params }: ActionFunctionArgs, redeem: RedeemLink, messages: LinkProblemMessages) {
  const submission = await readValidatedForm(request, setPasswordSchema);
  if (!submission.ok) return submission.response;
  const result = await redeem(params.token ?? "", submission.value.password);
  if (result.state !== "valid") return data({ formError: messages[result.state] }, { status: 410 });
  // Using the link ended the person's other sessions; this one starts fresh.
  const cookie = await startSession(result.user.id);
  return redirect("/", { headers: await signedInHeaders(cookie) });
}
