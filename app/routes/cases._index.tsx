import type { CaseStatus } from "@prisma/client";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listCases } from "~/cases/case-list.server";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import { requireAbility } from "~/permissions/guard.server";
import { CHANNELS, SUPPORTED_LANGUAGES, isChannelId } from "~/reference/channels";
import { FilterSelect } from "~/lists/filter-select";

export const meta: MetaFunction = () => [{ title: "Cases · Surge" }];

const STATUSES: CaseStatus[] = ["open", "assigned", "on_hold", "escalated", "resolved", "closed"];

export async function loader(args: LoaderFunctionArgs) {
  const { ability, user } = requireAbility(args, "read", "Case");
  const params = new URL(args.request.url).searchParams;
  // Unknown filter values are ignored rather than rejected: a stale bookmark still works.
  const status = STATUSES.find((s) => s === params.get("status"));
  const channel = params.get("channel") ?? "";
  const language = SUPPORTED_LANGUAGES.find((l) => l === params.get("language"));
  const page = pageFrom(params);
  const { cases, total } = await listCases(
    ability,
    { status, channelId: isChannelId(channel) ? channel : undefined, language },
    { page, pageSize: DEFAULT_PAGE_SIZE },
  );
  return { cases, total, page, pageSize: DEFAULT_PAGE_SIZE, filters: { status, channel, language }, mine: user.role === "volunteer" };
}

export default function Cases() {
  const { cases, total, page, pageSize, filters, mine } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="cases-title">
      <h1 id="cases-title">{mine ? "My cases" : "Cases"}</h1>
      <Form method="get" className="filters" aria-label="Filter cases">
        <FilterSelect name="status" label="Status" value={filters.status} options={STATUSES.map((s) => ({ value: s, label: s.replace("_", " ") }))} />
        <FilterSelect name="channel" label="Channel" value={filters.channel} options={CHANNELS.map((c) => ({ value: c.id, label: c.name }))} />
        <FilterSelect name="language" label="Language" value={filters.language} options={SUPPORTED_LANGUAGES.map((l) => ({ value: l, label: l }))} />
        <button type="submit" className="secondary">
          Apply filters
        </button>
      </Form>
      {cases.length === 0 ? (
        <p>{mine ? "No cases are assigned to you right now." : "No cases match these filters."}</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>{total} cases, most urgent first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Subject</th>
                <th scope="col">Tier</th>
                <th scope="col">Channel</th>
                <th scope="col">Language</th>
                <th scope="col">Status</th>
                <th scope="col">Assigned to</th>
              </tr>
            </thead>
            <tbody>
              {cases.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/cases/${c.id}`}>#{c.number}</Link>
                  </th>
                  <td>{c.subject}</td>
                  <td>{c.priorityTier}</td>
                  <td>{c.channelId}</td>
                  <td>{c.language}</td>
                  <td>{c.status.replace("_", " ")}</td>
                  <td>{c.assignee?.name ?? "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pagination page={page} total={total} pageSize={pageSize} label="Cases" />
    </section>
  );
}
