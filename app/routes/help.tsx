// The help inbox of the experienced agents: questions volunteers (and
// colleagues) asked on a case without escalating it, oldest first with their
// age. The answer is written into the case as an internal note; the case
// stays with the person who asked.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useRevalidator } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { ageLabel } from "~/escalation/escalation";
import { answerForm } from "~/escalation/escalation-forms";
import { EscalationError } from "~/escalation/escalation.server";
import { answerQuestion, helpInbox } from "~/escalation/help-inbox.server";
import { ErrorSummary } from "~/forms/error-summary";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { useLiveEvents } from "~/live/use-live-events";
import { requireAbility } from "~/permissions/guard.server";
import { formatUtc } from "~/reference/utc-time";

export const meta: MetaFunction = () => [{ title: "Help inbox · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "update", "HelpQuestion");
  return { ...(await helpInbox()), now: new Date().toISOString() };
}

type Result = { ok: true; notice: string } | { ok: false; questionId: string; fieldErrors: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "HelpQuestion");
  const values = formValues(await readForm(args.request));
  const questionId = typeof values.questionId === "string" ? values.questionId : "";
  const parsed = answerForm.safeParse(values);
  if (!parsed.success) return data<Result>({ ok: false, questionId, fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  try {
    await answerQuestion(user, parsed.data.questionId, parsed.data.answer);
    return data<Result>({ ok: true, notice: "Answered: the colleague sees your answer as a note on the case." });
  } catch (error) {
    if (error instanceof EscalationError) return data<Result>({ ok: false, questionId, fieldErrors: { [error.field]: error.message } }, { status: error.status });
    throw error;
  }
}

export default function HelpInbox() {
  const { waiting, answered, now } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  const revalidator = useRevalidator();
  // A new question (a case_updated event) shows up without a reload.
  useLiveEvents((event) => {
    if (event.kind === "case_updated" || event.kind === "resync") revalidator.revalidate();
  });
  const at = new Date(now);
  return (
    <section aria-labelledby="help-title">
      <h1 id="help-title">Help inbox</h1>
      <p>Questions on cases that stay with the colleague who asked. Your answer appears in the case as an internal note.</p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.notice}
        </p>
      ) : null}
      <h2>Waiting for an answer ({waiting.length})</h2>
      {waiting.length === 0 ? (
        <p>No question is waiting.</p>
      ) : (
        <ol className="help-questions">
          {waiting.map((q) => (
            <li key={q.id}>
              <p>
                <strong>Waiting {ageLabel(new Date(q.createdAt), at)}</strong> · {q.askedBy.name} on{" "}
                <Link to={`/cases/${q.case.id}`}>
                  case #{q.case.number} ({q.case.subject})
                </Link>
              </p>
              <blockquote>{q.question}</blockquote>
              <Form method="post">
                <CsrfInput />
                <input type="hidden" name="questionId" value={q.id} />
                {result && !result.ok && result.questionId === q.id ? (
                  <ErrorSummary focusKey={result} id={`answer-${q.id}-errors`}>
                    {Object.values(result.fieldErrors).map((message) => (
                      <p key={message}>{message}</p>
                    ))}
                  </ErrorSummary>
                ) : null}
                <div className="field">
                  <label htmlFor={`answer-${q.id}`}>Answer to {q.askedBy.name}</label>
                  <textarea id={`answer-${q.id}`} name="answer" rows={2} maxLength={2000} required />
                </div>
                <button type="submit" disabled={busy}>
                  Send answer
                </button>
              </Form>
            </li>
          ))}
        </ol>
      )}
      <h2>Answered lately</h2>
      {answered.length === 0 ? (
        <p>Nothing answered yet.</p>
      ) : (
        <ul>
          {answered.map((q) => (
            <li key={q.id}>
              {q.askedBy.name} on <Link to={`/cases/${q.case.id}`}>case #{q.case.number}</Link>: &ldquo;{q.question}&rdquo; · answered by {q.answeredBy?.name ?? "an expert"},{" "}
              {formatUtc(q.answeredAt)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
