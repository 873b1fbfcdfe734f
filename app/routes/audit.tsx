import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { listAudit } from "~/audit/audit-log.server";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Audit log · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "AuditLog");
  const page = pageFrom(new URL(args.request.url).searchParams);
  const { entries, total } = await listAudit({ page, pageSize: DEFAULT_PAGE_SIZE });
  return { entries, total, page, pageSize: DEFAULT_PAGE_SIZE };
}

export default function Audit() {
  const { entries, total, page, pageSize } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <div className="table-scroll">
        <table>
          <caption>Who changed what, newest first</caption>
          <thead>
            <tr>
              <th scope="col">When (UTC)</th>
              <th scope="col">Who</th>
              <th scope="col">Action</th>
              <th scope="col">Subject</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry) => (
              <tr key={entry.id}>
                <td>{new Date(entry.createdAt).toISOString().replace("T", " ").slice(0, 19)}</td>
                <td>{entry.actor?.name ?? "system"}</td>
                <td>{entry.action}</td>
                <td>
                  {entry.subjectType} {entry.subjectId ?? ""}
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
