// The rule editor for one rule set (priority, classification, deflection):
// reorder, enable or disable, remove, change thresholds and keywords, add a
// rule, or edit the whole set as JSON; preview how many open cases each rule
// would catch before saving. Saving a priority change re-ranks the queue.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { keywordLines } from "~/cases/keyword-match";
import type { PriorityRule } from "~/cases/priority-rules";
import { PRIORITY_CONDITION_TYPES } from "~/cases/priority-rules";
import {
  addPriorityRule,
  applyRuleEdit,
  previewRuleSet,
  saveRulesAndApply,
  updatePriorityRule,
  type GenericPreview,
} from "~/cases/rule-editor.server";
import { isRuleSetKind, loadRuleSet, parseRuleSet, RULE_SET_LABELS, RuleSetConflictError, type RuleSetKind } from "~/cases/rule-sets.server";
import type { ValidationProblem } from "~/cases/validation-problems";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.label ?? "Rules"} rules · Surge` }];

function kindFrom(params: { kind?: string }): RuleSetKind {
  if (!isRuleSetKind(params.kind)) throw new Response("There is no such rule set.", { status: 404, statusText: "Not Found" });
  return params.kind;
}

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "RuleSet");
  const kind = kindFrom(args.params);
  const stored = await loadRuleSet(kind);
  const preview = await previewRuleSet(kind, stored.ruleSet);
  return {
    kind,
    label: RULE_SET_LABELS[kind],
    version: stored.version,
    isDefault: stored.isDefault,
    ruleSet: stored.ruleSet as unknown as { rules: Record<string, unknown>[] } & Record<string, unknown>,
    json: JSON.stringify(stored.ruleSet, null, 2),
    preview,
  };
}

type ActionResult =
  | { saved: true; message: string }
  | { problems: ValidationProblem[]; draft?: string }
  | { draftPreview: GenericPreview; draft: string };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "RuleSet");
  const kind = kindFrom(args.params);
  const form = await readForm(args.request);
  const values = formValues(form);
  const intent = String(values.intent ?? "");
  const expectedVersion = Number(values.version);
  const current = (await loadRuleSet(kind)).ruleSet;
  const ruleId = String(values.ruleId ?? "");

  let next: unknown;
  let draft: string | undefined;
  if (intent === "move" || intent === "toggle" || intent === "remove") {
    next =
      intent === "move"
        ? applyRuleEdit(current, { op: "move", ruleId, direction: values.direction === "down" ? "down" : "up" })
        : applyRuleEdit(current, { op: intent, ruleId });
  } else if (intent === "update" && kind === "priority") {
    next = updatePriorityRule(current as never, ruleId, values);
  } else if (intent === "add" && kind === "priority") {
    next = addPriorityRule(current as never, values);
  } else if (intent === "json" || intent === "preview") {
    draft = String(values.json ?? "");
    try {
      next = JSON.parse(draft);
    } catch (error) {
      return data<ActionResult>({ problems: [{ path: "", message: `Not valid JSON: ${(error as Error).message}` }], draft }, { status: 400 });
    }
    if (intent === "preview") {
      const parsed = parseRuleSet(kind, next);
      if (!parsed.ok) return data<ActionResult>({ problems: parsed.problems, draft }, { status: 400 });
      return data<ActionResult>({ draftPreview: await previewRuleSet(kind, parsed.value), draft });
    }
  } else {
    return data<ActionResult>({ problems: [{ path: "", message: "Unknown action." }] }, { status: 400 });
  }

  try {
    const saved = await saveRulesAndApply(kind, next, user.id, Number.isInteger(expectedVersion) ? expectedVersion : undefined);
    if (!saved.ok) return data<ActionResult>({ problems: saved.problems, draft }, { status: 400 });
    const { reranked, reclassified, version } = saved.value;
    const message = [
      `Saved as version ${version}.`,
      reranked ? `Re-ranked ${reranked.scanned} open cases (${reranked.changed} changed) in ${reranked.ms} ms.` : "",
      reclassified !== undefined ? `${reclassified} open cases re-classified.` : "",
    ]
      .filter(Boolean)
      .join(" ");
    return data<ActionResult>({ saved: true, message });
  } catch (error) {
    if (error instanceof RuleSetConflictError) return data<ActionResult>({ problems: [{ path: "", message: error.message }] }, { status: 409 });
    throw error;
  }
}

function PreviewTable({ preview, caption }: { preview: GenericPreview; caption: string }) {
  return (
    <div className="table-scroll">
      <table>
        <caption>
          {caption}: {preview.total} open cases{preview.truncated ? " (the most urgent only)" : ""}
        </caption>
        <thead>
          <tr>
            <th scope="col">Rule</th>
            <th scope="col">Result</th>
            <th scope="col">Enabled</th>
            <th scope="col">Cases it catches</th>
          </tr>
        </thead>
        <tbody>
          {preview.rules.map((r) => (
            <tr key={r.ruleId}>
              <th scope="row">{r.name}</th>
              <td>{r.detail}</td>
              <td>{r.enabled ? "yes" : "no"}</td>
              <td>{r.count}</td>
            </tr>
          ))}
          {preview.fallback ? (
            <tr>
              <th scope="row">{preview.fallback.name}</th>
              <td>fallback</td>
              <td>yes</td>
              <td>{preview.fallback.count}</td>
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}

function Hidden({ version, intent, ruleId }: { version: number; intent: string; ruleId?: string }) {
  return (
    <>
      <CsrfInput />
      <input type="hidden" name="version" value={version} />
      <input type="hidden" name="intent" value={intent} />
      {ruleId ? <input type="hidden" name="ruleId" value={ruleId} /> : null}
    </>
  );
}

function PriorityRuleFields({ rule, version }: { rule: PriorityRule; version: number }) {
  return (
    <details>
      <summary>Edit “{rule.name}”</summary>
      <Form method="post">
        <Hidden version={version} intent="update" ruleId={rule.id} />
        <div className="field">
          <label htmlFor={`name-${rule.id}`}>Name</label>
          <input id={`name-${rule.id}`} name="name" defaultValue={rule.name} />
        </div>
        <div className="field">
          <label htmlFor={`tier-${rule.id}`}>Tier (1 is most urgent)</label>
          <input id={`tier-${rule.id}`} name="tier" type="number" min={1} max={99} defaultValue={rule.tier} />
        </div>
        {rule.conditions.map((condition, index) => {
          const id = `c-${rule.id}-${index}`;
          const name = `condition.${index}`;
          switch (condition.type) {
            case "departsWithinHours":
              return (
                <div className="field" key={id}>
                  <label htmlFor={id}>Departs within (hours)</label>
                  <input id={id} name={name} type="number" step="any" defaultValue={condition.hours} />
                </div>
              );
            case "olderThanMinutes":
              return (
                <div className="field" key={id}>
                  <label htmlFor={id}>Waiting at least (minutes)</label>
                  <input id={id} name={name} type="number" defaultValue={condition.minutes} />
                </div>
              );
            case "keywordsAny":
              return (
                <div className="field" key={id}>
                  <label htmlFor={id}>Keywords, one line per language (“nl: dringend, morgen”)</label>
                  <textarea id={id} name={name} rows={6} defaultValue={keywordLines(condition.keywords)} />
                </div>
              );
            case "topicAny":
              return (
                <div className="field" key={id}>
                  <label htmlFor={id}>Topics (comma separated)</label>
                  <input id={id} name={name} defaultValue={condition.topics.join(", ")} />
                </div>
              );
            case "loyaltyTierAtLeast":
              return (
                <div className="field" key={id}>
                  <label htmlFor={id}>Loyalty tier at least</label>
                  <select id={id} name={name} defaultValue={condition.tier}>
                    <option value="silver">Silver</option>
                    <option value="gold">Gold</option>
                    <option value="platinum">Platinum</option>
                  </select>
                </div>
              );
            default:
              return (
                <p key={id}>
                  Condition: <code>{condition.type}</code>
                </p>
              );
          }
        })}
        <button type="submit" className="primary">
          Save rule
        </button>
      </Form>
    </details>
  );
}

export default function RuleEditor() {
  const { kind, label, version, isDefault, ruleSet, json, preview } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const problems = result && "problems" in result ? result.problems : [];
  const draft = result && "draft" in result && result.draft !== undefined ? result.draft : json;
  const rules = ruleSet.rules as unknown as { id: string; name: string; enabled: boolean; tier?: number; complexity?: string }[];
  return (
    <section aria-labelledby="editor-title">
      <p>
        <Link to="/rules">All rules</Link>
      </p>
      <h1 id="editor-title">{label} rules</h1>
      <p>{isDefault ? "The shipped defaults are in use." : `Version ${version}.`} The first enabled rule that matches a case decides.</p>
      <div aria-live="polite">
        {result && "saved" in result ? (
          <Notice tone="success">
            {result.message}
          </Notice>
        ) : null}
      </div>
      {problems.length ? (
        <ErrorSummary focusKey={result}>
          <p>Nothing was saved. Fix these problems:</p>
          <ul>
            {problems.map((p, i) => (
              <li key={i}>
                {p.path ? <code>{p.path}</code> : null} {p.message}
              </li>
            ))}
          </ul>
        </ErrorSummary>
      ) : null}
      <div className="table-scroll">
        <table>
          <caption>Rules in order</caption>
          <thead>
            <tr>
              <th scope="col">#</th>
              <th scope="col">Rule</th>
              <th scope="col">{kind === "priority" ? "Tier" : kind === "classification" ? "Result" : "Template"}</th>
              <th scope="col">Open cases caught now</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rules.map((rule, index) => (
              <tr key={rule.id}>
                <td>{index + 1}</td>
                <th scope="row">
                  {rule.name} <code>{rule.id}</code>
                  {rule.enabled ? "" : " (disabled)"}
                  {kind === "priority" ? <PriorityRuleFields rule={rule as unknown as PriorityRule} version={version} /> : null}
                </th>
                <td>{kind === "priority" ? rule.tier : kind === "classification" ? rule.complexity : String((rule as { templateId?: string }).templateId ?? "")}</td>
                <td>{preview.rules.find((p) => p.ruleId === rule.id)?.count ?? 0}</td>
                <td>
                  <Form method="post" className="inline-form">
                    <Hidden version={version} intent="move" ruleId={rule.id} />
                    <button type="submit" name="direction" value="up" className="secondary" disabled={index === 0} aria-label={`Move ${rule.name} up`}>
                      Up
                    </button>
                    <button
                      type="submit"
                      name="direction"
                      value="down"
                      className="secondary"
                      disabled={index === rules.length - 1}
                      aria-label={`Move ${rule.name} down`}
                    >
                      Down
                    </button>
                  </Form>
                  <Form method="post" className="inline-form">
                    <Hidden version={version} intent="toggle" ruleId={rule.id} />
                    <button type="submit" className="secondary">
                      {rule.enabled ? "Disable" : "Enable"}
                      <span className="visually-hidden"> {rule.name}</span>
                    </button>
                  </Form>
                  <Form method="post" className="inline-form">
                    <Hidden version={version} intent="remove" ruleId={rule.id} />
                    <button type="submit" className="secondary">
                      Remove<span className="visually-hidden"> {rule.name}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <PreviewTable preview={preview} caption="What the saved rules catch now" />
      {kind === "priority" ? (
        <>
          <h2>Add a rule</h2>
          <Form method="post">
            <Hidden version={version} intent="add" />
            <div className="field">
              <label htmlFor="new-id">Id (lowercase slug)</label>
              <input id="new-id" name="id" required pattern="[a-z0-9]+(-[a-z0-9]+)*" />
            </div>
            <div className="field">
              <label htmlFor="new-name">Name</label>
              <input id="new-name" name="name" required />
            </div>
            <div className="field">
              <label htmlFor="new-tier">Tier</label>
              <input id="new-tier" name="tier" type="number" min={1} max={99} required />
            </div>
            <div className="field">
              <label htmlFor="new-type">Condition</label>
              <select id="new-type" name="conditionType">
                {PRIORITY_CONDITION_TYPES.map((t) => (
                  <option key={t} value={t}>
                    {t}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor="new-value">Value (hours, minutes, topics, loyalty tier, or keyword lines)</label>
              <textarea id="new-value" name="conditionValue" rows={3} />
            </div>
            <button type="submit" className="primary">
              Add rule (at the end)
            </button>
          </Form>
        </>
      ) : null}
      <h2>Edit as JSON</h2>
      <p>Every field of every rule, including fallbacks{kind === "deflection" ? ", templates and link values" : ""}. Preview first, then save.</p>
      <Form method="post" data-main-form>
        <CsrfInput />
        <input type="hidden" name="version" value={version} />
        <div className="field">
          <label htmlFor="json">Rule set JSON</label>
          <textarea id="json" name="json" rows={20} defaultValue={draft} key={draft} spellCheck={false} />
        </div>
        <button type="submit" name="intent" value="preview" className="secondary">
          Preview
        </button>{" "}
        <button type="submit" name="intent" value="json" className="primary">
          Save and apply
        </button>
      </Form>
      {result && "draftPreview" in result ? <PreviewTable preview={result.draftPreview} caption="What the draft would catch" /> : null}
    </section>
  );
}
