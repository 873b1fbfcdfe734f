import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { signInSchema } from "~/auth/auth-forms";
import { CsrfInput } from "~/auth/csrf-input";
import { signedInHeaders } from "~/auth/csrf.server";
import { getUser, safeRedirectPath } from "~/auth/session.server";
import { signIn } from "~/auth/sign-in.server";
import { actionErrors } from "~/forms/action-errors";
import { readValidatedForm } from "~/forms/form-submission.server";
import { ErrorSummary, FieldErrorSummary } from "~/forms/error-summary";
import { Field, useValidatedForm } from "~/forms/validated-form";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Sign in · Surge" }];

// Retry-After from a refused sign-in reaches the rendered page.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const headers = new Headers();
  const retryAfter = actionHeaders.get("Retry-After");
  if (retryAfter) headers.set("Retry-After", retryAfter);
  return headers;
};

export function loader(args: LoaderFunctionArgs) {
  if (getUser(args)) throw redirect("/");
  return null;
}

const INVALID = "That email and password do not match an account. Check both and try again.";

export async function action(args: ActionFunctionArgs) {
  const submission = await readValidatedForm(args.request, signInSchema);
  if (!submission.ok) return submission.response;
  const { email, password, redirectTo } = submission.value;
  // Checked before signing in: a bad target falls back to the home page.
  const destination = safeRedirectPath(redirectTo, new URL(args.request.url).origin);
  const result = await signIn(email, password, args.context.clientAddress ?? null);
  if (result.ok) {
    return redirect(destination, { headers: await signedInHeaders(result.setCookie) });
  }
  if (result.reason === "rate_limited") {
    const seconds = Math.max(1, Math.ceil((result.retryAt.getTime() - Date.now()) / 1000));
    const wait = seconds < 120 ? `${seconds} second${seconds === 1 ? "" : "s"}` : `${Math.ceil(seconds / 60)} minutes`;
    return data(
      { formError: `Too many failed sign-in attempts. Wait ${wait}, then try again.` },
      { status: 429, headers: { "Retry-After": String(seconds) } },
    );
  }
  return data({ formError: INVALID }, { status: 401 });
}

export default function Login() {
  const actionData = useActionData<typeof action>();
  const [searchParams] = useSearchParams();
  const navigation = useNavigation();
  const { fieldErrors: serverErrors, formError } = actionErrors(actionData);
  const { register, formState, onSubmit, fieldError } = useValidatedForm(signInSchema, { serverErrors });
  return (
    <section aria-labelledby="login-title" className="narrow">
      <h1 id="login-title">Sign in to Surge</h1>
      {searchParams.get("welcome") ? (
        <Notice tone="success">
          Your password is set. Sign in with it now.
        </Notice>
      ) : null}
      {formError ? (
        <ErrorSummary focusKey={actionData}>
          <p>{formError}</p>
        </ErrorSummary>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <CsrfInput />
        <input type="hidden" name="redirectTo" value={searchParams.get("redirectTo") ?? "/"} />
        <FieldErrorSummary
          errors={{ email: fieldError("email"), password: fieldError("password") }}
          labels={{ email: "Email", password: "Password" }}
          submitCount={formState.submitCount}
          serverErrors={serverErrors}
        />
        <Field
          label="Email"
          type="email"
          autoComplete="username"
          registration={register("email")}
          error={fieldError("email")}
        />
        <Field
          label="Password"
          type="password"
          autoComplete="current-password"
          registration={register("password")}
          error={fieldError("password")}
        />
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {navigation.state === "submitting" ? "Signing in…" : "Sign in"}
        </button>
      </Form>
      <p className="hint">New here? Use the invitation link your planner sent you to set your password.</p>
    </section>
  );
}
