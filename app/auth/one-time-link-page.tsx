import { useActionData, useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { actionErrors } from "~/forms/action-errors";
import { Notice } from "~/forms/notice";
import type { oneTimeLinkAction, oneTimeLinkLoader } from "./one-time-link-page.server";
import { SetPasswordForm } from "./set-password-form";

/**
 * The page of a one-time link that sets a password (an invitation, a password
 * reset): what is wrong with the link, or the new-password form. The pages
 * differ only in their wording.
 */
export function OneTimeLinkPage({
  titleId,
  problemTitle,
  title,
  intro,
  submitLabel,
  className,
}: {
  titleId: string;
  /** The heading when the link cannot be used. */
  problemTitle: string;
  /** The heading for the person the link belongs to. */
  title: (name: string | null) => string;
  intro: ReactNode;
  submitLabel: string;
  className?: string;
}) {
  const { problem, name } = useLoaderData<typeof oneTimeLinkLoader>();
  const { fieldErrors, formError } = actionErrors(useActionData<typeof oneTimeLinkAction>());
  if (problem) {
    return (
      <section aria-labelledby={titleId}>
        <h1 id={titleId}>{problemTitle}</h1>
        <Notice tone="error">{problem}</Notice>
      </section>
    );
  }
  return (
    <section aria-labelledby={titleId} className={className}>
      <h1 id={titleId}>{title(name)}</h1>
      {intro}
      <SetPasswordForm serverErrors={fieldErrors} formError={formError} submitLabel={submitLabel} />
    </section>
  );
}
