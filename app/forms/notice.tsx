import type { ReactNode } from "react";

// The answer to an action, as every page shows it. Information and success
// are a status (a screen reader reads them when it is free); an error is an
// alert (read at once). styles.css styles the classes.

export type NoticeTone = "info" | "success" | "error";

const CLASS_NAMES: Record<NoticeTone, string> = { info: "notice", success: "notice success", error: "form-error" };

export function Notice({
  tone = "info",
  block = false,
  id,
  children,
}: {
  tone?: NoticeTone;
  /** A <div> instead of a <p>, for a notice that holds paragraphs, lists or forms. */
  block?: boolean;
  id?: string;
  children: ReactNode;
}) {
  const Element = block ? "div" : "p";
  return (
    <Element className={CLASS_NAMES[tone]} role={tone === "error" ? "alert" : "status"} id={id}>
      {children}
    </Element>
  );
}
