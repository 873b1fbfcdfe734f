import type { ReactNode } from "react";

/** A wide table in a region the keyboard can scroll (focusable, named for screen readers). */
export function ScrollTable({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="table-scroll" role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
