// The hourly capacity rollup: per hour, channel and language, the arrivals,
// deflections, resolutions with their handling time, closures, first replies
// due (met or missed) and the most agents seen online. History charts, the
// forecast and the handling times read these rows instead of every case.
//
// A background job in every app instance runs rollupCapacity(); a
// transaction-level advisory lock makes one instance do the work and the
// others skip. Each run recomputes the hours that are not final yet (the
// current one and the previous, and on a new installation the 9 days the
// forecast needs), from indexed range queries over one hour each, and
// writes only rows whose numbers changed. An hour becomes final 15 minutes
// after it ended; later changes to its cases (a reopened case) are not
// counted back.
import { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import { cellKey, type OnlineAgent } from "./board";
import { dueSql, FORECAST_HISTORY_HOURS, hourStart, onlineAgents } from "./capacity.server";

const HOUR = 3_600_000;
const FINAL_AFTER_MS = 15 * 60_000;
const LOCK = "surge_capacity_rollup";

type Tx = Prisma.TransactionClient;

interface HourCell {
  channelId: string;
  language: string;
  arrivals: number;
  deflected: number;
  resolved: number;
  handled: number;
  handleSeconds: number;
  closed: number;
  firstResponseMet: number;
  firstResponseMissed: number;
}

async function computeHour(tx: Tx, hour: Date): Promise<HourCell[]> {
  const from = hour.toISOString();
  const to = new Date(hour.getTime() + HOUR).toISOString();
  // One after the other: a transaction runs on one connection.
  const arrivals = await tx.$queryRaw<{ channelId: string; language: string; arrivals: number; deflected: number }[]>`
      SELECT "channelId", language, count(*)::int AS arrivals, count(*) FILTER (WHERE "deflectedAt" IS NOT NULL)::int AS deflected
      FROM "Case" WHERE "receivedAt" >= ${from}::timestamp AND "receivedAt" < ${to}::timestamp GROUP BY 1, 2`;
  const resolved = await tx.$queryRaw<{ channelId: string; language: string; resolved: number; handled: number; handleSeconds: number }[]>`
      SELECT "channelId", language, count(*)::int AS resolved,
             count(*) FILTER (WHERE "assignedAt" IS NOT NULL AND "assignedAt" <= "resolvedAt")::int AS handled,
             coalesce(round(sum(extract(epoch FROM "resolvedAt" - "assignedAt")) FILTER (WHERE "assignedAt" IS NOT NULL AND "assignedAt" <= "resolvedAt")), 0)::int AS "handleSeconds"
      FROM "Case" WHERE "resolvedAt" >= ${from}::timestamp AND "resolvedAt" < ${to}::timestamp GROUP BY 1, 2`;
  // A case leaves the open states when resolved, or closed without a resolution (bot, stale sweep).
  const closed = await tx.$queryRaw<{ channelId: string; language: string; closed: number }[]>`
      SELECT "channelId", language, count(*)::int AS closed FROM (
        SELECT "channelId", language FROM "Case" WHERE "resolvedAt" >= ${from}::timestamp AND "resolvedAt" < ${to}::timestamp
        UNION ALL
        SELECT "channelId", language FROM "Case" WHERE "resolvedAt" IS NULL AND "closedAt" >= ${from}::timestamp AND "closedAt" < ${to}::timestamp
      ) c GROUP BY 1, 2`;
  const due = await tx.$queryRaw<{ channelId: string; language: string; met: number; missed: number }[]>(dueSql(from, to));
  const cells = new Map<string, HourCell>();
  const cell = (channelId: string, language: string) => {
    const key = cellKey(channelId, language);
    let c = cells.get(key);
    if (!c)
      cells.set(key, (c = { channelId, language, arrivals: 0, deflected: 0, resolved: 0, handled: 0, handleSeconds: 0, closed: 0, firstResponseMet: 0, firstResponseMissed: 0 }));
    return c;
  };
  for (const a of arrivals) Object.assign(cell(a.channelId, a.language), { arrivals: a.arrivals, deflected: a.deflected });
  for (const r of resolved) Object.assign(cell(r.channelId, r.language), { resolved: r.resolved, handled: r.handled, handleSeconds: r.handleSeconds });
  for (const c of closed) cell(c.channelId, c.language).closed = c.closed;
  for (const d of due) Object.assign(cell(d.channelId, d.language), { firstResponseMet: d.met, firstResponseMissed: d.missed });
  return [...cells.values()];
}

/** Agents online per channel and language now (an agent counts in every pair of their skills). */
export function agentsPerCell(agents: readonly OnlineAgent[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const agent of agents) for (const channelId of agent.channels) for (const language of agent.languages) counts.set(cellKey(channelId, language), (counts.get(cellKey(channelId, language)) ?? 0) + 1);
  return counts;
}

async function writeHour(tx: Tx, hour: Date, cells: HourCell[], agents: Map<string, number> | null): Promise<void> {
  const keys = new Map(cells.map((c) => [cellKey(c.channelId, c.language), c]));
  if (agents) for (const key of agents.keys()) if (!keys.has(key)) {
    const [channelId, language] = key.split("|") as [string, string];
    keys.set(key, { channelId, language, arrivals: 0, deflected: 0, resolved: 0, handled: 0, handleSeconds: 0, closed: 0, firstResponseMet: 0, firstResponseMissed: 0 });
  }
  const rows = [...keys.entries()].map(([key, c]) => ({ ...c, agentsOnline: agents?.get(key) ?? 0 }));
  if (rows.length === 0) return;
  const col = <K extends keyof (typeof rows)[number]>(k: K) => rows.map((r) => r[k]);
  // Only rows whose numbers changed are written; the agents online keep the highest count seen in the hour.
  await tx.$executeRaw`
    INSERT INTO "CapacityHour" (hour, "channelId", language, arrivals, deflected, resolved, handled, "handleSeconds", closed, "firstResponseMet", "firstResponseMissed", "agentsOnline")
    SELECT ${hour.toISOString()}::timestamp, * FROM unnest(${col("channelId")}::text[], ${col("language")}::text[], ${col("arrivals")}::int[], ${col("deflected")}::int[],
      ${col("resolved")}::int[], ${col("handled")}::int[], ${col("handleSeconds")}::int[], ${col("closed")}::int[], ${col("firstResponseMet")}::int[],
      ${col("firstResponseMissed")}::int[], ${col("agentsOnline")}::int[])
    ON CONFLICT (hour, "channelId", language) DO UPDATE SET
      arrivals = EXCLUDED.arrivals, deflected = EXCLUDED.deflected, resolved = EXCLUDED.resolved, handled = EXCLUDED.handled,
      "handleSeconds" = EXCLUDED."handleSeconds", closed = EXCLUDED.closed, "firstResponseMet" = EXCLUDED."firstResponseMet",
      "firstResponseMissed" = EXCLUDED."firstResponseMissed", "agentsOnline" = GREATEST("CapacityHour"."agentsOnline", EXCLUDED."agentsOnline")
    WHERE ("CapacityHour".arrivals, "CapacityHour".deflected, "CapacityHour".resolved, "CapacityHour".handled, "CapacityHour"."handleSeconds",
           "CapacityHour".closed, "CapacityHour"."firstResponseMet", "CapacityHour"."firstResponseMissed", "CapacityHour"."agentsOnline")
      IS DISTINCT FROM (EXCLUDED.arrivals, EXCLUDED.deflected, EXCLUDED.resolved, EXCLUDED.handled, EXCLUDED."handleSeconds",
           EXCLUDED.closed, EXCLUDED."firstResponseMet", EXCLUDED."firstResponseMissed", GREATEST("CapacityHour"."agentsOnline", EXCLUDED."agentsOnline"))`;
}

/**
 * Recomputes the hours that are not final; returns how many it computed
 * (0 when another instance holds the lock). `maxHours` bounds one run's
 * catch-up work; the rest follows in the next runs, newest first.
 */
export async function rollupCapacity(now = new Date(), options: { maxHours?: number } = {}): Promise<number> {
  const current = hourStart(now).getTime();
  const first = current - (FORECAST_HISTORY_HOURS + 24) * HOUR;
  // Read before the transaction: the embedded database serves one connection, which the transaction holds.
  const agents = agentsPerCell(await onlineAgents(now));
  return db.$transaction(
    async (tx) => {
      const [lock] = await tx.$queryRaw<{ locked: boolean }[]>`SELECT pg_try_advisory_xact_lock(hashtext(${LOCK})) AS locked`;
      if (!lock?.locked) return 0;
      const done = await tx.capacityRollupHour.findMany({ where: { hour: { gte: new Date(first) }, final: true }, select: { hour: true } });
      const final = new Set(done.map((d) => d.hour.getTime()));
      const due: Date[] = [];
      for (let at = current; at >= first && due.length < (options.maxHours ?? 48); at -= HOUR) if (!final.has(at)) due.push(new Date(at));
      for (const hour of due) {
        await writeHour(tx, hour, await computeHour(tx, hour), hour.getTime() === current ? agents : null);
        const isFinal = now.getTime() >= hour.getTime() + HOUR + FINAL_AFTER_MS;
        await tx.capacityRollupHour.upsert({ where: { hour }, create: { hour, computedAt: now, final: isFinal }, update: { computedAt: now, final: isFinal } });
      }
      return due.length;
    },
    { timeout: 120_000 },
  );
}

export const capacityRollupJob = { name: "capacity rollup", everyMs: 60_000, run: () => rollupCapacity() };
