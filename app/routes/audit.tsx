import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { auditActionLabel, auditDetails, auditSubjectLabel } from "~/audit/audit-format";
import { listAudit } from "~/audit/audit-log.server";
import { FilterSelect } from "~/lists/filter-select";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "AuditLog");
  const params = new URL(args.request.url).searchParams;
  const page = pageFrom(params);
  const filter = {
    action: params.get("action") || undefined,
    subjectType: params.get("subjectType") || undefined,
    actorId: params.get("actorId") || undefined,
  };
  const { entries, total, choices } = await listAudit({ page, pageSize: DEFAULT_PAGE_SIZE, filter });
  return { entries, total, choices, filter, page, pageSize: DEFAULT_PAGE_SIZE };
}

export default function Audit() {
  const { entries, total, choices, filter, page, pageSize } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <Form method="get" className="filters" aria-label="Filter the audit log">
        <FilterSelect name="action" label="Action" value={filter.action} options={choices.actions.map((a) => ({ value: a, label: auditActionLabel(a) }))} />
        <FilterSelect
          name="subjectType"
          label="About"
          value={filter.subjectType}
          options={choices.subjectTypes.map((t) => ({ value: t, label: auditSubjectLabel(t) }))}
        />
        <FilterSelect name="actorId" label="By" value={filter.actorId} options={choices.actors.map((a) => ({ value: a.id, label: a.name }))} />
        <button type="submit" className="secondary">
          Show
        </button>
      </Form>
      <div className="table-scroll">
        <table>
          <caption>Who changed what, newest first: {total} entries</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">About</th>
              <th scope="col">Details</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.createdAt).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{entry.actor?.name ?? "system"}</td>
                <td>{auditActionLabel(entry.action)}</td>
                <td>
                  {auditSubjectLabel(entry.subjectType)}
                  {entry.subjectName ? `: ${entry.subjectName}` : entry.subjectId ? " (removed)" : ""}
                </td>
                <td>
                  {auditDetails(entry.data).map((line, index) => (
                    <div key={index}>{line}</div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} total={total} pageSize={pageSize} label="Audit log" />
    </section>
  );
}
