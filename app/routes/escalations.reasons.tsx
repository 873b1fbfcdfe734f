// Supervisors edit the escalation reasons people choose from and the
// training module each points to (offered again to who escalates it often).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { escalationReasonForm } from "~/escalation/escalation-forms";
import { listEscalationReasons, saveEscalationReason } from "~/escalation/escalation.server";
import { trainingModuleChoices } from "~/escalation/learning.server";
import { ErrorSummary } from "~/forms/error-summary";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { SelectField } from "~/lists/filter-select";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Escalation reasons · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "update", "EscalationReason");
  const [reasons, modules] = await Promise.all([listEscalationReasons(), trainingModuleChoices()]);
  return { reasons, modules };
}

type Result = { ok: true; notice: string } | { ok: false; id: string; fieldErrors: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "EscalationReason");
  const values = formValues(await readForm(args.request));
  const id = typeof values.id === "string" ? values.id : "";
  const parsed = escalationReasonForm.safeParse(values);
  if (!parsed.success) return data<Result>({ ok: false, id, fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  const modules = await trainingModuleChoices();
  if (parsed.data.trainingModuleId && !modules.some((m) => m.id === parsed.data.trainingModuleId))
    return data<Result>({ ok: false, id, fieldErrors: { trainingModuleId: "Choose a training module from the list." } }, { status: 400 });
  await saveEscalationReason(user.id, parsed.data);
  return data<Result>({ ok: true, notice: `Reason "${parsed.data.label}" saved.` });
}

function ReasonForm({ reason, modules, result, isNew }: {
  reason: { id: string; label: string; trainingModuleId: string | null; active: boolean };
  modules: { id: string; title: string }[];
  result: Result | undefined;
  isNew: boolean;
}) {
  const busy = useNavigation().state === "submitting";
  const key = isNew ? "new" : reason.id;
  const errors = result && !result.ok && (result.id === reason.id || (isNew && !result.id)) ? result.fieldErrors : null;
  return (
    <Form method="post" aria-label={isNew ? "Add a reason" : `Reason ${reason.label}`} className="reason-form">
      <CsrfInput />
      {errors ? (
        <ErrorSummary focusKey={result} id={`reason-${key}-errors`}>
          {Object.values(errors).map((message) => (
            <p key={message}>{message}</p>
          ))}
        </ErrorSummary>
      ) : null}
      {isNew ? (
        <div className="field">
          <label htmlFor={`reason-${key}-id`}>Code (letters, digits, underscores)</label>
          <input id={`reason-${key}-id`} name="id" required pattern="[a-z0-9_]{2,40}" />
        </div>
      ) : (
        <input type="hidden" name="id" value={reason.id} />
      )}
      <div className="field">
        <label htmlFor={`reason-${key}-label`}>Label{isNew ? "" : ` (${reason.id})`}</label>
        <input id={`reason-${key}-label`} name="label" defaultValue={reason.label} required maxLength={80} />
      </div>
      <SelectField
        id={`reason-${key}-module`}
        label="Training module offered again"
        emptyLabel="None"
        options={modules.map((m) => ({ value: m.id, label: m.title }))}
        select={{ name: "trainingModuleId", defaultValue: reason.trainingModuleId ?? "" }}
      />
      <label className="check">
        <input type="checkbox" name="active" value="on" defaultChecked={reason.active} /> Offered when escalating
      </label>
      <button type="submit" disabled={busy}>
        {isNew ? "Add reason" : "Save"}
      </button>
    </Form>
  );
}

export default function EscalationReasons() {
  const { reasons, modules } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="reasons-title">
      <h1 id="reasons-title">Escalation reasons</h1>
      <p>The reasons people choose when they escalate a case, and the training module offered again to who escalates one often.</p>
      {result?.ok ? (
        <p className="notice success" role="status">
          {result.notice}
        </p>
      ) : null}
      <ul className="reason-list">
        {reasons.map((reason) => (
          <li key={reason.id}>
            <ReasonForm reason={reason} modules={modules} result={result} isNew={false} />
          </li>
        ))}
      </ul>
      <h2>Add a reason</h2>
      <ReasonForm reason={{ id: "", label: "", trainingModuleId: null, active: true }} modules={modules} result={result} isNew />
    </section>
  );
}
