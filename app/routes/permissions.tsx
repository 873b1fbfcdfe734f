// Supervisor screen: pick anyone and see what they may do and why (the rules
// of their ability, with conditions), and change the roles' gesture limits.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { actionErrors } from "~/forms/action-errors";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { gestureLimitSchema, limitInputValue } from "~/gestures/limit-form";
import { listGestureLimits, setGestureLimit } from "~/gestures/gestures.server";
import { formatGestureAmount, GESTURE_LABELS } from "~/gestures/limits";
import { requireAbility } from "~/permissions/guard.server";
import { explainUser, findPeople } from "~/permissions/permissions.server";
import { ROLE_LABELS } from "~/users/user-forms";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Permissions · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability } = requireAbility(args, "read", "Permission");
  const params = new URL(args.request.url).searchParams;
  const q = (params.get("q") ?? "").slice(0, 100);
  const selected = params.get("user");
  const [people, explanation, limits] = await Promise.all([
    findPeople(q),
    selected ? explainUser(selected) : null,
    ability.can("read", "GestureLimit") ? listGestureLimits() : [],
  ]);
  return { q, people, explanation, limits, canEditLimits: ability.can("update", "GestureLimit") };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "GestureLimit");
  const form = await readForm(args.request);
  if (form.get("intent") !== "limit") return data({ formError: "Unknown action." }, { status: 400 });
  const parsed = gestureLimitSchema.safeParse(formValues(form));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsFrom(parsed.error), key: `${form.get("role")}:${form.get("type")}` }, { status: 400 });
  await setGestureLimit(user.id, parsed.data);
  return { saved: parsed.data };
}

export default function Permissions() {
  const { q, people, explanation, limits, canEditLimits } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const errorKey = actionData && "key" in actionData ? actionData.key : null;
  const { fieldErrors } = actionErrors(actionData);
  return (
    <section aria-labelledby="permissions-title">
      <h1 id="permissions-title">Permissions</h1>
      <p>Pick a person to see what they may do and which rule allows it. Rules are rebuilt on every request, so a change applies on their next click.</p>
      <Form method="get" className="filters" aria-label="Find a person">
        <div className="field">
          <label htmlFor="q">Name or e-mail</label>
          <input id="q" name="q" defaultValue={q} />
        </div>
        <button type="submit" className="secondary">
          Search
        </button>
      </Form>
      <ul aria-label="People">
        {people.map((p) => (
          <li key={p.id}>
            <a href={`/permissions?${new URLSearchParams({ q, user: p.id })}`} aria-current={explanation?.person.id === p.id ? "true" : undefined}>
              {p.name}
            </a>{" "}
            ({ROLE_LABELS[p.role]}, {p.email})
          </li>
        ))}
      </ul>

      {explanation ? (
        <section aria-labelledby="who-title">
          <h2 id="who-title">
            {explanation.person.name}: {ROLE_LABELS[explanation.person.role]}
          </h2>
          <dl className="case-facts">
            <dt>Account</dt>
            <dd>{explanation.person.status}</dd>
            <dt>Volunteer status</dt>
            <dd>{explanation.facts.volunteerStatus ?? "not a volunteer"}</dd>
            <dt>Skills</dt>
            <dd>{explanation.facts.skills.length ? explanation.facts.skills.join(", ") : "none"}</dd>
          </dl>
          {explanation.nothing ? (
            <Notice>
              {explanation.nothing}
            </Notice>
          ) : (
            <>
              <div className="table-scroll">
                <table>
                  <caption>What they may do</caption>
                  <thead>
                    <tr>
                      <th scope="col">On</th>
                      <th scope="col">Actions</th>
                    </tr>
                  </thead>
                  <tbody>
                    {explanation.capabilities
                      .filter((row) => row.actions.length)
                      .map((row) => (
                        <tr key={row.subject}>
                          <th scope="row">{row.subject}</th>
                          <td>
                            <ul>
                              {row.actions.map((a) => (
                                <li key={a.action}>
                                  <strong>{a.action}</strong> {a.scope === "always" ? "(any)" : "only when"}: {a.because}
                                </li>
                              ))}
                            </ul>
                          </td>
                        </tr>
                      ))}
                  </tbody>
                </table>
              </div>
              <div className="table-scroll">
                <table>
                  <caption>The rules that apply, in order (a later rule overrides an earlier one)</caption>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">Effect</th>
                      <th scope="col">Actions</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Conditions</th>
                      <th scope="col">Fields</th>
                      <th scope="col">Why</th>
                    </tr>
                  </thead>
                  <tbody>
                    {explanation.rules.map((rule, index) => (
                      <tr key={index}>
                        <th scope="row">{index + 1}</th>
                        <td>{rule.effect}</td>
                        <td>{rule.actions.join(", ")}</td>
                        <td>{rule.subjects.join(", ")}</td>
                        <td>{rule.conditions ?? "always"}</td>
                        <td>{rule.fields ? rule.fields.join(", ") : "all"}</td>
                        <td>{rule.reason ?? `${explanation.person.role} role`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </section>
      ) : null}

      {limits.length ? (
        <section aria-labelledby="limits-title">
          <h2 id="limits-title">Gesture limits per role</h2>
          <p>Money and vouchers in euros. A limit of 0 switches the gesture off for the role. Every change is written to the audit log.</p>
          {actionData && "saved" in actionData ? (
            <Notice tone="success">
              Saved: {ROLE_LABELS[actionData.saved.role]}, {GESTURE_LABELS[actionData.saved.type].name.toLowerCase()}:{" "}
              {formatGestureAmount(actionData.saved.type, actionData.saved.perCaseLimit)} per case,{" "}
              {formatGestureAmount(actionData.saved.type, actionData.saved.dailyBudget)} a day.
            </Notice>
          ) : null}
          <div className="table-scroll">
            <table>
              <caption>Per case and per agent per day</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Gesture</th>
                  <th scope="col">Per case</th>
                  <th scope="col">Daily budget</th>
                  {canEditLimits ? <th scope="col">Change</th> : null}
                </tr>
              </thead>
              <tbody>
                {limits.map((limit) => {
                  const key = `${limit.role}:${limit.type}`;
                  const formId = `limit-${limit.role}-${limit.type}`;
                  const errors = errorKey === key ? fieldErrors : {};
                  return (
                    <tr key={key}>
                      <th scope="row">{ROLE_LABELS[limit.role]}</th>
                      <td>{GESTURE_LABELS[limit.type].name}</td>
                      <td>
                        {canEditLimits ? (
                          <>
                            <label className="visually-hidden" htmlFor={`${formId}-case`}>
                              Per-case limit, {ROLE_LABELS[limit.role]}, {GESTURE_LABELS[limit.type].name}
                            </label>
                            <input id={`${formId}-case`} form={formId} name="perCaseLimit" size={8} defaultValue={limitInputValue(limit.type, limit.perCaseLimit)} aria-invalid={errors.perCaseLimit ? true : undefined} />
                            {errors.perCaseLimit ? <span className="field-error" role="alert">{errors.perCaseLimit}</span> : null}
                          </>
                        ) : (
                          formatGestureAmount(limit.type, limit.perCaseLimit)
                        )}
                      </td>
                      <td>
                        {canEditLimits ? (
                          <>
                            <label className="visually-hidden" htmlFor={`${formId}-day`}>
                              Daily budget, {ROLE_LABELS[limit.role]}, {GESTURE_LABELS[limit.type].name}
                            </label>
                            <input id={`${formId}-day`} form={formId} name="dailyBudget" size={8} defaultValue={limitInputValue(limit.type, limit.dailyBudget)} aria-invalid={errors.dailyBudget ? true : undefined} />
                            {errors.dailyBudget ? <span className="field-error" role="alert">{errors.dailyBudget}</span> : null}
                          </>
                        ) : (
                          formatGestureAmount(limit.type, limit.dailyBudget)
                        )}
                      </td>
                      {canEditLimits ? (
                        <td>
                          <Form method="post" id={formId}>
                            <CsrfInput />
                            <input type="hidden" name="intent" value="limit" />
                            <input type="hidden" name="role" value={limit.role} />
                            <input type="hidden" name="type" value={limit.type} />
                            <button type="submit" className="secondary">
                              Save
                            </button>
                          </Form>
                        </td>
                      ) : null}
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        </section>
      ) : null}
    </section>
  );
}
