// Escalation rates for planners and supervisors: per person (escalations
// against cases they resolved themselves) and per reason, over a window, and
// the training module each reason points to (supervisors edit the mapping).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { escalationReport } from "~/escalation/learning.server";
import { Can } from "~/permissions/can";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Escalation rates · Surge" }];

const WINDOWS = [1, 7, 30] as const;

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "EscalationReport");
  const asked = Number(new URL(args.request.url).searchParams.get("days"));
  const days = (WINDOWS as readonly number[]).includes(asked) ? asked : 7;
  return escalationReport(days);
}

const percent = (share: number) => `${Math.round(share * 100)}%`;

export default function EscalationReport() {
  const report = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="report-title">
      <h1 id="report-title">Escalation rates</h1>
      <Form method="get" className="inline-form">
        <label htmlFor="days">Period</label>
        <select id="days" name="days" defaultValue={String(report.days)}>
          {WINDOWS.map((days) => (
            <option key={days} value={days}>
              Last {days === 1 ? "day" : `${days} days`}
            </option>
          ))}
        </select>
        <button type="submit">Show</button>
      </Form>

      <h2 id="people-title">Per person</h2>
      {report.people.length === 0 ? (
        <p>Nobody escalated a case in this period.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="people-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Person</th>
                <th scope="col">Role</th>
                <th scope="col">Escalated</th>
                <th scope="col">Resolved themselves</th>
                <th scope="col">Escalation rate</th>
              </tr>
            </thead>
            <tbody>
              {report.people.map((p) => (
                <tr key={p.userId}>
                  <th scope="row">{p.name}</th>
                  <td>{p.role}</td>
                  <td>{p.escalated}</td>
                  <td>{p.resolved}</td>
                  <td>{percent(p.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="reasons-title">Per reason</h2>
      {report.reasons.length === 0 ? (
        <p>No escalation in this period.</p>
      ) : (
        <div className="table-scroll" role="region" aria-labelledby="reasons-title" tabIndex={0}>
          <table>
            <thead>
              <tr>
                <th scope="col">Reason</th>
                <th scope="col">Escalations</th>
                <th scope="col">Share</th>
              </tr>
            </thead>
            <tbody>
              {report.reasons.map((r) => (
                <tr key={r.reasonCode}>
                  <th scope="row">{r.label}</th>
                  <td>{r.count}</td>
                  <td>{percent(r.share)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <h2 id="mapping-title">Training module per reason</h2>
      <p>A volunteer who escalates one reason often is offered its module again on their home page and under My escalations.</p>
      <div className="table-scroll" role="region" aria-labelledby="mapping-title" tabIndex={0}>
        <table>
          <thead>
            <tr>
              <th scope="col">Reason</th>
              <th scope="col">Training module</th>
              <th scope="col">In use</th>
            </tr>
          </thead>
          <tbody>
            {report.mapping.map((m) => (
              <tr key={m.id}>
                <th scope="row">{m.label}</th>
                <td>{m.moduleTitle ?? (m.trainingModuleId ? `${m.trainingModuleId} (not found)` : "none")}</td>
                <td>{m.active ? "yes" : "no"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Can I="update" a="EscalationReason">
        <p>
          <Link to="/escalations/reasons">Edit the reasons and their modules</Link>
        </p>
      </Can>
    </section>
  );
}
