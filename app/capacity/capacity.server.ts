// The capacity board's data: the current state from cheap indexed queries on
// "Case" (open cases per status, the last hour's arrivals, resolutions and
// due first replies), online agents and their slots, and the hourly rollup
// (capacity-rollup.server.ts) for handling times, history and the forecast.
// Everything is read from the database on each call, so every app instance
// shows the same board.
import { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import { presenceSilenceMs } from "~/cases/presence.server";
import { CASE_TAKING_VOLUNTEER_STATUSES, SLOT_STATUSES } from "~/cases/routing";
import { buildBoard, cellKey, DEFAULT_BOARD_SETTINGS, type Board, type BoardInput, type ChannelFacts, type HandleCell, type OnlineAgent, type OpenCell, type RecentCell } from "./board";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Hours of arrivals the forecast reads: today, yesterday (its backtest) and the week before yesterday. */
export const FORECAST_HISTORY_HOURS = 9 * 24;

export const hourStart = (at: Date | number) => new Date(Math.floor(new Date(at).getTime() / HOUR) * HOUR);
/** A UTC instant as the database's timestamp-without-time-zone literal. */
const ts = (at: Date) => at.toISOString();

export async function capacityChannels(): Promise<ChannelFacts[]> {
  const channels = await db.channel.findMany({ where: { active: true }, select: { id: true, name: true, kind: true, maxConcurrentPerAgent: true }, orderBy: { name: "asc" } });
  return channels.map((c) => ({ id: c.id, name: c.name, kind: c.kind, concurrency: Math.max(1, c.maxConcurrentPerAgent) }));
}

async function openCells(): Promise<OpenCell[]> {
  // Index-only scan of Case(status, channelId, language, receivedAt).
  const rows = await db.$queryRaw<{ channelId: string; language: string; status: string; n: number; oldest: Date | null }[]>`
    SELECT "channelId", language, status::text AS status, count(*)::int AS n, min("receivedAt") AS oldest
    FROM "Case" WHERE status IN ('open', 'assigned', 'on_hold', 'escalated')
    GROUP BY status, "channelId", language`;
  const cells = new Map<string, OpenCell>();
  for (const row of rows) {
    const key = cellKey(row.channelId, row.language);
    const cell = cells.get(key) ?? { channelId: row.channelId, language: row.language, waiting: 0, withAgent: 0, escalated: 0, oldestWaitingAt: null };
    if (row.status === "open") {
      cell.waiting += row.n;
      cell.oldestWaitingAt = row.oldest;
    } else if (row.status === "escalated") cell.escalated += row.n;
    else cell.withAgent += row.n;
    cells.set(key, cell);
  }
  return [...cells.values()];
}

async function recentCells(now: Date): Promise<RecentCell[]> {
  const hourAgo = ts(new Date(now.getTime() - HOUR));
  const quarterAgo = ts(new Date(now.getTime() - 15 * 60_000));
  const at = ts(now);
  const [arrivals, resolved, due] = await Promise.all([
    db.$queryRaw<{ channelId: string; language: string; a15: number; a60: number; d60: number; target: number | null }[]>`
      SELECT "channelId", language,
             count(*) FILTER (WHERE "receivedAt" >= ${quarterAgo}::timestamp)::int AS a15,
             count(*)::int AS a60,
             count(*) FILTER (WHERE "deflectedAt" IS NOT NULL)::int AS d60,
             (avg(extract(epoch FROM "firstResponseDueAt" - "receivedAt")) FILTER (WHERE "firstResponseDueAt" IS NOT NULL AND "deflectedAt" IS NULL) / 60)::float8 AS target
      FROM "Case" WHERE "receivedAt" >= ${hourAgo}::timestamp AND "receivedAt" <= ${at}::timestamp
      GROUP BY 1, 2`,
    db.$queryRaw<{ channelId: string; language: string; n: number }[]>`
      SELECT "channelId", language, count(*)::int AS n FROM "Case"
      WHERE "resolvedAt" >= ${hourAgo}::timestamp AND "resolvedAt" <= ${at}::timestamp GROUP BY 1, 2`,
    db.$queryRaw<{ channelId: string; language: string; met: number; missed: number }[]>(dueSql(hourAgo, at)),
  ]);
  const cells = new Map<string, RecentCell>();
  const cell = (channelId: string, language: string) => {
    const key = cellKey(channelId, language);
    let c = cells.get(key);
    if (!c) cells.set(key, (c = { channelId, language, arrivals15: 0, arrivals60: 0, deflected60: 0, resolved60: 0, met60: 0, missed60: 0, targetMinutes: null }));
    return c;
  };
  for (const a of arrivals) Object.assign(cell(a.channelId, a.language), { arrivals15: a.a15, arrivals60: a.a60, deflected60: a.d60, targetMinutes: a.target });
  for (const r of resolved) cell(r.channelId, r.language).resolved60 = r.n;
  for (const d of due) Object.assign(cell(d.channelId, d.language), { met60: d.met, missed60: d.missed });
  return [...cells.values()];
}

/**
 * First replies that fell due in [from, to): given in time (met) or not
 * (missed, a breach). A case the bot deflected, or one resolved or closed
 * before its due time without a reply, had nothing to answer and counts in
 * neither. Shared by the board (last hour) and the rollup (each hour).
 */
export function dueSql(from: string, to: string): Prisma.Sql {
  return Prisma.sql`
    SELECT "channelId", language,
           count(*) FILTER (WHERE "firstRespondedAt" <= "firstResponseDueAt")::int AS met,
           count(*) FILTER (WHERE "firstRespondedAt" IS NULL OR "firstRespondedAt" > "firstResponseDueAt")::int AS missed
    FROM "Case"
    WHERE "firstResponseDueAt" >= ${from}::timestamp AND "firstResponseDueAt" < ${to}::timestamp
      AND "deflectedAt" IS NULL
      AND ("firstRespondedAt" IS NOT NULL OR coalesce("resolvedAt", "closedAt") IS NULL OR coalesce("resolvedAt", "closedAt") > "firstResponseDueAt")
    GROUP BY 1, 2`;
}

/**
 * Agents online who may take cases (experienced agents; volunteers once
 * certified), with their channel and language skills and the cases holding
 * their slots per channel. Online as routing sees it: switched online and
 * heard from within the presence silence (app/cases/routing.ts isPresent).
 */
export async function onlineAgents(now = new Date()): Promise<OnlineAgent[]> {
  const seenSince = new Date(now.getTime() - presenceSilenceMs()).toISOString();
  const agents = await db.$queryRaw<{ userId: string; channels: string[]; languages: string[] }[]>`
    SELECT u.id AS "userId",
           coalesce(array_agg(substr(s."skillId", 9)) FILTER (WHERE s."skillId" LIKE 'channel:%'), '{}') AS channels,
           coalesce(array_agg(substr(s."skillId", 10)) FILTER (WHERE s."skillId" LIKE 'language:%'), '{}') AS languages
    FROM "AgentPresence" p
    JOIN "User" u ON u.id = p."userId"
    LEFT JOIN "Volunteer" v ON v."userId" = u.id
    JOIN "UserSkill" s ON s."userId" = u.id
    WHERE p.online AND p."lastSeenAt" >= ${seenSince}::timestamp AND u.status = 'active'
      AND (u.role = 'agent' OR (u.role = 'volunteer' AND v.status::text = ANY(${[...CASE_TAKING_VOLUNTEER_STATUSES]}::text[])))
    GROUP BY u.id`;
  if (agents.length === 0) return [];
  const held = await db.$queryRaw<{ userId: string; channelId: string; n: number }[]>`
    SELECT "assigneeId" AS "userId", "channelId", count(*)::int AS n FROM "Case"
    WHERE "assigneeId" = ANY(${agents.map((a) => a.userId)}::text[]) AND status::text = ANY(${[...SLOT_STATUSES]}::text[])
    GROUP BY 1, 2`;
  const byAgent = new Map<string, Record<string, number>>();
  for (const h of held) byAgent.set(h.userId, { ...byAgent.get(h.userId), [h.channelId]: h.n });
  return agents.map((a) => ({ ...a, heldByChannel: byAgent.get(a.userId) ?? {} }));
}

async function handleCells(now: Date): Promise<HandleCell[]> {
  return db.$queryRaw<HandleCell[]>`
    SELECT "channelId", language, sum(handled)::int AS handled, sum("handleSeconds")::float8 AS "handleSeconds"
    FROM "CapacityHour" WHERE hour >= ${ts(new Date(hourStart(now).getTime() - DAY))}::timestamp
    GROUP BY 1, 2`;
}

async function arrivalHistory(now: Date): Promise<BoardInput["history"]> {
  const end = hourStart(now).getTime();
  const start = end - FORECAST_HISTORY_HOURS * HOUR;
  const rows = await db.$queryRaw<{ hour: Date; channelId: string; language: string; arrivals: number }[]>`
    SELECT hour, "channelId", language, arrivals FROM "CapacityHour"
    WHERE hour >= ${ts(new Date(start))}::timestamp AND hour < ${ts(new Date(end))}::timestamp AND arrivals > 0`;
  const arrivals = new Map<string, number[]>();
  for (const row of rows) {
    const key = cellKey(row.channelId, row.language);
    let series = arrivals.get(key);
    if (!series) arrivals.set(key, (series = new Array<number>(FORECAST_HISTORY_HOURS).fill(0)));
    series[Math.round((row.hour.getTime() - start) / HOUR)] = row.arrivals;
  }
  const yesterday = Math.floor(now.getTime() / DAY) * DAY - DAY;
  return { arrivals, yesterdayStart: Math.round((yesterday - start) / HOUR) };
}

/** The first-reply target of the default (last) priority tier, in minutes. */
async function defaultTargetMinutes(): Promise<number> {
  const last = await db.serviceTarget.findFirst({ orderBy: { tier: "desc" }, select: { firstResponseMinutes: true } });
  return last?.firstResponseMinutes ?? DEFAULT_BOARD_SETTINGS.defaultTargetMinutes;
}

/** Everything the board needs, read now. */
export async function boardInput(now = new Date()): Promise<BoardInput> {
  const [channels, open, recent, handle, agents, history, targetMinutes] = await Promise.all([
    capacityChannels(),
    openCells(),
    recentCells(now),
    handleCells(now),
    onlineAgents(now),
    arrivalHistory(now),
    defaultTargetMinutes(),
  ]);
  return { now, channels, open, recent, handle, agents, history, settings: { ...DEFAULT_BOARD_SETTINGS, defaultTargetMinutes: targetMinutes } };
}

export async function capacityBoard(now = new Date()): Promise<Board> {
  return buildBoard(await boardInput(now));
}
