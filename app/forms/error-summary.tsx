import { useEffect, useRef, type ReactNode } from "react";

/**
 * What went wrong with a submitted form. It takes the keyboard focus each time
 * it appears or a new submit fails (`focusKey` changes), so keyboard and
 * screen-reader users land on the list of problems, not on some field.
 */
export function ErrorSummary({ id, focusKey, children }: { id?: string; focusKey: unknown; children: ReactNode }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
  }, [focusKey]);
  return (
    <div id={id} ref={ref} className="form-error" role="alert" tabIndex={-1}>
      {children}
    </div>
  );
}

/**
 * The summary for a form of labelled fields: "2 fields need attention" and
 * each field's message, shown once the form was submitted (or the server
 * refused it). The focus moves to it on each failed submit.
 */
export function FieldErrorSummary({
  errors,
  labels,
  submitCount,
  serverErrors = {},
}: {
  errors: Record<string, string | undefined>;
  labels: Record<string, string>;
  submitCount: number;
  serverErrors?: Record<string, string | undefined>;
}) {
  const entries = Object.keys(labels)
    .map((field) => [field, errors[field]] as const)
    .filter((entry): entry is readonly [string, string] => Boolean(entry[1]));
  const fromServer = Object.values(serverErrors).some(Boolean);
  if (entries.length === 0 || (submitCount === 0 && !fromServer)) return null;
  return (
    <ErrorSummary focusKey={`${submitCount}:${JSON.stringify(serverErrors)}`}>
      <p>{entries.length === 1 ? "One field needs attention:" : `${entries.length} fields need attention:`}</p>
      <ul>
        {entries.map(([field, message]) => (
          <li key={field}>
            {labels[field]}: {message}
          </li>
        ))}
      </ul>
    </ErrorSummary>
  );
}
