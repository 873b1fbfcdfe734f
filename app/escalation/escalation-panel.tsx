// The case page's escalation section: the case's hops (reason, note, advice),
// the escalate form (a refused gesture prefilled), the expert's actions and
// the questions to the help inbox. The server decides what is offered (the
// `may` flags mirror the ability); every post is checked again there.
import { Form, useNavigation } from "@remix-run/react";
import { useId } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { formatGestureAmount, GESTURE_LABELS, isGestureType } from "~/gestures/limits";
import { formatUtc } from "~/reference/utc-time";
import { ageLabel, OUTCOME_LABELS } from "./escalation";

type When = string | Date | null;

export interface EscalationPanelProps {
  caseId: string;
  escalation: {
    levelName: string | null;
    hops: {
      id: string; reason: string; automatic: boolean; note: string | null; fromName: string; toName: string; gestureType: string | null;
      gestureAmount: number | null; status: string; outcome: string | null; advice: string | null; createdAt: When; raisedBy: string | null;
      expert: { name: string } | null;
    }[];
    reasons: { id: string; label: string }[];
    targetName: string | null;
    prefill: { type: string; amount: string; reason: string } | null;
    questions: { id: string; question: string; createdAt: When; answeredAt: When; askedBy: { name: string }; answeredBy: { name: string } | null }[];
    readOnly: boolean;
    may: { escalate: boolean; advise: boolean; ask: boolean };
  };
  result: { ok: true; notice: string } | { ok: false; intent: string; fieldErrors: Record<string, string> } | null;
}

function gestureText(type: string | null, amount: number | null) {
  if (!type || amount === null || !isGestureType(type)) return null;
  return `${formatGestureAmount(type, amount)} (${GESTURE_LABELS[type].name.toLowerCase()})`;
}

export function EscalationPanel({ caseId, escalation: e, result }: EscalationPanelProps) {
  const ids = useId();
  const busy = useNavigation().state === "submitting";
  const errors = result && !result.ok ? result : null;
  const errorsFor = (intent: string) =>
    errors?.intent === intent ? (
      <ErrorSummary focusKey={errors} id={`${ids}-${intent}-errors`}>
        {Object.values(errors.fieldErrors).map((message) => (
          <p key={message}>{message}</p>
        ))}
      </ErrorSummary>
    ) : null;
  const now = new Date();
  const prefillNote = e.prefill ? `Gesture above my limit: ${e.prefill.type.replace("_", " ")} ${e.prefill.amount}. ${e.prefill.reason}`.trim() : "";

  return (
    <>
      {e.readOnly ? (
        <p className="notice" role="status">
          You escalated this case: you can read it here, but it is no longer yours to work on. Its outcome and the expert&apos;s advice appear under My escalations.
        </p>
      ) : null}

      {e.hops.length ? (
        <section aria-labelledby={`${ids}-hops`} className="escalation-hops" id="escalation">
          <h2 id={`${ids}-hops`}>Escalation{e.levelName ? `: now with ${e.levelName.toLowerCase()}` : ""}</h2>
          <ol>
            {e.hops.map((hop) => (
              <li key={hop.id}>
                <p>
                  <strong>{hop.reason}</strong> · {hop.fromName} to {hop.toName} · {hop.automatic ? "automatic" : `by ${hop.raisedBy ?? "a former colleague"}`},{" "}
                  {formatUtc(hop.createdAt)}
                </p>
                {hop.note ? <p className="entry-body">Note for the expert: {hop.note}</p> : null}
                {gestureText(hop.gestureType, hop.gestureAmount) ? <p>Gesture asked for: {gestureText(hop.gestureType, hop.gestureAmount)}</p> : null}
                <p>
                  {hop.outcome ? OUTCOME_LABELS[hop.outcome as keyof typeof OUTCOME_LABELS] : hop.status === "taken" ? "Taken by an expert" : "Waiting for an expert"}
                  {hop.expert ? ` (${hop.expert.name})` : ""}
                </p>
                {hop.advice ? <p className="entry-body">Advice: {hop.advice}</p> : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}

      {e.may.advise ? (
        <section aria-labelledby={`${ids}-expert`} className="expert-panel">
          <h2 id={`${ids}-expert`}>Work this escalation</h2>
          <p>Take it over: reply and resolve it yourself with the forms on this page. Or give it back:</p>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="hand_back" />
            {errorsFor("hand_back")}
            <div className="field">
              <label htmlFor={`${ids}-advice`}>Advice for the colleague who escalated</label>
              <textarea id={`${ids}-advice`} name="advice" rows={3} maxLength={2000} required />
            </div>
            <p className="hint">The case returns to them if they are online, otherwise to the queue as a simple case.</p>
            <button type="submit" className="primary" disabled={busy}>
              Hand back with advice
            </button>
          </Form>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="return_simple" />
            {errorsFor("return_simple")}
            <div className="field">
              <label htmlFor={`${ids}-simple`}>Why it is simple after all</label>
              <input id={`${ids}-simple`} name="reason" maxLength={500} required />
            </div>
            <button type="submit" disabled={busy}>
              Reclassify as simple and return to the queue
            </button>
          </Form>
        </section>
      ) : null}

      {e.may.escalate ? (
        <section aria-labelledby={`${ids}-escalate`} className="escalate-panel" id="escalate">
          <h2 id={`${ids}-escalate`}>
            {e.may.advise ? "Escalate further" : "Escalate"} to {e.targetName?.toLowerCase()}
          </h2>
          <Form method="post" action={`/cases/${caseId}`}>
            <CsrfInput />
            <input type="hidden" name="intent" value="escalate" />
            {e.prefill ? (
              <>
                <input type="hidden" name="gestureType" value={e.prefill.type} />
                <input type="hidden" name="gestureAmount" value={e.prefill.amount} />
                <p className="notice">This escalation asks for the gesture you could not give: {e.prefill.type.replace("_", " ")} {e.prefill.amount}.</p>
              </>
            ) : null}
            {errorsFor("escalate")}
            <div className="field">
              <label htmlFor={`${ids}-reason`}>Reason</label>
              <select id={`${ids}-reason`} name="reasonCode" required defaultValue={e.prefill ? "compensation_above_limit" : ""}>
                <option value="" disabled>
                  Choose a reason
                </option>
                {e.reasons.map((reason) => (
                  <option key={reason.id} value={reason.id}>
                    {reason.label}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${ids}-note`}>Note for the expert</label>
              <textarea id={`${ids}-note`} name="note" rows={3} maxLength={2000} required defaultValue={prefillNote} />
            </div>
            <p className="hint">The case leaves you (your slot is freed); you can still read it from My escalations.</p>
            <button type="submit" className={e.prefill ? "primary" : undefined} disabled={busy}>
              Escalate the case
            </button>
          </Form>
        </section>
      ) : null}

      {e.may.ask || e.questions.length ? (
        <section aria-labelledby={`${ids}-ask`} className="ask-panel">
          <h2 id={`${ids}-ask`}>Ask an expert</h2>
          {e.questions.length ? (
            <ul aria-label="Questions on this case">
              {e.questions.map((q) => (
                <li key={q.id}>
                  &ldquo;{q.question}&rdquo; by {q.askedBy.name} ·{" "}
                  {q.answeredAt ? `answered by ${q.answeredBy?.name ?? "an expert"} (see the note)` : `waiting for ${ageLabel(new Date(q.createdAt ?? now), now)}`}
                </li>
              ))}
            </ul>
          ) : null}
          {e.may.ask ? (
            <Form method="post">
              <CsrfInput />
              <input type="hidden" name="intent" value="ask" />
              {errorsFor("ask")}
              <div className="field">
                <label htmlFor={`${ids}-question`}>Question (the case stays yours)</label>
                <textarea id={`${ids}-question`} name="question" rows={2} maxLength={2000} required />
              </div>
              <button type="submit" disabled={busy}>
                Ask the experienced agents
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </>
  );
}
