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
