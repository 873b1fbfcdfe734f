import { data } from "@remix-run/node";
import type { z } from "zod";
import { assertValidCsrf } from "~/auth/csrf.server";
import { textProblem } from "~/forms/text-rule";
import { BodyTooLargeError, MAX_FORM_BYTES, payloadTooLarge, readFormBody } from "~/server/request-body.server";

export { MAX_FORM_BYTES };

export type FieldErrors = Record<string, string>;

function badRequest(message: string): Response {
  return new Response(message, { status: 400, statusText: "Bad Request" });
}

/**
 * Reads a posted form safely: wrong encodings and bodies over MAX_FORM_BYTES
 * (counted as they stream) become a 4xx (never a 500), and the CSRF token is checked before anything else.
 */
export async function readForm(request: Request): Promise<FormData> {
  const type = request.headers.get("Content-Type") ?? "";
  if (!type.startsWith("application/x-www-form-urlencoded") && !type.startsWith("multipart/form-data")) {
    throw new Response("Send this form as application/x-www-form-urlencoded or multipart/form-data.", {
      status: 415,
      statusText: "Unsupported Media Type",
    });
  }
  let form: FormData;
  try {
    form = await readFormBody(request, MAX_FORM_BYTES);
  } catch (error) {
    if (error instanceof BodyTooLargeError) throw payloadTooLarge("This form is too large.");
    throw badRequest("The form could not be read. Reload the page and try again.");
  }
  await assertValidCsrf(request, form);
  // Every field of every form goes through the one text rule (names get the stricter kind in their schemas).
  for (const [key, value] of form) {
    const problem = typeof value === "string" ? (textProblem(key) ?? textProblem(value)) : null;
    if (problem) throw badRequest(`The field "${key.slice(0, 40)}" ${problem}. Remove it and try again.`);
  }
  return form;
}

/** Turns zod issues into one message per field, as the form shows them. */
export function fieldErrorsFrom(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "form";
    errors[key] ??= issue.message;
  }
  return errors;
}

/** Values of a form as a plain object; repeated names become arrays. */
export function formValues(form: FormData): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const key of new Set(form.keys())) {
    const all = form.getAll(key).map((value) => (typeof value === "string" ? value : value.name));
    values[key] = all.length === 1 ? all[0] : all;
  }
  return values;
}

export type FormResult<T> = { ok: true; value: T } | { ok: false; response: ReturnType<typeof data<{ fieldErrors: FieldErrors }>> };

export async function readValidatedForm<S extends z.ZodType>(request: Request, schema: S): Promise<FormResult<z.output<S>> & { form: FormData }> {
  const form = await readForm(request);
  const parsed = schema.safeParse(formValues(form));
  if (parsed.success) return { ok: true, value: parsed.data, form };
  return { ok: false, form, response: data({ fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 }) };
}
