// The page a person opens from the password-reset link an admin gave them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { completePasswordReset, inspectPasswordReset, PASSWORD_RESET_HOURS } from "~/auth/invitation.server";
import { oneTimeLinkAction, oneTimeLinkLoader, type LinkProblemMessages } from "~/auth/one-time-link-page.server";
import { SetPasswordForm } from "~/auth/set-password-form";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Choose a new password · Surge" }];

const MESSAGES: LinkProblemMessages = {
  unknown: "This password reset link is not valid. Check that you copied the whole link, or ask an administrator for a new one.",
  used: "This password reset link has already been used. Sign in with your new password, or ask an administrator for a new link.",
  expired: `This password reset link has expired (links last ${PASSWORD_RESET_HOURS} hours). Ask an administrator for a new one.`,
  revoked: "This password reset link was replaced by a newer one. Use the latest link you were sent.",
  signed_up: "This password reset link is not valid. Ask an administrator for a new one.",
};

export function loader(args: LoaderFunctionArgs) {
  return oneTimeLinkLoader(args, (token) => inspectPasswordReset(token), MESSAGES);
}

export function action(args: ActionFunctionArgs) {
  return oneTimeLinkAction(args, (token, password) => completePasswordReset(token, password), MESSAGES);
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
