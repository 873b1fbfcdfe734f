import { Form } from "@remix-run/react";
import { setPasswordSchema } from "./auth-forms";
import { CsrfInput } from "./csrf-input";
import { ErrorSummary, FieldErrorSummary } from "~/forms/error-summary";
import { Field, useValidatedForm } from "~/forms/validated-form";

/** The new-password form of the invitation and password-reset pages. */
export function SetPasswordForm({
  serverErrors,
  formError,
  submitLabel,
}: {
  serverErrors: Record<string, string | undefined>;
  formError: string | null;
  submitLabel: string;
}) {
  const { register, formState, onSubmit, fieldError } = useValidatedForm(setPasswordSchema, { serverErrors });
  return (
    <>
      {formError ? (
        <ErrorSummary focusKey={formError}>
          <p>{formError}</p>
        </ErrorSummary>
      ) : null}
      <Form method="post" noValidate onSubmit={onSubmit}>
        <CsrfInput />
        <FieldErrorSummary
          errors={{ password: fieldError("password"), confirm: fieldError("confirm") }}
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
          error={fieldError("password")}
        />
        <Field
          label="Type the password again"
          type="password"
          autoComplete="new-password"
          registration={register("confirm")}
          error={fieldError("confirm")}
        />
        <button type="submit" className="primary">
          {submitLabel}
        </button>
      </Form>
    </>
  );
}
