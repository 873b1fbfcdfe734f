// Supervisors' overview of the editable rule sets.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { loadRuleSet, RULE_SET_KINDS, RULE_SET_LABELS } from "~/cases/rule-sets.server";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Rules · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "RuleSet");
  const sets = await Promise.all(RULE_SET_KINDS.map((kind) => loadRuleSet(kind)));
  return {
    sets: sets.map((s) => ({
      kind: s.kind,
      label: RULE_SET_LABELS[s.kind],
      version: s.version,
      isDefault: s.isDefault,
      updatedAt: s.updatedAt,
      rules: s.ruleSet.rules.length,
    })),
  };
}

export default function Rules() {
  const { sets } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="rules-title">
      <h1 id="rules-title">Rules</h1>
      <p>Change how cases are ordered, classified and answered by the bot. A change applies at once, without a deployment.</p>
      <ul className="cards">
        {sets.map((s) => (
          <li key={s.kind} className="card">
            <h2>
              <Link to={`/rules/${s.kind}`}>{s.label}</Link>
            </h2>
            <p>
              {s.rules} rules, {s.isDefault ? "shipped defaults" : `version ${s.version}, saved ${new Date(s.updatedAt!).toUTCString()}`}
            </p>
          </li>
        ))}
        <li className="card">
          <h2>
            <Link to="/rules/bot">Bot activity</Link>
          </h2>
          <p>Deflections, stale-case sweep, holding replies; reopen what the bot closed.</p>
        </li>
      </ul>
    </section>
  );
}
