// The capacity board: per channel and language, whether the agents online
// keep up, what they would need, and where more people can come from. The
// data is read from the database on every load and refreshed every few
// seconds while the page is visible (so every app instance shows the same).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import { z } from "zod";
import { CsrfInput } from "~/auth/csrf-input";
import type { BoardRow, Counts } from "~/capacity/board";
import { capacityBoard } from "~/capacity/capacity.server";
import { ScrollTable } from "~/capacity/scroll-table";
import { channelName, languageName, percent, waitLabel } from "~/capacity/names";
import { staffingAdvice, type StaffingInput } from "~/capacity/staffing";
import { remindOfflineVolunteers, staffingLeads } from "~/capacity/staffing-leads.server";
import { formValues, readForm } from "~/forms/form-submission.server";
import { Can } from "~/permissions/can";
import { abilityOf, requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Capacity · Surge" }];

/** How often the open page reloads its data. */
const REFRESH_MS = 5000;

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "read", "Capacity");
  const [board, leads] = await Promise.all([capacityBoard(), abilityOf(user).can("read", "Pipeline") ? staffingLeads() : null]);
  return { board, leads };
}

const remindSchema = z.object({ intent: z.literal("remind"), channel: z.string().trim().min(1).max(40), language: z.string().trim().min(1).max(10) });

export async function action(args: ActionFunctionArgs) {
  // Reminding volunteers is a pipeline action (app/routes/volunteers.pipeline.tsx).
  const { user } = requireAbility(args, "read", "Pipeline");
  const parsed = remindSchema.safeParse(formValues(await readForm(args.request)));
  if (!parsed.success) return data({ error: "Choose a row to remind its volunteers." }, { status: 400 });
  const reminded = await remindOfflineVolunteers(parsed.data, user.id);
  return { reminded, channel: parsed.data.channel, language: parsed.data.language };
}

function useLiveRefresh() {
  const revalidator = useRevalidator();
  useEffect(() => {
    const timer = setInterval(() => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    }, REFRESH_MS);
    return () => clearInterval(timer);
  }, [revalidator]);
}

function StatusCell({ reasons }: { reasons: string[] }) {
  if (reasons.length === 0)
    return (
      <td className="capacity-ok">
        <span aria-hidden="true">✓ </span>On target
      </td>
    );
  return (
    <td className="capacity-under">
      <span aria-hidden="true">⚠ </span>
      <strong>Under target</strong>: {reasons.join("; ")}
    </td>
  );
}

/** A row's counts and the agents it needs, under CountHeaders. */
function CountCells({ c, agentsNeeded }: { c: Counts; agentsNeeded: number }) {
  return (
    <>
      <td data-metric="open">{c.open}</td>
      <td data-metric="waiting">{c.waiting}</td>
      <td data-metric="arrivals15">{c.arrivals15}</td>
      <td data-metric="arrivals60">{c.arrivals60}</td>
      <td data-metric="oldestWait">{waitLabel(c.oldestWaitMinutes)}</td>
      <td data-metric="resolved60">{c.resolved60}</td>
      <td data-metric="escalated">{c.escalated}</td>
      <td data-metric="deflected60">{c.deflected60}</td>
      <td data-metric="agentsOnline">{c.agentsOnline}</td>
      <td data-metric="freeSlots">{`${c.freeSlots} of ${c.slots}`}</td>
      <td data-metric="occupancy">{percent(c.occupancy)}</td>
      <td data-metric="serviceLevel">{percent(c.serviceLevel)}</td>
      <td data-metric="breaches">{c.missed60}</td>
      <td>{agentsNeeded}</td>
    </>
  );
}

const COUNT_HEADERS = [
  "Open",
  "Waiting",
  "Arrived 15 min",
  "Arrived 1 h",
  "Oldest waiting",
  "Resolved 1 h",
  "Escalated",
  "Deflected 1 h",
  "Agents online",
  "Free slots",
  "Occupancy",
  "Service level 1 h",
  "Breaches 1 h",
];

/** A totals table (per channel, per language): one row each, with its counts and the agents it needs. */
function TotalsTable({
  title,
  rowHeader,
  rows,
}: {
  title: string;
  rowHeader: string;
  rows: { key: string; name: string; data: Record<`data-${string}`, string>; counts: Counts & { agentsNeeded: number } }[];
}) {
  return (
    <ScrollTable label={title}>
      <table>
        <caption>{title}</caption>
        <thead>
          <tr>
            <th scope="col">{rowHeader}</th>
            <CountHeaders />
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.key} {...row.data}>
              <th scope="row">{row.name}</th>
              <CountCells c={row.counts} agentsNeeded={row.counts.agentsNeeded} />
            </tr>
          ))}
        </tbody>
      </table>
    </ScrollTable>
  );
}

/** The column headers of CountCells. */
function CountHeaders() {
  return (
    <>
      {COUNT_HEADERS.map((h) => (
        <th scope="col" key={h}>
          {h}
        </th>
      ))}
      <th scope="col">Agents needed</th>
    </>
  );
}

const modelName = (model: BoardRow["model"]) => (model === "erlang_c" ? "Erlang C (live)" : "Workload (email)");

function inputsText(i: StaffingInput) {
  return `${i.arrivalsPerHour} an hour, ${i.handleMinutes} min handling, ${i.concurrency} at once, reply within ${i.targetMinutes} min for ${Math.round(i.goal * 100)}%, ${i.backlog} waiting to clear in ${i.clearHours} h${i.model === "workload" ? `, ${Math.round(i.occupancy * 100)}% occupancy` : ""}`;
}

export default function CapacityBoard() {
  const { board, leads } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  useLiveRefresh();
  const [whatIfKey, setWhatIfKey] = useState<string | null>(null);
  const rowName = (r: Pick<BoardRow, "channelId" | "language">) => `${channelName(r.channelId)}, ${languageName(r.language)}`;
  const under = board.rows.filter((r) => r.underTarget.length > 0);
  return (
    <section aria-labelledby="capacity-title">
      <h1 id="capacity-title">Capacity</h1>
      <p>
        {`Per channel and language, as of ${new Date(board.at).toISOString().slice(11, 19)} UTC (refreshed every ${REFRESH_MS / 1000} seconds). Service level: first replies due in the last hour given within their target; the goal is ${Math.round(board.goal * 100)}%. `}
        <Link to="/capacity/history">History and daily report</Link>
        {" · "}
        <Link to="/capacity/alerts">Alerts and thresholds</Link>
        {" · "}
        <a href="#staffing">Staffing advice</a>
        {" · "}
        <a href="#forecast">Forecast</a>
      </p>
      <p className={under.length ? "capacity-under" : "capacity-ok"}>
        <span aria-hidden="true">{under.length ? "⚠ " : "✓ "}</span>
        {under.length ? `${under.length} of ${board.rows.length} rows under target.` : `All ${board.rows.length} rows on target.`}
      </p>

      <ScrollTable label="Channels and languages now">
        <table className="capacity-board">
          <caption>Channels and languages now</caption>
          <thead>
            <tr>
              <th scope="col">Channel, language</th>
              <th scope="col">Status</th>
              <CountHeaders />
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => (
              <tr key={row.key} data-row={row.key} className={row.underTarget.length ? "under-target" : undefined}>
                <th scope="row">{rowName(row)}</th>
                <StatusCell reasons={row.underTarget} />
                <CountCells c={row} agentsNeeded={row.advice.agentsNeeded} />
              </tr>
            ))}
            {board.rows.length === 0 ? (
              <tr>
                <td colSpan={COUNT_HEADERS.length + 3}>No open cases and no arrivals in the last hour.</td>
              </tr>
            ) : null}
          </tbody>
          <tfoot>
            <tr data-row="total">
              <th scope="row">All channels and languages</th>
              <td>{`${under.length} under target`}</td>
              <CountCells c={board.total} agentsNeeded={board.total.agentsNeeded} />
            </tr>
          </tfoot>
        </table>
      </ScrollTable>

      <h2>Totals</h2>
      <TotalsTable
        title="Per channel (agents counted once per channel)"
        rowHeader="Channel"
        rows={board.byChannel.map((c) => ({ key: c.channelId, name: channelName(c.channelId), data: { "data-channel": c.channelId }, counts: c }))}
      />
      <TotalsTable
        title="Per language (agents counted once per language)"
        rowHeader="Language"
        rows={board.byLanguage.map((l) => ({ key: l.language, name: languageName(l.language), data: { "data-language": l.language }, counts: l }))}
      />

      <h2 id="staffing">Staffing advice</h2>
      <p>
        Live channels: Erlang C on slots (agents × cases each works at once), with the measured handling time per case.
        Email: workload (arrivals × handling time over a planned occupancy). Both add the agents to clear the waiting cases
        in the given hours. Choose <em>What if</em> to change the inputs.
      </p>
      {done && "reminded" in done ? (
        <div className="notice success" role="status">
          <p>{`${done.reminded.length} certified volunteers for ${channelName(done.channel)} in ${languageName(done.language)} are offline (recorded in the audit log).`}</p>
          {done.reminded.length ? (
            <p>
              <a href={`mailto:?bcc=${done.reminded.map((r) => r.email).join(",")}&subject=${encodeURIComponent("Can you come online in Surge?")}`}>Write to them</a>
            </p>
          ) : null}
        </div>
      ) : null}
      <ScrollTable label="Agents needed per row, with the inputs used">
        <table>
          <caption>Agents needed per row, with the inputs used</caption>
          <thead>
            <tr>
              <th scope="col">Channel, language</th>
              <th scope="col">Model</th>
              <th scope="col">Inputs</th>
              <th scope="col">Needed (arrivals + backlog)</th>
              <th scope="col">Online</th>
              <th scope="col">Gap</th>
              <th scope="col">With the agents online</th>
              <th scope="col">Act</th>
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => {
              const lead = leads?.[row.key];
              const pipeline = (stage: string) => `/volunteers/pipeline?${new URLSearchParams({ language: row.language, channel: row.channelId, stage })}#selection`;
              return (
                <tr key={row.key} data-advice={row.key}>
                  <th scope="row">{rowName(row)}</th>
                  <td>{modelName(row.model)}</td>
                  <td>{inputsText(row.inputs)}</td>
                  <td>{`${row.advice.agentsNeeded} (${row.advice.agentsForArrivals} + ${row.advice.agentsForBacklog})`}</td>
                  <td>{row.agentsOnline}</td>
                  <td>{row.advice.gap > 0 ? `${row.advice.gap} short` : row.advice.gap < 0 ? `${-row.advice.gap} spare` : "none"}</td>
                  <td>
                    {row.advice.serviceLevel !== null ? `service level ${percent(row.advice.serviceLevel)}` : `${percent(row.advice.occupancy)} busy`}
                    {row.advice.hoursToClear === null ? "; backlog grows" : row.advice.hoursToClear > 0 ? `; backlog cleared in ${row.advice.hoursToClear.toFixed(1)} h` : ""}
                  </td>
                  <td>
                    <button type="button" className="link-button" onClick={() => setWhatIfKey(row.key)} aria-controls="what-if">
                      {`What if (${rowName(row)})`}
                    </button>
                    {row.advice.gap > 0 ? (
                      <Can I="read" a="Pipeline">
                        <ul className="capacity-actions">
                          <li>
                            <Form method="post" className="inline-form">
                              <CsrfInput />
                              <input type="hidden" name="intent" value="remind" />
                              <input type="hidden" name="channel" value={row.channelId} />
                              <input type="hidden" name="language" value={row.language} />
                              <button type="submit" className="link-button">{`Remind ${lead?.certifiedOffline ?? 0} certified, offline`}</button>
                            </Form>
                          </li>
                          <li>
                            <Link to={pipeline("inTraining")}>{`Nudge ${lead?.inTraining ?? 0} in training`}</Link>
                          </li>
                          <li>
                            <Link to="/volunteers/new">Invite more</Link>
                            {" or "}
                            <Link to={pipeline("enrolled")}>see who is enrolled</Link>
                          </li>
                        </ul>
                      </Can>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </ScrollTable>

      <WhatIf rows={board.rows} selected={whatIfKey} onSelect={setWhatIfKey} rowName={rowName} />

      <h2 id="forecast">Forecast, next 4 hours</h2>
      <p>
        Arrivals per hour: the same hour on the previous 7 days, averaged, then scaled to the last 3 hours against what
        those hours usually bring. The error is the method run on yesterday (each hour forecast 1 to 4 hours ahead from the
        history before it): mean absolute error in cases per hour, and as a share of yesterday&apos;s arrivals.
      </p>
      <ScrollTable label="Forecast arrivals and agents needed (for arrivals, without the backlog)">
        <table>
          <caption>Forecast arrivals and agents needed (for arrivals, without the backlog)</caption>
          <thead>
            <tr>
              <th scope="col">Channel, language</th>
              {(board.rows[0]?.forecast ?? []).map((f) => (
                <th scope="col" key={f.at}>{`${f.at.slice(11, 16)} UTC`}</th>
              ))}
              <th scope="col">Error on yesterday</th>
            </tr>
          </thead>
          <tbody>
            {board.rows.map((row) => (
              <tr key={row.key}>
                <th scope="row">{rowName(row)}</th>
                {row.forecast.map((f) => (
                  <td key={f.at}>{`${f.arrivals} arrivals, ${f.agentsNeeded} agents`}</td>
                ))}
                <td>
                  {row.forecastError && row.forecastError.weightedPercentError !== null
                    ? `${row.forecastError.meanAbsoluteError.toFixed(1)} per hour (${Math.round(row.forecastError.weightedPercentError * 100)}%)`
                    : "no arrivals yesterday"}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </section>
  );
}

const WHAT_IF_FIELDS: { key: keyof StaffingInput; label: string; step: string; scale?: number }[] = [
  { key: "agents", label: "Agents online", step: "1" },
  { key: "arrivalsPerHour", label: "Arrivals per hour", step: "1" },
  { key: "handleMinutes", label: "Handling time (minutes)", step: "0.1" },
  { key: "concurrency", label: "Cases per agent at once", step: "1" },
  { key: "targetMinutes", label: "First reply target (minutes)", step: "1" },
  { key: "goal", label: "Service level goal (%)", step: "1", scale: 100 },
  { key: "backlog", label: "Cases waiting", step: "1" },
  { key: "clearHours", label: "Hours to clear the backlog", step: "1" },
  { key: "occupancy", label: "Planned occupancy, email (%)", step: "1", scale: 100 },
];

function WhatIf({ rows, selected, onSelect, rowName }: { rows: BoardRow[]; selected: string | null; onSelect: (key: string) => void; rowName: (r: BoardRow) => string }) {
  const row = rows.find((r) => r.key === selected) ?? rows[0];
  // Edits belong to the row they were made on; choosing another row starts from its own inputs.
  const [edits, setEdits] = useState<{ key: string; values: Record<string, string> }>({ key: "", values: {} });
  if (!row) return null;
  const values = edits.key === row.key ? edits.values : {};
  const number = (field: (typeof WHAT_IF_FIELDS)[number]) => {
    const raw = values[field.key];
    const base = row.inputs[field.key] as number;
    if (raw === undefined || raw.trim() === "") return base;
    const parsed = Number(raw);
    return Number.isFinite(parsed) && parsed >= 0 ? parsed / (field.scale ?? 1) : base;
  };
  const inputs = { ...row.inputs } as StaffingInput;
  for (const field of WHAT_IF_FIELDS) (inputs as unknown as Record<string, number>)[field.key] = number(field);
  inputs.agents = Math.round(inputs.agents);
  inputs.concurrency = Math.max(1, Math.round(inputs.concurrency));
  const result = staffingAdvice(inputs);
  const extra = inputs.agents - row.agentsOnline;
  return (
    <section id="what-if" aria-labelledby="what-if-title" className="what-if">
      <h2 id="what-if-title">What if</h2>
      <div className="field">
        <label htmlFor="what-if-row">Row</label>
        <select id="what-if-row" value={row.key} onChange={(e) => onSelect(e.target.value)}>
          {rows.map((r) => (
            <option key={r.key} value={r.key}>
              {rowName(r)}
            </option>
          ))}
        </select>
      </div>
      <div className="what-if-fields">
        {WHAT_IF_FIELDS.map((field) => (
          <div className="field" key={field.key}>
            <label htmlFor={`what-if-${field.key}`}>{field.label}</label>
            <input
              id={`what-if-${field.key}`}
              type="number"
              min="0"
              step={field.step}
              value={values[field.key] ?? String(Math.round((row.inputs[field.key] as number) * (field.scale ?? 1) * 10) / 10)}
              onChange={(e) => setEdits({ key: row.key, values: { ...values, [field.key]: e.target.value } })}
            />
          </div>
        ))}
      </div>
      <p role="status" className="what-if-result">
        {`${rowName(row)}${extra !== 0 ? ` with ${Math.abs(extra)} ${extra > 0 ? "more" : "fewer"} agents (${inputs.agents})` : ` with ${inputs.agents} agents`}: `}
        {result.serviceLevel !== null ? `service level ${percent(result.serviceLevel)}, ` : ""}
        {`${percent(result.occupancy)} busy, ${result.agentsNeeded} agents needed (${result.agentsForArrivals} for arrivals, ${result.agentsForBacklog} for the backlog)`}
        {result.hoursToClear === null ? "; the backlog keeps growing." : result.hoursToClear > 0 ? `; the backlog is cleared in ${result.hoursToClear.toFixed(1)} h.` : "."}
      </p>
    </section>
  );
}
