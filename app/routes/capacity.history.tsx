// Capacity history: arrivals, backlog, service level and agents online per
// hour for the last 7 days, for everything or one channel and/or language,
// each as a chart and as a table; and the daily CSV report.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { capacityHistory } from "~/capacity/capacity-history.server";
import { capacityChannels } from "~/capacity/capacity.server";
import { HISTORY_DAYS, type HistoryPoint } from "~/capacity/history";
import { HourlyChart } from "~/capacity/hourly-chart";
import { ChannelScopeField, LanguageScopeField } from "~/capacity/scope-fields";
import { ScrollTable } from "~/capacity/scroll-table";
import { channelName, languageName } from "~/capacity/names";
import { requireAbility } from "~/permissions/guard.server";
import { SUPPORTED_LANGUAGES } from "~/reference/channels";

export const meta: MetaFunction = () => [{ title: "Capacity history · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Capacity");
  const params = new URL(args.request.url).searchParams;
  const channels = await capacityChannels();
  const channelId = channels.find((c) => c.id === params.get("channel"))?.id ?? null;
  const language = SUPPORTED_LANGUAGES.find((l) => l === params.get("language")) ?? null;
  const points = await capacityHistory({ channelId, language });
  const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
  return { points, channelId, language, channels: channels.map((c) => ({ id: c.id, name: c.name })), yesterday };
}

type Metric = "arrivals" | "backlog" | "serviceLevel" | "agentsOnline";
const METRICS: { key: Metric; title: string; unit: string }[] = [
  { key: "arrivals", title: "Arrivals per hour", unit: "cases" },
  { key: "backlog", title: "Backlog at the end of each hour", unit: "open cases" },
  { key: "serviceLevel", title: "Service level per hour (first replies due that hour, in time)", unit: "%" },
  { key: "agentsOnline", title: "Agents online per hour (most seen)", unit: "agents" },
];

function summary(points: HistoryPoint[], key: Metric, unit: string): string {
  const values = points.map((p) => p[key]).filter((v): v is number => v !== null);
  if (values.length === 0) return "No data in these 7 days.";
  const peak = Math.max(...values);
  const at = points.find((p) => p[key] === peak)!.at;
  const last = points[points.length - 1]![key];
  return `Highest ${peak} ${unit} at ${at.slice(0, 16).replace("T", " ")} UTC; last hour ${last ?? "none"}${last === null ? "" : ` ${unit}`}. The table below has every hour.`;
}

export default function CapacityHistory() {
  const { points, channelId, language, channels, yesterday } = useLoaderData<typeof loader>();
  const scope = `${channelId ? channelName(channelId) : "all channels"}, ${language ? languageName(language) : "all languages"}`;
  return (
    <section aria-labelledby="history-title">
      <h1 id="history-title">Capacity history</h1>
      <p>{`The last ${HISTORY_DAYS} days per hour (UTC), for ${scope}.`}</p>
      <Form method="get" className="filters">
        <ChannelScopeField id="history-channel" channels={channels} select={{ name: "channel", defaultValue: channelId ?? "" }} />
        <LanguageScopeField id="history-language" select={{ name: "language", defaultValue: language ?? "" }} />
        <button type="submit" className="secondary">
          Show
        </button>
      </Form>
      <h2>Daily report</h2>
      <p>
        {"One row per channel and language and a total per channel, with the top contact reasons of the cases resolved that day: "}
        <a href={`/capacity/report.csv?day=${yesterday}`} download>{`download yesterday's report (${yesterday}, CSV)`}</a>.
      </p>
      {METRICS.map((metric) => (
        <section key={metric.key} aria-label={metric.title}>
          <HourlyChart
            title={`${metric.title}, ${scope}`}
            summary={summary(points, metric.key, metric.unit)}
            unit={metric.unit}
            max={metric.key === "serviceLevel" ? 100 : undefined}
            points={points.map((p) => ({ at: p.at, value: p[metric.key] }))}
          />
        </section>
      ))}
      <details>
        <summary>The same data as a table</summary>
        <ScrollTable label="Per hour">
          <table>
            <caption>{`Per hour, ${scope}`}</caption>
            <thead>
              <tr>
                <th scope="col">Hour (UTC)</th>
                <th scope="col">Arrivals</th>
                <th scope="col">Backlog at the end</th>
                <th scope="col">Service level</th>
                <th scope="col">Agents online</th>
              </tr>
            </thead>
            <tbody>
              {points.map((p) => (
                <tr key={p.at}>
                  <th scope="row">{p.at.slice(0, 16).replace("T", " ")}</th>
                  <td>{p.arrivals}</td>
                  <td>{p.backlog}</td>
                  <td>{p.serviceLevel === null ? "–" : `${p.serviceLevel}%`}</td>
                  <td>{p.agentsOnline}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </ScrollTable>
      </details>
    </section>
  );
}
