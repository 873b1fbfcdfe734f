// The enrolment form, used to enrol one volunteer and to edit one. The
// browser validates with the shared zod schema (react-hook-form), the server
// runs the same schema on every post, so it also works without JavaScript.
// Errors sit under their field, are tied to it with aria-describedby and are
// announced (aria-live); a summary with role="alert" lists them on submit.
import { Form } from "@remix-run/react";
import { useId, useState, type ReactNode } from "react";
import type { FieldErrors as HookFieldErrors, FieldValues } from "react-hook-form";
import { z } from "zod";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { useValidatedForm } from "~/forms/validated-form";
import { AIRPORTS } from "~/reference/airports";
import { CHANNELS } from "~/reference/channels";
import { LANGUAGE_CODES, LANGUAGES } from "~/reference/languages";
import {
  ENROLMENT_FIELD_LABELS,
  ORIGIN_LABELS,
  PROFICIENCIES,
  VOLUNTEER_ORIGINS,
  volunteerSchema,
  type EnrolmentField,
} from "./volunteer-schema";

/** Blank language rows of the form are dropped, as the server does (volunteer-form-data). */
const clientSchema = z.preprocess((values) => {
  if (!values || typeof values !== "object") return values;
  const record = values as Record<string, unknown>;
  const languages = Array.isArray(record.languages)
    ? (record.languages as { code?: string; proficiency?: string }[]).filter((row) => (row?.code ?? "").trim() || (row?.proficiency ?? "").trim())
    : record.languages;
  const channels = Array.isArray(record.channels) ? record.channels : record.channels ? [record.channels] : [];
  return { ...record, languages, channels };
}, volunteerSchema);

export const LANGUAGE_ROWS = 4;

const TEXT_FIELDS = ["name", "email", "employeeNumber", "origin", "homeBase", "timeZone", "availability", "startDate", "endDate", "notes"] as const;

/** What the form shows: the stored or posted values as text. */
export interface VolunteerFormValues {
  name?: string;
  email?: string;
  employeeNumber?: string;
  origin?: string;
  homeBase?: string;
  timeZone?: string;
  availability?: string;
  startDate?: string;
  endDate?: string;
  notes?: string;
  languages?: { code: string; proficiency: string }[];
  channels?: string[];
}

export type ServerFieldErrors = Partial<Record<EnrolmentField | "form", string>>;

function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const record = error as { message?: unknown };
  if (typeof record.message === "string" && record.message) return record.message;
  for (const value of Object.values(error as Record<string, unknown>)) {
    if (value && typeof value === "object" && value !== error) {
      const found = firstMessage(value);
      if (found) return found;
    }
  }
  return undefined;
}

interface FieldShellProps {
  id: string;
  label: string;
  error?: string;
  hint?: ReactNode;
  children: (describedBy: string | undefined) => ReactNode;
}

function FieldShell({ id, label, error, hint, children }: FieldShellProps) {
  const describedBy = [hint ? `${id}-hint` : null, `${id}-error`].filter(Boolean).join(" ");
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      {hint ? (
        <p id={`${id}-hint`} className="hint">
          {hint}
        </p>
      ) : null}
      {children(describedBy)}
      <p id={`${id}-error`} className="field-error" aria-live="polite">
        {error ?? ""}
      </p>
    </div>
  );
}

export function VolunteerForm({
  values = {},
  serverErrors = {},
  submitLabel,
  intent,
}: {
  values?: VolunteerFormValues;
  serverErrors?: ServerFieldErrors;
  submitLabel: string;
  intent: string;
}) {
  const base = useId();
  const languageRows = Array.from({ length: Math.max(LANGUAGE_ROWS, values.languages?.length ?? 0) }, (_, index) => values.languages?.[index]);
  const { register, formState, onSubmit } = useValidatedForm(clientSchema as unknown as z.ZodType<FieldValues, FieldValues>, {
    defaultValues: {
      ...Object.fromEntries(TEXT_FIELDS.map((field) => [field, values[field] ?? ""])),
      languages: languageRows.map((row) => ({ code: row?.code ?? "", proficiency: row?.proficiency ?? "" })),
      channels: values.channels ?? [],
    },
  });
  const [submitted, setSubmitted] = useState(false);
  const clientErrors = formState.errors as HookFieldErrors;
  const errorFor = (field: EnrolmentField): string | undefined => firstMessage(clientErrors[field]) ?? serverErrors[field];
  const invalid = (field: EnrolmentField) => (errorFor(field) ? true : undefined);
  const id = (field: string) => `${base}-${field}`;
  const summary = [...(Object.keys(ENROLMENT_FIELD_LABELS) as EnrolmentField[])]
    .map((field) => [field, errorFor(field)] as const)
    .filter((entry): entry is readonly [EnrolmentField, string] => Boolean(entry[1]));

  const text = (field: Exclude<EnrolmentField, "languages" | "channels" | "origin">, props: { type?: string; autoComplete?: string; list?: string; hint?: ReactNode } = {}) => (
    <FieldShell id={id(field)} label={ENROLMENT_FIELD_LABELS[field]} error={errorFor(field)} hint={props.hint}>
      {(describedBy) =>
        field === "notes" ? (
          <textarea id={id(field)} rows={3} defaultValue={values.notes ?? ""} aria-invalid={invalid(field)} aria-describedby={describedBy} {...register(field)} />
        ) : (
          <input
            id={id(field)}
            type={props.type ?? "text"}
            autoComplete={props.autoComplete ?? "off"}
            list={props.list}
            defaultValue={values[field] ?? ""}
            aria-invalid={invalid(field)}
            aria-describedby={describedBy}
            {...register(field)}
          />
        )
      }
    </FieldShell>
  );

  return (
    <Form
      method="post"
      noValidate
      data-main-form
      onSubmit={(event) => {
        setSubmitted(true);
        onSubmit(event);
      }}
      aria-describedby={summary.length > 0 ? `${base}-summary` : undefined}
    >
      <CsrfInput />
      <input type="hidden" name="intent" value={intent} />
      {summary.length > 0 && (submitted || Object.keys(serverErrors).length > 0) ? (
        <ErrorSummary id={`${base}-summary`} focusKey={`${formState.submitCount}:${JSON.stringify(serverErrors)}`}>
          <p>
            {summary.length === 1 ? "One field needs attention:" : `${summary.length} fields need attention:`}
          </p>
          <ul>
            {summary.map(([field, message]) => (
              <li key={field}>
                <a href={`#${id(field === "languages" ? "languages-0-code" : field === "channels" ? "channels-0" : field)}`}>
                  {ENROLMENT_FIELD_LABELS[field]}
                </a>
                : {message}
              </li>
            ))}
          </ul>
        </ErrorSummary>
      ) : null}
      {serverErrors.form ? (
        <p className="form-error" role="alert">
          {serverErrors.form}
        </p>
      ) : null}
      {text("name", { autoComplete: "off" })}
      {text("email", { type: "email", hint: "Their work email; the invitation link goes there." })}
      {text("employeeNumber", { hint: "Letters, digits, dots, dashes and slashes." })}
      <FieldShell id={id("origin")} label={ENROLMENT_FIELD_LABELS.origin} error={errorFor("origin")}>
        {(describedBy) => (
          <select id={id("origin")} defaultValue={values.origin ?? ""} aria-invalid={invalid("origin")} aria-describedby={describedBy} {...register("origin")}>
            <option value="">Choose…</option>
            {VOLUNTEER_ORIGINS.map((origin) => (
              <option key={origin} value={origin}>
                {ORIGIN_LABELS[origin]}
              </option>
            ))}
          </select>
        )}
      </FieldShell>
      {text("homeBase", { list: `${base}-airports`, hint: "Three-letter IATA code, such as AMS." })}
      <datalist id={`${base}-airports`}>
        {AIRPORTS.map((airport) => (
          <option key={airport.code} value={airport.code}>
            {airport.city}, {airport.country}
          </option>
        ))}
      </datalist>
      <fieldset aria-describedby={`${id("languages")}-error`}>
        <legend>Languages (at least one)</legend>
        {languageRows.map((row, index) => (
          <div key={index} className="filters">
            <div className="field">
              <label htmlFor={id(`languages-${index}-code`)}>Language {index + 1}</label>
              <select
                id={id(`languages-${index}-code`)}
                defaultValue={row?.code ?? ""}
                aria-invalid={invalid("languages")}
                {...register(`languages.${index}.code`)}
              >
                <option value="">—</option>
                {LANGUAGE_CODES.map((code) => (
                  <option key={code} value={code}>
                    {LANGUAGES[code]} ({code})
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={id(`languages-${index}-proficiency`)}>Proficiency {index + 1}</label>
              <select
                id={id(`languages-${index}-proficiency`)}
                defaultValue={row?.proficiency ?? ""}
                aria-invalid={invalid("languages")}
                {...register(`languages.${index}.proficiency`)}
              >
                <option value="">—</option>
                {PROFICIENCIES.map((proficiency) => (
                  <option key={proficiency} value={proficiency}>
                    {proficiency}
                  </option>
                ))}
              </select>
            </div>
          </div>
        ))}
        <p id={`${id("languages")}-error`} className="field-error" aria-live="polite">
          {errorFor("languages") ?? ""}
        </p>
      </fieldset>
      <fieldset aria-describedby={`${id("channels")}-error`}>
        <legend>Channels they can serve (at least one)</legend>
        {CHANNELS.map((channel, index) => (
          <label key={channel.id} className="checkbox">
            <input
              id={index === 0 ? id("channels-0") : undefined}
              type="checkbox"
              value={channel.id}
              defaultChecked={values.channels?.includes(channel.id) ?? false}
              aria-invalid={invalid("channels")}
              {...register("channels")}
            />{" "}
            {channel.name}
          </label>
        ))}
        <p id={`${id("channels")}-error`} className="field-error" aria-live="polite">
          {errorFor("channels") ?? ""}
        </p>
      </fieldset>
      {text("timeZone", { hint: "IANA name such as Europe/Amsterdam, or UTC." })}
      {text("availability", { hint: "A shift pattern or weekly hours, e.g. “Early shifts” or “24 hours a week”." })}
      {text("startDate", { type: "date" })}
      {text("endDate", { type: "date", hint: "Expected end; not before the start date." })}
      {text("notes")}
      <button type="submit" className="primary">
        {submitLabel}
      </button>
    </Form>
  );
}

/** Server side: the first message per field, as the form shows them. */
export function serverFieldErrors(errors: readonly { field: EnrolmentField; message: string }[]): ServerFieldErrors {
  const result: ServerFieldErrors = {};
  for (const error of errors) result[error.field] ??= error.message;
  return result;
}

/** The posted values back into the form after a refused post (no JavaScript). */
export function formValuesFromPost(form: FormData): VolunteerFormValues {
  const value = (name: string) => {
    const entry = form.get(name);
    return typeof entry === "string" ? entry : undefined;
  };
  const languages: { code: string; proficiency: string }[] = [];
  for (let index = 0; index < 12; index++) {
    const code = value(`languages.${index}.code`);
    const proficiency = value(`languages.${index}.proficiency`);
    if (code === undefined && proficiency === undefined) continue;
    languages.push({ code: code ?? "", proficiency: proficiency ?? "" });
  }
  return {
    name: value("name"),
    email: value("email"),
    employeeNumber: value("employeeNumber"),
    origin: value("origin"),
    homeBase: value("homeBase"),
    timeZone: value("timeZone"),
    availability: value("availability"),
    startDate: value("startDate"),
    endDate: value("endDate"),
    notes: value("notes"),
    languages,
    channels: form.getAll("channels").filter((entry): entry is string => typeof entry === "string"),
  };
}
