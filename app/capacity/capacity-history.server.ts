// History (7 days per hour) and the daily CSV report, both from the hourly
// rollup; the report adds the top contact-reason tags per channel from the
// cases resolved that day.
import { stringify } from "csv-stringify/sync";
import { db } from "~/db/db.server";
import { neutraliseCsvCell } from "~/enrolment/csv-export.server";
import { hourStart } from "./capacity.server";
import { HISTORY_DAYS, historySeries, type HistoryPoint, type HourTotals } from "./history";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface Scope {
  channelId: string | null;
  language: string | null;
}

export async function capacityHistory(scope: Scope, now = new Date()): Promise<HistoryPoint[]> {
  const current = hourStart(now).getTime();
  const from = current - HISTORY_DAYS * DAY;
  const [rows, [open]] = await Promise.all([
    db.$queryRaw<(Omit<HourTotals, "hour"> & { hour: Date })[]>`
      SELECT hour, sum(arrivals)::int AS arrivals, sum(closed)::int AS closed, sum("firstResponseMet")::int AS met,
             sum("firstResponseMissed")::int AS missed, sum("agentsOnline")::int AS "agentsOnline"
      FROM "CapacityHour"
      WHERE hour >= ${new Date(from).toISOString()}::timestamp
        AND (${scope.channelId}::text IS NULL OR "channelId" = ${scope.channelId})
        AND (${scope.language}::text IS NULL OR language = ${scope.language})
      GROUP BY hour`,
    db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM "Case" WHERE status IN ('open', 'assigned', 'on_hold', 'escalated')
        AND (${scope.channelId}::text IS NULL OR "channelId" = ${scope.channelId})
        AND (${scope.language}::text IS NULL OR language = ${scope.language})`,
  ]);
  // Agents online add up across rows of the scope: an agent with two languages counts twice in a channel's sum.
  return historySeries(
    rows.map((r) => ({ ...r, hour: r.hour.getTime() })),
    from,
    current,
    open?.n ?? 0,
  );
}

export const REPORT_COLUMNS = [
  "day",
  "channel",
  "language",
  "arrivals",
  "deflected",
  "resolved",
  "average_handling_minutes",
  "first_replies_in_time",
  "first_replies_late",
  "service_level_percent",
  "peak_agents_online",
  "top_contact_reasons",
] as const;

/** The daily report of one UTC day (YYYY-MM-DD) as CSV: a row per channel and language, and a total row per channel. */
export async function dailyReportCsv(day: string): Promise<string> {
  const from = new Date(`${day}T00:00:00.000Z`);
  const to = new Date(from.getTime() + DAY);
  const [rows, reasons] = await Promise.all([
    db.$queryRaw<{ channelId: string; language: string; arrivals: number; deflected: number; resolved: number; handled: number; handleSeconds: number; met: number; missed: number; peak: number }[]>`
      SELECT "channelId", language, sum(arrivals)::int AS arrivals, sum(deflected)::int AS deflected, sum(resolved)::int AS resolved,
             sum(handled)::int AS handled, sum("handleSeconds")::float8 AS "handleSeconds", sum("firstResponseMet")::int AS met,
             sum("firstResponseMissed")::int AS missed, max("agentsOnline")::int AS peak
      FROM "CapacityHour" WHERE hour >= ${from.toISOString()}::timestamp AND hour < ${to.toISOString()}::timestamp
      GROUP BY 1, 2 ORDER BY 1, 2`,
    db.$queryRaw<{ channelId: string; reason: string; n: number }[]>`
      SELECT "channelId", reason, count(*)::int AS n
      FROM "Case", unnest("contactReasons") AS reason
      WHERE "resolvedAt" >= ${from.toISOString()}::timestamp AND "resolvedAt" < ${to.toISOString()}::timestamp
      GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2`,
  ]);
  const topReasons = new Map<string, string>();
  for (const channelId of new Set(reasons.map((r) => r.channelId)))
    topReasons.set(
      channelId,
      reasons
        .filter((r) => r.channelId === channelId)
        .slice(0, 5)
        .map((r) => `${r.reason} (${r.n})`)
        .join("; "),
    );
  const line = (channelId: string, language: string, r: Omit<(typeof rows)[number], "channelId" | "language">) => {
    const decided = r.met + r.missed;
    return [
      day,
      channelId,
      language,
      r.arrivals,
      r.deflected,
      r.resolved,
      r.handled > 0 ? (r.handleSeconds / r.handled / 60).toFixed(1) : "",
      r.met,
      r.missed,
      decided > 0 ? ((r.met / decided) * 100).toFixed(1) : "",
      r.peak,
      topReasons.get(channelId) ?? "",
    ];
  };
  const records: unknown[][] = [];
  for (const channelId of [...new Set(rows.map((r) => r.channelId))]) {
    const own = rows.filter((r) => r.channelId === channelId);
    for (const r of own) records.push(line(channelId, r.language, r));
    const sum = (k: "arrivals" | "deflected" | "resolved" | "handled" | "handleSeconds" | "met" | "missed") => own.reduce((s, r) => s + r[k], 0);
    records.push(
      line(channelId, "all", {
        arrivals: sum("arrivals"),
        deflected: sum("deflected"),
        resolved: sum("resolved"),
        handled: sum("handled"),
        handleSeconds: sum("handleSeconds"),
        met: sum("met"),
        missed: sum("missed"),
        peak: Math.max(...own.map((r) => r.peak)),
      }),
    );
  }
  return stringify([[...REPORT_COLUMNS], ...records].map((record) => record.map(neutraliseCsvCell)));
}
