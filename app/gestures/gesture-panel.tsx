// The case view's gestures section: what this agent may still give on this
// case, a form to give it, and, when the server refuses (above the limit or
// the daily budget), the offer to escalate the case instead.
import type { GestureType } from "@prisma/client";
import { Link, useNavigate, useRevalidator } from "@remix-run/react";
import { useId, useState, type FormEvent } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import { formatGestureAmount, GESTURE_LABELS } from "./limits";

export interface GesturePanelProps {
  caseId: string;
  options: { type: GestureType; perCaseLimit: number; dailyBudget: number; caseRemaining: number; budgetRemaining: number }[];
  given: { id: string; type: GestureType; amount: number; reason: string; createdAt: string | Date; user: { name: string } }[];
}

type Outcome =
  | { kind: "given" }
  | { kind: "escalated" }
  | { kind: "refused"; message: string; offer?: { type: string; amount: string; reason: string; href: string } }
  | { kind: "invalid"; fieldErrors: Record<string, string> };

export function GesturePanel({ caseId, options, given }: GesturePanelProps) {
  const id = useId();
  const revalidator = useRevalidator();
  const navigate = useNavigate();
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const action = `/cases/${caseId}/gestures`;

  async function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setBusy(true);
    try {
      const response = await fetch(action, { method: "POST", body: new URLSearchParams(new FormData(event.currentTarget) as never), headers: { Accept: "application/json" } });
      const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
      if (response.ok && body.escalated && typeof body.next === "string") {
        // The case left this person: they follow it from "My escalations".
        navigate(`${body.next}?message=${encodeURIComponent("The case was escalated to experienced agents.")}`);
      } else if (response.ok) {
        setOutcome({ kind: body.escalated ? "escalated" : "given" });
        revalidator.revalidate();
      } else if (response.status === 400) {
        setOutcome({ kind: "invalid", fieldErrors: (body.fieldErrors as Record<string, string>) ?? {} });
      } else {
        const offer = (body.escalate as { type: string; amount: string; reason: string; href: string } | undefined) ?? undefined;
        setOutcome({ kind: "refused", message: String(body.error ?? "You may not give this gesture."), offer });
      }
    } finally {
      setBusy(false);
    }
  }

  const errors = outcome?.kind === "invalid" ? outcome.fieldErrors : {};
  return (
    <section aria-labelledby={`${id}-title`} id="gestures">
      <h2 id={`${id}-title`}>Gestures</h2>
      {options.length === 0 ? (
        <p>Your role has no gestures to give without approval. Escalate the case if the customer needs one.</p>
      ) : (
        <>
          {/* Focusable: in the console's narrow column this table may scroll sideways. */}
          <div className="table-scroll" role="region" aria-labelledby={`${id}-limits`} tabIndex={0}>
            <table>
              <caption id={`${id}-limits`}>What you may still give on this case</caption>
              <thead>
                <tr>
                  <th scope="col">Gesture</th>
                  <th scope="col">Left on this case</th>
                  <th scope="col">Left in your budget today</th>
                </tr>
              </thead>
              <tbody>
                {options.map((o) => (
                  <tr key={o.type}>
                    <th scope="row">{GESTURE_LABELS[o.type].name}</th>
                    <td>
                      {formatGestureAmount(o.type, o.caseRemaining)} of {formatGestureAmount(o.type, o.perCaseLimit)}
                    </td>
                    <td>
                      {formatGestureAmount(o.type, o.budgetRemaining)} of {formatGestureAmount(o.type, o.dailyBudget)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <form method="post" action={action} onSubmit={send} aria-describedby={`${id}-hint`}>
            <CsrfInput />
            <input type="hidden" name="intent" value="give" />
            <p id={`${id}-hint`} className="hint">
              Money and vouchers in euros; miles and fee waivers as whole numbers.
            </p>
            <div className="field">
              <label htmlFor={`${id}-type`}>Gesture to give</label>
              <select id={`${id}-type`} name="type" required>
                {options.map((o) => (
                  <option key={o.type} value={o.type}>
                    {GESTURE_LABELS[o.type].name}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-amount`}>Amount to give</label>
              <input id={`${id}-amount`} name="amount" inputMode="decimal" required aria-invalid={errors.amount ? true : undefined} aria-describedby={`${id}-amount-error`} />
              <p id={`${id}-amount-error`} className="field-error" aria-live="polite">
                {errors.amount ?? ""}
              </p>
            </div>
            <div className="field">
              <label htmlFor={`${id}-reason`}>Reason for the gesture</label>
              <input id={`${id}-reason`} name="reason" required minLength={3} maxLength={500} aria-invalid={errors.reason ? true : undefined} aria-describedby={`${id}-reason-error`} />
              <p id={`${id}-reason-error`} className="field-error" aria-live="polite">
                {errors.reason ?? ""}
              </p>
            </div>
            <button type="submit" className="primary" disabled={busy}>
              Give gesture
            </button>
          </form>
        </>
      )}
      <div aria-live="polite">
        {outcome?.kind === "given" ? <p className="notice success">Gesture given and logged.</p> : null}
        {outcome?.kind === "escalated" ? <p className="notice success">The case was escalated to an experienced colleague.</p> : null}
      </div>
      {outcome?.kind === "refused" ? (
        <div className="form-error" role="alert">
          <p>{outcome.message}</p>
          {outcome.offer ? (
            <p>
              {/* The case page's escalate form, with this gesture prefilled: the person picks the reason and writes the note. */}
              <Link to={outcome.offer.href}>
                Escalate the case instead
              </Link>
            </p>
          ) : null}
        </div>
      ) : null}
      {given.length ? (
        <ul aria-label="Gestures given on this case">
          {given.map((g) => (
            <li key={g.id}>
              {formatGestureAmount(g.type, g.amount)} ({GESTURE_LABELS[g.type].name.toLowerCase()}) by {g.user.name}: {g.reason}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
