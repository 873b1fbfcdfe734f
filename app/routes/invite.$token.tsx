import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { acceptInvitation, inspectInvitation, INVITATION_HOURS } from "~/auth/invitation.server";
import { oneTimeLinkAction, oneTimeLinkLoader, type LinkProblemMessages } from "~/auth/one-time-link-page.server";
import { OneTimeLinkPage } from "~/auth/one-time-link-page";

export const meta: MetaFunction = () => [{ title: "Set your password · Surge" }];

const MESSAGES: LinkProblemMessages = {
  unknown: "This invitation link is not valid. Check that you copied the whole link, or ask your planner for a new one.",
  used: "This invitation link has already been used. Sign in with the password you chose, or ask your planner for a new link.",
  expired: `This invitation link has expired (links last ${INVITATION_HOURS} hours). Ask your planner for a new one.`,
  revoked: "This invitation link was replaced by a newer one. Use the latest link your planner sent you.",
  signed_up: "This account already has a password, so an invitation cannot set one. Sign in, or ask an administrator to reset a forgotten password.",
};

export function loader(args: LoaderFunctionArgs) {
  return oneTimeLinkLoader(args, (token) => inspectInvitation(token), MESSAGES);
}

export function action(args: ActionFunctionArgs) {
  return oneTimeLinkAction(args, (token, password) => acceptInvitation(token, password), MESSAGES);
}

export default function AcceptInvitation() {
  return (
    <OneTimeLinkPage
      titleId="invite-title"
      problemTitle="Invitation link"
      title={(name) => `Welcome to Surge, ${name}`}
      intro={<p>Choose a password to finish setting up your account. You will use it with your work email to sign in.</p>}
      submitLabel="Set password and sign in"
    />
  );
}
