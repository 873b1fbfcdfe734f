import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { setPasswordSchema } from "~/auth/auth-forms";
import { CsrfInput } from "~/auth/csrf-input";
import { acceptInvitation, inspectInvitation, INVITATION_HOURS, type InvitationState } from "~/auth/invitation.server";
import { startSession } from "~/auth/session.server";
import { readValidatedForm } from "~/forms/form-submission.server";
import { ErrorSummary, FieldErrorSummary } from "~/forms/error-summary";
import { Field, useValidatedForm } from "~/forms/validated-form";

export const meta: MetaFunction = () => [{ title: "Set your password · Surge" }];

const MESSAGES: Record<Exclude<InvitationState["state"], "valid">, string> = {
  unknown: "This invitation link is not valid. Check that you copied the whole link, or ask your planner for a new one.",
  used: "This invitation link has already been used. Sign in with the password you chose, or ask your planner for a new link.",
  expired: `This invitation link has expired (links last ${INVITATION_HOURS} hours). Ask your planner for a new one.`,
  revoked: "This invitation link was replaced by a newer one. Use the latest link your planner sent you.",
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
  return redirect("/", { headers: { "Set-Cookie": cookie } });
}

export default function AcceptInvitation() {
  const { problem, name } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { register, formState, onSubmit } = useValidatedForm(setPasswordSchema);
  if (problem) {
    return (
      <section aria-labelledby="invite-title">
        <h1 id="invite-title">Invitation link</h1>
        <p className="form-error" role="alert">
          {problem}
        </p>
      </section>
    );
  }
  const serverErrors = actionData && "fieldErrors" in actionData ? actionData.fieldErrors : {};
  const formError = actionData && "formError" in actionData ? actionData.formError : null;
  return (
    <section aria-labelledby="invite-title">
      <h1 id="invite-title">{`Welcome to Surge, ${name}`}</h1>
      <p>Choose a password to finish setting up your account. You will use it with your work email to sign in.</p>
      {formError ? (
        <ErrorSummary focusKey={actionData}>
          <p>{formError}</p>
        </ErrorSummary>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <CsrfInput />
        <FieldErrorSummary
          errors={{ password: formState.errors.password?.message?.toString() ?? serverErrors.password, confirm: formState.errors.confirm?.message?.toString() ?? serverErrors.confirm }}
          labels={{ password: "New password", confirm: "Type the password again" }}
          submitCount={formState.submitCount}
          serverErrors={serverErrors}
        />
        <Field
          label="New password"
          type="password"
          autoComplete="new-password"
          hint="At least 12 characters. A few unrelated words work well."
          registration={register("password")}
          error={formState.errors.password?.message?.toString() ?? serverErrors.password}
        />
        <Field
          label="Type the password again"
          type="password"
          autoComplete="new-password"
          registration={register("confirm")}
          error={formState.errors.confirm?.message?.toString() ?? serverErrors.confirm}
        />
        <button type="submit" className="primary">
          Set password and sign in
        </button>
      </Form>
    </section>
  );
}
