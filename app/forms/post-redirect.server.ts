import { redirect } from "@remix-run/node";

// The one shape of a resource route that takes a plain form POST from a page
// and answers with a redirect back to it (post/redirect/get): the outcome
// travels in the address, a notice for the page, or an error for one of its
// forms, and the page reads it back with readOutcome and shows it with
// <Notice> (app/forms/notice.tsx). Reloading the page repeats nothing.

export type PostOutcome = { notice: string } | { error: string; form: string };

const MAX_OUTCOME_LENGTH = 300;

/** Redirects to `path#section` with the outcome. */
export function redirectWithOutcome(path: string, section: string, outcome: PostOutcome): Response {
  const params = "notice" in outcome ? { notice: outcome.notice } : { [`${outcome.form}Error`]: outcome.error };
  return redirect(`${path}?${new URLSearchParams(params).toString()}#${section}`);
}

/** The outcome in a page's address: the notice, and the error for each of the page's forms (null when none). */
export function readOutcome<Form extends string>(request: Request, forms: readonly Form[]): { notice: string | null; errors: Record<Form, string | null> } {
  const params = new URL(request.url).searchParams;
  const read = (name: string) => params.get(name)?.slice(0, MAX_OUTCOME_LENGTH) ?? null;
  const errors = Object.fromEntries(forms.map((form) => [form, read(`${form}Error`)])) as Record<Form, string | null>;
  return { notice: read("notice"), errors };
}

/** The loader of a resource route that takes POSTs only: there is no page at its address. */
export function noPageHere(): never {
  throw new Response("Not found", { status: 404 });
}
