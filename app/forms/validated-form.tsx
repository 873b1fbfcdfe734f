import { zodResolver } from "@hookform/resolvers/zod";
import { useSubmit } from "@remix-run/react";
import { useId, type FormEvent, type InputHTMLAttributes, type ReactNode } from "react";
import { useForm, type DefaultValues, type FieldValues, type UseFormRegisterReturn } from "react-hook-form";
import type { z } from "zod";

/**
 * react-hook-form with the same zod schema the server uses: errors show as
 * the person types, and a valid form is submitted the Remix way (so it also
 * works, through the server's check, without JavaScript).
 */
export function useValidatedForm<Values extends FieldValues>(
  schema: z.ZodType<Values, FieldValues>,
  options: {
    /**
     * The values the form shows, as the server rendered them. Without them
     * react-hook-form fills fields from what it finds at hydration, which for
     * a group of checkboxes with one name ticks them all.
     */
    defaultValues?: DefaultValues<FieldValues>;
    /** What the server said about each field when it refused the last submit. */
    serverErrors?: Record<string, string | undefined>;
  } = {},
) {
  const submit = useSubmit();
  const form = useForm<FieldValues, unknown, Values>({
    resolver: zodResolver(schema as never) as never,
    mode: "onTouched",
    defaultValues: options.defaultValues,
    // The form's error summary takes the focus (ErrorSummary), not the first field.
    shouldFocusError: false,
  });
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    const target = event.currentTarget;
    void form.handleSubmit(() => submit(target))(event);
  };
  /** A field's message: the browser's check of what is typed now, else the server's answer. */
  const fieldError = (name: Extract<keyof Values, string>): string | undefined =>
    form.formState.errors[name]?.message?.toString() ?? options.serverErrors?.[name];
  return { ...form, onSubmit, fieldError };
}

interface FieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "name"> {
  label: string;
  registration: UseFormRegisterReturn;
  error?: string;
  hint?: ReactNode;
}

/** A labelled input whose error is tied to it and announced to screen readers. */
export function Field({ label, registration, error, hint, ...input }: FieldProps) {
  const id = useId();
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={hintId} className="hint">
          {hint}
        </p>
      ) : null}
      <input id={id} {...input} {...registration} aria-invalid={error ? true : undefined} aria-describedby={describedBy} />
      <p id={errorId} className="field-error" aria-live="polite">
        {error ?? ""}
      </p>
    </div>
  );
}
