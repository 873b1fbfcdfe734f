// Sections of the case view about routing: why the case has its priority and
// complexity, reclassification with a reason, and (supervisors) assignment.
import { Form } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { Notice } from "~/forms/notice";

export interface CaseRoutingPanelProps {
  kase: {
    id: string;
    priorityTier: number;
    // Absent (undefined) when derived from a column this user may not read (fields.server.ts).
    priorityRuleId?: string | null;
    priorityReason?: string | null;
    complexity: string;
    complexityReason?: string | null;
    complexityRuleId?: string | null;
    assigneeId: string | null;
    deflectedAt: string | Date | null;
    closeReason: string | null;
  };
  routing: {
    canReclassify: boolean;
    /** Why the case reached its assignee (escalation level, relaxation step), when someone holds it. */
    reachedAssignee?: string | null;
    canAssign: boolean;
    assignable: { id: string; name: string; role: string; online: boolean }[];
    notice: string | null;
    reclassifyError: string | null;
    assignError: string | null;
  };
}

export function CaseRoutingPanel({ kase, routing }: CaseRoutingPanelProps) {
  return (
    <>
      {routing.notice ? (
        <Notice tone="success">{routing.notice}</Notice>
      ) : null}
      <section aria-labelledby="why-title" id="classification">
        <h2 id="why-title">Why this priority and complexity</h2>
        <dl className="case-facts">
          <dt>Priority rule</dt>
          <dd>
            Tier {kase.priorityTier}
            {kase.priorityRuleId !== undefined ? (
              <>
                , rule <code>{kase.priorityRuleId ?? "fallback"}</code>
              </>
            ) : null}
            {kase.priorityReason ? `: ${kase.priorityReason}` : ""}
          </dd>
          <dt>Complexity</dt>
          <dd>
            {kase.complexity === "simple" ? "Simple (a volunteer may take it)" : "Complex (experienced agents only)"}
            {kase.complexityReason ? ` — ${kase.complexityReason}` : ""}
            {kase.complexityRuleId ? (
              <>
                {" "}
                (rule <code>{kase.complexityRuleId}</code>)
              </>
            ) : null}
          </dd>
          {routing.reachedAssignee ? (
            <>
              <dt>How it reached its agent</dt>
              <dd>{routing.reachedAssignee}</dd>
            </>
          ) : null}
          {kase.closeReason ? (
            <>
              <dt>Closed because</dt>
              <dd>{kase.closeReason}</dd>
            </>
          ) : null}
        </dl>
        {routing.canReclassify ? (
          <Form method="post" action={`/cases/${kase.id}/reclassify`} aria-labelledby="reclassify-title">
            <h3 id="reclassify-title">Reclassify</h3>
            <CsrfInput />
            <div className="field">
              <label htmlFor="complexity">New classification</label>
              <select id="complexity" name="complexity" defaultValue={kase.complexity === "simple" ? "complex" : "simple"}>
                <option value="simple">Simple (volunteers may take it)</option>
                <option value="complex">Complex (experienced agents only)</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="reclassify-reason">Reason</label>
              <input id="reclassify-reason" name="reason" required minLength={3} maxLength={500} aria-describedby="reclassify-error" />
              <p id="reclassify-error" className="field-error" role="alert">
                {routing.reclassifyError ?? ""}
              </p>
            </div>
            <button type="submit" className="secondary">
              Reclassify
            </button>
          </Form>
        ) : null}
      </section>
      {routing.canAssign ? (
        <section aria-labelledby="assign-title" id="assignment">
          <h2 id="assign-title">Assignment</h2>
          <Form method="post" action={`/cases/${kase.id}/assign`}>
            <CsrfInput />
            <div className="field">
              <label htmlFor="assigneeId">Assign to</label>
              <select id="assigneeId" name="assigneeId" defaultValue={kase.assigneeId ?? ""} aria-describedby="assign-hint assign-error">
                <option value="">Nobody: back to the queue</option>
                {routing.assignable.map((person) => (
                  <option key={person.id} value={person.id}>
                    {person.name} ({person.role}, {person.online ? "online" : "offline"})
                  </option>
                ))}
              </select>
              <p id="assign-hint">Only people with this case&apos;s language and channel skills are listed; volunteers only for simple cases.</p>
              <p id="assign-error" className="field-error" role="alert">
                {routing.assignError ?? ""}
              </p>
            </div>
            <div className="field">
              <label htmlFor="assign-reason">Reason (optional)</label>
              <input id="assign-reason" name="reason" maxLength={500} />
            </div>
            <button type="submit" className="secondary">
              Save assignment
            </button>
          </Form>
        </section>
      ) : null}
    </>
  );
}
