// Supervisors edit what the console offers: reply templates per language,
// the contact-reason tags cases are resolved with, and each priority tier's
// first-response and resolution targets.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import { consoleListsForm } from "~/console/console-forms";
import { DuplicateTemplateError, listContactReasonsForEditing, listTemplatesForEditing, saveContactReason, saveTemplate } from "~/console/console-lists.server";
import { TEMPLATE_PLACEHOLDERS, unknownPlaceholders } from "~/console/reply-templates";
import { listServiceTargets, saveServiceTargets } from "~/console/service-levels.server";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Templates and service targets · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "update", "ReplyTemplate");
  const [templates, reasons, targets] = await Promise.all([listTemplatesForEditing(), listContactReasonsForEditing(), listServiceTargets()]);
  return { templates, reasons, targets };
}

type Result = { ok: true; notice: string } | { ok: false; intent: string; fieldErrors: Record<string, string> };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "ReplyTemplate");
  const values = formValues(await readForm(args.request));
  // Eight tiers post eight values each: always arrays.
  for (const key of ["firstResponse", "resolution"]) if (typeof values[key] === "string") values[key] = [values[key]];
  const parsed = consoleListsForm.safeParse(values);
  const intent = typeof values.intent === "string" ? values.intent : "";
  if (!parsed.success) return data<Result>({ ok: false, intent, fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  const form = parsed.data;
  if (form.intent === "template") {
    const unknown = unknownPlaceholders(form.body);
    if (unknown.length)
      return data<Result>({ ok: false, intent, fieldErrors: { body: `Unknown placeholder ${unknown.map((name) => `{${name}}`).join(", ")}.` } }, { status: 400 });
    try {
      const { intent: _intent, ...template } = form;
      await saveTemplate(user.id, template);
    } catch (error) {
      if (error instanceof DuplicateTemplateError) return data<Result>({ ok: false, intent, fieldErrors: { name: error.message } }, { status: 409 });
      throw error;
    }
    return data<Result>({ ok: true, notice: `Template "${form.name}" (${form.language}) saved.` });
  }
  if (form.intent === "reason") {
    await saveContactReason(user.id, { id: form.id, label: form.label, active: form.active });
    return data<Result>({ ok: true, notice: `Contact reason "${form.label}" saved.` });
  }
  await saveServiceTargets(form.firstResponse.map((minutes, index) => ({ tier: index + 1, firstResponseMinutes: minutes, resolutionMinutes: form.resolution[index]! })));
  return data<Result>({ ok: true, notice: "Service targets saved. New cases get due times from them; waiting cases keep theirs." });
}

function Errors({ result, intent }: { result: Result | undefined; intent: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const errors = result && !result.ok && result.intent === intent ? result.fieldErrors : null;
  useEffect(() => {
    if (errors) ref.current?.focus();
  }, [errors]);
  if (!errors) return null;
  return (
    <div className="form-error" role="alert" tabIndex={-1} ref={ref}>
      {Object.entries(errors).map(([field, message]) => (
        <p key={field}>{message}</p>
      ))}
    </div>
  );
}

function TemplateFields({ template }: { template?: { id: string; name: string; language: string; body: string; disclosesBooking: boolean; active: boolean } }) {
  const key = template?.id ?? "new";
  return (
    <>
      {template ? <input type="hidden" name="id" value={template.id} /> : null}
      <div className="field">
        <label htmlFor={`name-${key}`}>Name</label>
        <input id={`name-${key}`} name="name" defaultValue={template?.name} required maxLength={120} />
      </div>
      <div className="field">
        <label htmlFor={`language-${key}`}>Language (two letters)</label>
        <input id={`language-${key}`} name="language" defaultValue={template?.language ?? "en"} required pattern="[a-z]{2}" size={3} />
      </div>
      <div className="field">
        <label htmlFor={`body-${key}`}>Text</label>
        <textarea id={`body-${key}`} name="body" defaultValue={template?.body} required rows={4} maxLength={4000} />
      </div>
      <label className="check">
        <input type="checkbox" name="disclosesBooking" defaultChecked={template?.disclosesBooking ?? false} /> Discloses booking details (identity check first)
      </label>
      <label className="check">
        <input type="checkbox" name="active" defaultChecked={template?.active ?? true} /> Offered in the console
      </label>
    </>
  );
}

export default function Templates() {
  const { templates, reasons, targets } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="templates-title">
      <h1 id="templates-title">Templates and service targets</h1>
      <div aria-live="polite">{result?.ok ? <Notice tone="success">{result.notice}</Notice> : null}</div>

      <h2>Reply templates</h2>
      <p>
        Placeholders filled from the case:{" "}
        {Object.entries(TEMPLATE_PLACEHOLDERS).map(([name, meaning], index) => (
          <span key={name}>
            {index ? ", " : ""}
            <code>{`{${name}}`}</code> ({meaning})
          </span>
        ))}
        .
      </p>
      {templates.map((template) => (
        <details key={template.id}>
          <summary>
            {template.name} ({template.language}){template.active ? "" : " · not offered"}
          </summary>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="template" />
            <TemplateFields template={template} />
            <button type="submit">Save template</button>
          </Form>
        </details>
      ))}
      <h3>New template</h3>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="template" />
        <Errors result={result} intent="template" />
        <TemplateFields />
        <button type="submit" className="primary">
          Add template
        </button>
      </Form>

      <h2>Contact reasons</h2>
      <ul>
        {reasons.map((reason) => (
          <li key={reason.id}>
            {reason.label} <code>{reason.id}</code>
            {reason.active ? "" : " (not offered)"}
          </li>
        ))}
      </ul>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="reason" />
        <Errors result={result} intent="reason" />
        <div className="field">
          <label htmlFor="reason-id">Code (an existing code edits that reason)</label>
          <input id="reason-id" name="id" required pattern="[a-z0-9-]{2,40}" />
        </div>
        <div className="field">
          <label htmlFor="reason-label">Label</label>
          <input id="reason-label" name="label" required maxLength={80} />
        </div>
        <label className="check">
          <input type="checkbox" name="active" defaultChecked /> Offered when resolving
        </label>
        <button type="submit">Save contact reason</button>
      </Form>

      <h2>Service targets per priority tier</h2>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value="targets" />
        <Errors result={result} intent="targets" />
        <table>
          <caption>Minutes from arrival to the first reply and to resolution</caption>
          <thead>
            <tr>
              <th scope="col">Tier</th>
              <th scope="col">First response (minutes)</th>
              <th scope="col">Resolution (minutes)</th>
            </tr>
          </thead>
          <tbody>
            {Array.from({ length: 8 }, (_, index) => {
              const target = targets.find((t) => t.tier === index + 1);
              return (
                <tr key={index}>
                  <th scope="row">{index + 1}</th>
                  <td>
                    <input aria-label={`Tier ${index + 1} first response minutes`} name="firstResponse" type="number" min={1} max={43200} defaultValue={target?.firstResponseMinutes ?? 60} required />
                  </td>
                  <td>
                    <input aria-label={`Tier ${index + 1} resolution minutes`} name="resolution" type="number" min={1} max={43200} defaultValue={target?.resolutionMinutes ?? 1440} required />
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <button type="submit">Save service targets</button>
      </Form>
    </section>
  );
}
