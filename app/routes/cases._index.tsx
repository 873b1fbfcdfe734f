import type { CaseStatus } from "@prisma/client";
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { listCases } from "~/cases/case-list.server";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import { requireAbility } from "~/permissions/guard.server";
import { CHANNELS, SUPPORTED_LANGUAGES, isChannelId } from "~/reference/channels";

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
        <div className="field">
          <label htmlFor="status">Status</label>
          <select id="status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">Any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s.replace("_", " ")}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="channel">Channel</label>
          <select id="channel" name="channel" defaultValue={filters.channel}>
            <option value="">Any</option>
            {CHANNELS.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="language">Language</label>
          <select id="language" name="language" defaultValue={filters.language ?? ""}>
            <option value="">Any</option>
            {SUPPORTED_LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </div>
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
