import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { setPasswordSchema } from "~/auth/auth-forms";
import { signedInHeaders } from "~/auth/csrf.server";
import { acceptInvitation, inspectInvitation, INVITATION_HOURS, type InvitationState } from "~/auth/invitation.server";
import { startSession } from "~/auth/session.server";
import { SetPasswordForm } from "~/auth/set-password-form";
import { readValidatedForm } from "~/forms/form-submission.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Set your password · Surge" }];

const MESSAGES: Record<Exclude<InvitationState["state"], "valid">, string> = {
  unknown: "This invitation link is not valid. Check that you copied the whole link, or ask your planner for a new one.",
  used: "This invitation link has already been used. Sign in with the password you chose, or ask your planner for a new link.",
  expired: `This invitation link has expired (links last ${INVITATION_HOURS} hours). Ask your planner for a new one.`,
  revoked: "This invitation link was replaced by a newer one. Use the latest link your planner sent you.",
  signed_up: "This account already has a password, so an invitation cannot set one. Sign in, or ask an administrator to reset a forgotten password.",
};

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await inspectInvitation(params.token ?? "");
  if (found.state !== "valid") return data({ problem: MESSAGES[found.state], name: null }, { status: 410 });
  return { problem: null, name: found.user.name };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = await readValidatedForm(request, setPasswordSchema);
  if (!submission.ok) return submission.response;
  const result = await acceptInvitation(params.token ?? "", submission.value.password);
  if (result.state !== "valid") return data({ formError: MESSAGES[result.state] }, { status: 410 });
  const cookie = await startSession(result.user.id);
  return redirect("/", { headers: await signedInHeaders(cookie) });
}

export default function AcceptInvitation() {
  const { problem, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (problem) {
    return (
      <section aria-labelledby="invite-title">
        <h1 id="invite-title">Invitation link</h1>
        <Notice tone="error">
          {problem}
        </Notice>
      </section>
    );
  }
  const serverErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : {};
  const formError = actionData && "formError" in actionData ? actionData.formError : null;
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{`Welcome to Surge, ${name}`}</h1>
      <p>Choose a password to finish setting up your account. You will use it with your work email to sign in.</p>
      <SetPasswordForm serverErrors={serverErrors} formError={formError} submitLabel="Set password and sign in" />
    </section>
  );
}
