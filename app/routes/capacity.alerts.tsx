// Capacity alerts: the thresholds supervisors set (backlog, oldest wait,
// service level, per channel and/or language) and every alert they raised,
// with its start and end. The banner on every page (root.tsx) shows the
// alerts going on.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { CAPACITY_METRICS, describeThreshold, METRIC_LABELS } from "~/capacity/alerts";
import { addThreshold, listThresholds, recentAlerts, removeThreshold } from "~/capacity/capacity-alerts.server";
import { ChannelScopeField, LanguageScopeField } from "~/capacity/scope-fields";
import { ScrollTable } from "~/capacity/scroll-table";
import { channelName, languageName } from "~/capacity/names";
import { thresholdSchema } from "~/capacity/threshold-form";
import { actionErrors } from "~/forms/action-errors";
import { FieldErrorSummary } from "~/forms/error-summary";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { useValidatedForm } from "~/forms/validated-form";
import { Can } from "~/permissions/can";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Capacity alerts · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "CapacityThreshold");
  const [thresholds, alerts] = await Promise.all([listThresholds(), recentAlerts()]);
  return { thresholds, alerts };
}

export async function action(args: ActionFunctionArgs) {
  const form = formValues(await readForm(args.request));
  if (form.intent === "remove") {
    const { user } = requireAbility(args, "delete", "CapacityThreshold");
    const removed = await removeThreshold(String(form.thresholdId ?? ""), user.id);
    return removed ? { notice: "Threshold removed; its alert, if any, has ended." } : data({ formError: "This threshold no longer exists." }, { status: 404 });
  }
  const { user } = requireAbility(args, "create", "CapacityThreshold");
  const parsed = thresholdSchema.safeParse(form);
  if (!parsed.success) return data({ fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  await addThreshold(parsed.data, user.id);
  return { notice: "Threshold added. It is checked every 15 seconds." };
}

const names = { channel: channelName, language: languageName };
const time = (at: string | Date) => `${new Date(at).toISOString().slice(0, 16).replace("T", " ")} UTC`;

export default function CapacityAlerts() {
  const { thresholds, alerts } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const serverErrors = actionErrors(result).fieldErrors;
  const { register, formState, onSubmit, fieldError: error } = useValidatedForm(thresholdSchema, { serverErrors });
  return (
    <section aria-labelledby="alerts-title">
      <h1 id="alerts-title">Capacity alerts</h1>
      <div aria-live="polite">
        {result && "notice" in result ? (
          <p className="notice success" role="status">
            {result.notice}
          </p>
        ) : null}
        {result && "formError" in result ? (
          <p className="form-error" role="alert">
            {result.formError}
          </p>
        ) : null}
      </div>
      <h2>Alerts</h2>
      {alerts.length === 0 ? (
        <p>No alert so far.</p>
      ) : (
        <ScrollTable label="Latest alerts, newest first">
          <table>
            <caption>Latest alerts, newest first</caption>
            <thead>
              <tr>
                <th scope="col">Alert</th>
                <th scope="col">Started</th>
                <th scope="col">Ended</th>
                <th scope="col">Value at start</th>
                <th scope="col">Worst</th>
              </tr>
            </thead>
            <tbody>
              {alerts.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{describeThreshold({ ...a, value: a.limit }, names)}</th>
                  <td>{time(a.startedAt)}</td>
                  <td>{a.endedAt ? time(a.endedAt) : <strong>going on</strong>}</td>
                  <td>{a.startValue}</td>
                  <td>{a.worstValue}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      )}
      <h2>Thresholds</h2>
      {thresholds.length === 0 ? (
        <p>No thresholds yet.</p>
      ) : (
        <ul>
          {thresholds.map((t) => (
            <li key={t.id}>
              {describeThreshold(t, names)}{" "}
              <Can I="delete" a="CapacityThreshold">
                <Form method="post" className="inline-form">
                  <CsrfInput />
                  <input type="hidden" name="intent" value="remove" />
                  <input type="hidden" name="thresholdId" value={t.id} />
                  <button type="submit" className="link-button">
                    {`Remove (${describeThreshold(t, names)})`}
                  </button>
                </Form>
              </Can>
            </li>
          ))}
        </ul>
      )}
      <Can I="create" a="CapacityThreshold">
        <h2>Add a threshold</h2>
        <Form method="post" noValidate onSubmit={onSubmit}>
          <CsrfInput />
          <input type="hidden" name="intent" value="add" />
          <FieldErrorSummary
            errors={{ metric: error("metric"), channelId: error("channelId"), language: error("language"), value: error("value") }}
            labels={{ metric: "Watch", channelId: "Channel", language: "Language", value: "Threshold" }}
            submitCount={formState.submitCount}
            serverErrors={serverErrors}
          />
          <div className="field">
            <label htmlFor="threshold-metric">Watch</label>
            <select id="threshold-metric" {...register("metric")} defaultValue="" aria-describedby="threshold-metric-error">
              <option value="">Choose</option>
              {CAPACITY_METRICS.map((m) => (
                <option key={m} value={m}>
                  {`${METRIC_LABELS[m].name} (alert ${METRIC_LABELS[m].breachWhen}, in ${METRIC_LABELS[m].unit})`}
                </option>
              ))}
            </select>
            <p id="threshold-metric-error" className="field-error" aria-live="polite">
              {error("metric") ?? ""}
            </p>
          </div>
          <ChannelScopeField id="threshold-channel" select={{ ...register("channelId"), defaultValue: "" }} />
          <LanguageScopeField id="threshold-language" select={{ ...register("language"), defaultValue: "" }} />
          <div className="field">
            <label htmlFor="threshold-value">Threshold</label>
            <input id="threshold-value" type="text" inputMode="numeric" autoComplete="off" {...register("value")} aria-invalid={error("value") ? true : undefined} aria-describedby="threshold-value-error" />
            <p id="threshold-value-error" className="field-error" aria-live="polite">
              {error("value") ?? ""}
            </p>
          </div>
          <button type="submit" className="primary">
            Add threshold
          </button>
        </Form>
      </Can>
    </section>
  );
}
