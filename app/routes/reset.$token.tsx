// The page a person opens from the password-reset link an admin gave them.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { completePasswordReset, inspectPasswordReset, PASSWORD_RESET_HOURS } from "~/auth/invitation.server";
import { oneTimeLinkAction, oneTimeLinkLoader, type LinkProblemMessages } from "~/auth/one-time-link-page.server";
import { OneTimeLinkPage } from "~/auth/one-time-link-page";

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
  return (
    <OneTimeLinkPage
      titleId="reset-title"
      problemTitle="Password reset link"
      title={(name) => `Choose a new password, ${name}`}
      intro={
        <p>
          Your old password stops working when you save the new one, and every device where you were signed in is signed
          out.
        </p>
      }
      submitLabel="Save new password and sign in"
      className="narrow"
    />
  );
}
