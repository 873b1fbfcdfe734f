// What an action answered when it refused a form: `{ fieldErrors }` (per
// field, as readValidatedForm or a domain refusal returns them) and/or
// `{ formError }` (about the whole form). Pages read both the same way.

export interface ActionErrors {
  fieldErrors: Record<string, string | undefined>;
  formError: string | null;
}

export function actionErrors(result: object | null | undefined): ActionErrors {
  const answer = (result ?? {}) as { fieldErrors?: Record<string, string | undefined>; formError?: unknown };
  return { fieldErrors: answer.fieldErrors ?? {}, formError: typeof answer.formError === "string" ? answer.formError : null };
}
