// The page a person opens from the password-reset link an admin gave them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { setPasswordSchema } from "~/auth/auth-forms";
import { signedInHeaders } from "~/auth/csrf.server";
import { completePasswordReset, inspectPasswordReset, PASSWORD_RESET_HOURS, type InvitationState } from "~/auth/invitation.server";
import { startSession } from "~/auth/session.server";
import { SetPasswordForm } from "~/auth/set-password-form";
import { readValidatedForm } from "~/forms/form-submission.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Surge" }];

const MESSAGES: Record<Exclude<InvitationState["state"], "valid">, string> = {
  unknown: "This password reset link is not valid. Check that you copied the whole link, or ask an administrator for a new one.",
  used: "This password reset link has already been used. Sign in with your new password, or ask an administrator for a new link.",
  expired: `This password reset link has expired (links last ${PASSWORD_RESET_HOURS} hours). Ask an administrator for a new one.`,
  revoked: "This password reset link was replaced by a newer one. Use the latest link you were sent.",
  signed_up: "This password reset link is not valid. Ask an administrator for a new one.",
};

export async function loader({ params }: LoaderFunctionArgs) {
  const found = await inspectPasswordReset(params.token ?? "");
  if (found.state !== "valid") return data({ problem: MESSAGES[found.state], name: null }, { status: 410 });
  return { problem: null, name: found.user.name };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const submission = await readValidatedForm(request, setPasswordSchema);
  if (!submission.ok) return submission.response;
  const result = await completePasswordReset(params.token ?? "", submission.value.password);
  if (result.state !== "valid") return data({ formError: MESSAGES[result.state] }, { status: 410 });
  // Every earlier session ended with the reset; this one starts fresh.
  const cookie = await startSession(result.user.id);
  return redirect("/", { headers: await signedInHeaders(cookie) });
}

export default function ResetPassword() {
  const { problem, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  if (problem) {
    return (
      <section aria-labelledby="reset-title">
        <h1 id="reset-title">Password reset link</h1>
        <Notice tone="error">
          {problem}
        </Notice>
      </section>
    );
  }
  const serverErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : {};
  const formError = actionData && "formError" in actionData ? actionData.formError : null;
  return (
    <section aria-labelledby="reset-title" className="narrow">
      <h1 id="reset-title">{`Choose a new password, ${name}`}</h1>
      <p>
        Your old password stops working when you save the new one, and every device where you were signed in is signed
        out.
      </p>
      <SetPasswordForm serverErrors={serverErrors} formError={formError} submitLabel="Save new password and sign in" />
    </section>
  );
}
