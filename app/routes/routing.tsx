// Routing settings (supervisors): whether escalated cases come before open
// ones in experts' "Next case", and the skill-relaxation steps per channel.
// Guarded like the other routing rules (RuleSet); the rules themselves live
// in app/cases/relaxation.ts and routing.ts.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { describeStep } from "~/cases/relaxation";
import { DEFAULT_STEP_MINUTES, field, formDefaults, FORM_STEPS, routingSettingsFormSchema, sameSettings, WIDEN_CHOICES } from "~/cases/routing-settings-form";
import { loadRoutingSettings, RoutingSettingsConflictError, saveRoutingSettings } from "~/cases/routing-settings.server";
import { FieldErrorSummary } from "~/forms/error-summary";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { useValidatedForm } from "~/forms/validated-form";
import { requireAbility } from "~/permissions/guard.server";
import { CHANNELS } from "~/reference/channels";

export const meta: MetaFunction = () => [{ title: "Routing settings · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "RuleSet");
  const settings = await loadRoutingSettings();
  return { settings, defaults: formDefaults(settings) };
}

type ActionResult = { fieldErrors: Record<string, string>; notice: string | null };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "RuleSet");
  const parsed = routingSettingsFormSchema.safeParse(formValues(await readForm(args.request)));
  if (!parsed.success) return data<ActionResult>({ fieldErrors: fieldErrorsFrom(parsed.error), notice: null }, { status: 400 });
  const current = await loadRoutingSettings();
  if (sameSettings(current, parsed.data)) return data<ActionResult>({ fieldErrors: {}, notice: "Nothing changed." });
  try {
    await saveRoutingSettings(parsed.data, parsed.data.version, user);
  } catch (error) {
    if (error instanceof RoutingSettingsConflictError) return data<ActionResult>({ fieldErrors: { form: error.message }, notice: null }, { status: 409 });
    throw error;
  }
  return data<ActionResult>({ fieldErrors: {}, notice: "Saved. Routing uses the new settings within 3 seconds on every instance." });
}

const WIDEN_LABELS: Record<(typeof WIDEN_CHOICES)[number], string> = {
  none: "No step",
  "basic-language": "Also basic-level speakers (complex cases too)",
  "other-channel": "Also agents of the other channels chosen",
};

const labels: Record<string, string> = { form: "Settings" };
for (const channel of CHANNELS) {
  labels[field.enabled(channel.id)] = `${channel.name}: relaxation on`;
  labels[field.channels(channel.id)] = `${channel.name}: other channels`;
  for (const step of FORM_STEPS) {
    labels[field.widen(channel.id, step)] = `${channel.name}: step ${step}`;
    labels[field.after(channel.id, step)] = `${channel.name}: step ${step} minutes`;
  }
}

export default function RoutingSettings() {
  const { settings, defaults } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { register, formState, onSubmit } = useValidatedForm(routingSettingsFormSchema, { defaultValues: defaults });
  const serverErrors: Record<string, string | undefined> = result?.fieldErrors ?? {};
  const errorOf = (name: string) => (formState.errors[name]?.message as string | undefined) ?? serverErrors[name];
  const invalid = (name: string) => (errorOf(name) ? { "aria-invalid": true as const, "aria-describedby": `${name}-error` } : {});
  return (
    <section aria-labelledby="routing-title">
      <h1 id="routing-title">Routing settings</h1>
      <p>
        Experienced agents&apos; &quot;Next case&quot; takes escalated cases and open cases in one priority order (tier, then waiting time).
        Skill relaxation offers a case that has waited long for an exact match to a wider pool, step by step; it is off for every channel until
        you set steps. Volunteers are never widened: they take only what they are certified for.
      </p>
      <div aria-live="polite">
        {result?.notice ? (
          <p className="notice success" role="status">
            {result.notice}
          </p>
        ) : null}
      </div>
      <FieldErrorSummary errors={formState.errors as never} labels={labels} submitCount={formState.submitCount} serverErrors={serverErrors} />
      <Form method="post" noValidate onSubmit={onSubmit} data-main-form aria-labelledby="routing-title">
        <CsrfInput />
        <input type="hidden" defaultValue={String(defaults.version)} {...register("version")} />
        <fieldset>
          <legend>Escalations</legend>
          <label>
            <input type="checkbox" value="on" defaultChecked={defaults.escalationsFirst === true} {...register("escalationsFirst")} /> Escalations first: an expert gets every escalated case they may take
            before any open case
          </label>
        </fieldset>
        <div className="table-scroll">
          <table>
            <caption>Skill relaxation per channel (minutes waited without an exact match)</caption>
            <thead>
              <tr>
                <th scope="col">Channel</th>
                <th scope="col">On</th>
                {FORM_STEPS.map((step) => (
                  <th scope="col" key={step}>
                    Step {step}
                  </th>
                ))}
                <th scope="col">Other channels</th>
              </tr>
            </thead>
            <tbody>
              {CHANNELS.map((channel) => {
                const stored = settings.relaxation[channel.id];
                return (
                  <tr key={channel.id}>
                    <th scope="row">
                      {channel.name}
                      {stored?.enabled ? (
                        <ul className="muted">
                          {stored.steps.map((step, index) => (
                            <li key={index}>
                              Step {index + 1}: {describeStep(step, (id) => CHANNELS.find((c) => c.id === id)?.name ?? id)}
                            </li>
                          ))}
                        </ul>
                      ) : null}
                    </th>
                    <td>
                      <input
                        type="checkbox"
                        value="on"
                        defaultChecked={defaults[field.enabled(channel.id)] === true}
                        aria-label={labels[field.enabled(channel.id)]}
                        {...register(field.enabled(channel.id))} {...invalid(field.enabled(channel.id))} />
                      <FieldError name={field.enabled(channel.id)} message={errorOf(field.enabled(channel.id))} />
                    </td>
                    {FORM_STEPS.map((step) => (
                      <td key={step}>
                        <select
                          aria-label={labels[field.widen(channel.id, step)]}
                          defaultValue={String(defaults[field.widen(channel.id, step)])}
                          {...register(field.widen(channel.id, step))}>
                          {WIDEN_CHOICES.map((choice) => (
                            <option key={choice} value={choice}>
                              {WIDEN_LABELS[choice]}
                            </option>
                          ))}
                        </select>{" "}
                        <label>
                          after{" "}
                          <input
                            type="number"
                            min={1}
                            step={1}
                            inputMode="numeric"
                            className="narrow"
                            placeholder={String(DEFAULT_STEP_MINUTES[step - 1])}
                            defaultValue={String(defaults[field.after(channel.id, step)])}
                            aria-label={labels[field.after(channel.id, step)]}
                            {...register(field.after(channel.id, step))}
                            {...invalid(field.after(channel.id, step))}
                          />{" "}
                          min
                        </label>
                        <FieldError name={field.after(channel.id, step)} message={errorOf(field.after(channel.id, step))} />
                      </td>
                    ))}
                    <td>
                      <select
                        multiple
                        size={3}
                        defaultValue={defaults[field.channels(channel.id)] as string[]}
                        aria-label={labels[field.channels(channel.id)]} {...register(field.channels(channel.id))} {...invalid(field.channels(channel.id))}>
                        {CHANNELS.filter((other) => other.id !== channel.id).map((other) => (
                          <option key={other.id} value={other.id}>
                            {other.name}
                          </option>
                        ))}
                      </select>
                      <FieldError name={field.channels(channel.id)} message={errorOf(field.channels(channel.id))} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
        <button type="submit" className="primary">
          Save routing settings
        </button>
      </Form>
    </section>
  );
}

function FieldError({ name, message }: { name: string; message?: string }) {
  return (
    <p id={`${name}-error`} className="field-error" aria-live="polite">
      {message ?? ""}
    </p>
  );
}
