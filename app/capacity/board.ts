// The capacity board: one row per channel and language, from the current
// state (counted by cheap indexed queries, capacity.server.ts) and the
// hourly rollup (history, handling times, forecast). Plain data in, plain
// data out; the staffing models are in staffing.ts, the forecast in
// forecast.ts.
import { backtest, forecastArrivals, type ForecastError } from "./forecast";
import { staffingAdvice, type StaffingAdvice, type StaffingInput, type StaffingModel } from "./staffing";

export type ChannelKind = "messaging" | "social" | "email";

export interface ChannelFacts {
  id: string;
  name: string;
  kind: ChannelKind;
  /** Cases one agent works at once on the channel. */
  concurrency: number;
}

/** Email-like channels are planned by workload; live ones by Erlang C. */
export function modelFor(kind: ChannelKind): StaffingModel {
  return kind === "email" ? "workload" : "erlang_c";
}

export interface CellCounts {
  channelId: string;
  language: string;
}

export interface OpenCell extends CellCounts {
  /** Cases not closed: waiting (open), with an agent (assigned, on hold), escalated. */
  waiting: number;
  withAgent: number;
  escalated: number;
  oldestWaitingAt: Date | null;
}

export interface RecentCell extends CellCounts {
  arrivals15: number;
  arrivals60: number;
  deflected60: number;
  resolved60: number;
  /** First replies that fell due in the last hour: in time, or not (breaches). */
  met60: number;
  missed60: number;
  /** Mean first-reply target of the last hour's arrivals (minutes), null without arrivals. */
  targetMinutes: number | null;
}

export interface HandleCell extends CellCounts {
  handled: number;
  handleSeconds: number;
}

export interface OnlineAgent {
  userId: string;
  channels: readonly string[];
  languages: readonly string[];
  /** Cases holding one of the agent's slots, per channel. */
  heldByChannel: Readonly<Record<string, number>>;
}

export interface BoardSettings {
  /** Share of first replies to give within target (0..1). */
  goal: number;
  /** Answer-time target when a row had no arrivals to average (minutes). */
  defaultTargetMinutes: number;
  /** Hours to plan clearing today's backlog in. */
  clearHours: number;
  /** Workload model: planned occupancy (0..1). */
  occupancy: number;
  /** Handling time when a row has too few resolved cases to measure (minutes). */
  defaultHandleMinutes: Record<ChannelKind, number>;
  /** Fewest resolved cases (last 24 h) for a row's own handling time. */
  minHandled: number;
}

export const DEFAULT_BOARD_SETTINGS: BoardSettings = {
  goal: 0.8,
  defaultTargetMinutes: 60,
  clearHours: 8,
  occupancy: 0.85,
  defaultHandleMinutes: { messaging: 15, social: 15, email: 10 },
  minHandled: 5,
};

export interface HourlyHistory {
  /** Arrivals per complete hour, oldest first, per "channel|language". */
  arrivals: ReadonlyMap<string, readonly number[]>;
  /** Index in those series of yesterday's first hour (UTC), or null when not covered. */
  yesterdayStart: number | null;
}

export interface BoardInput {
  now: Date;
  channels: readonly ChannelFacts[];
  open: readonly OpenCell[];
  recent: readonly RecentCell[];
  handle: readonly HandleCell[];
  agents: readonly OnlineAgent[];
  history: HourlyHistory;
  settings?: BoardSettings;
}

export interface Counts {
  open: number;
  waiting: number;
  escalated: number;
  oldestWaitMinutes: number | null;
  arrivals15: number;
  arrivals60: number;
  resolved60: number;
  deflected60: number;
  agentsOnline: number;
  slots: number;
  freeSlots: number;
  /** Busy share of the online agents' slots (null without agents). */
  occupancy: number | null;
  met60: number;
  /** Breaches: first replies due in the last hour and not given in time. */
  missed60: number;
  /** met / (met + missed) over the last hour, null when nothing fell due. */
  serviceLevel: number | null;
}

export interface ForecastHour {
  /** Start of the forecast hour. */
  at: string;
  arrivals: number;
  agentsNeeded: number;
}

export interface BoardRow extends Counts {
  key: string;
  channelId: string;
  language: string;
  model: StaffingModel;
  inputs: StaffingInput;
  advice: StaffingAdvice;
  forecast: ForecastHour[];
  forecastError: ForecastError | null;
  /** Why the row is under target (empty: on target). */
  underTarget: string[];
}

export interface Board {
  at: string;
  goal: number;
  rows: BoardRow[];
  byChannel: (Counts & { channelId: string; agentsNeeded: number })[];
  byLanguage: (Counts & { language: string; agentsNeeded: number })[];
  total: Counts & { agentsNeeded: number };
}

export const cellKey = (channelId: string, language: string) => `${channelId}|${language}`;
const MINUTE = 60_000;
const HOUR = 3_600_000;

function emptyCounts(): Counts {
  return {
    open: 0,
    waiting: 0,
    escalated: 0,
    oldestWaitMinutes: null,
    arrivals15: 0,
    arrivals60: 0,
    resolved60: 0,
    deflected60: 0,
    agentsOnline: 0,
    slots: 0,
    freeSlots: 0,
    occupancy: null,
    met60: 0,
    missed60: 0,
    serviceLevel: null,
  };
}

/** Slots of these agents on `channelId`, and how many are free. */
function slotsOf(agents: readonly OnlineAgent[], channel: ChannelFacts): { slots: number; free: number } {
  let slots = 0;
  let free = 0;
  for (const agent of agents) {
    slots += channel.concurrency;
    free += Math.max(0, channel.concurrency - (agent.heldByChannel[channel.id] ?? 0));
  }
  return { slots, free };
}

function finish(counts: Counts): Counts {
  const decided = counts.met60 + counts.missed60;
  return {
    ...counts,
    occupancy: counts.slots > 0 ? (counts.slots - counts.freeSlots) / counts.slots : null,
    serviceLevel: decided > 0 ? counts.met60 / decided : null,
  };
}

function addInto(target: Counts, row: Counts) {
  target.open += row.open;
  target.waiting += row.waiting;
  target.escalated += row.escalated;
  target.arrivals15 += row.arrivals15;
  target.arrivals60 += row.arrivals60;
  target.resolved60 += row.resolved60;
  target.deflected60 += row.deflected60;
  target.met60 += row.met60;
  target.missed60 += row.missed60;
  if (row.oldestWaitMinutes !== null) target.oldestWaitMinutes = Math.max(target.oldestWaitMinutes ?? 0, row.oldestWaitMinutes);
}

/** Handling minutes of a row: its own (last 24 h), else its channel's, else the default of the channel's kind. */
function handleMinutesFor(channel: ChannelFacts, language: string, handle: readonly HandleCell[], settings: BoardSettings): number {
  const own = handle.find((h) => h.channelId === channel.id && h.language === language);
  if (own && own.handled >= settings.minHandled) return own.handleSeconds / own.handled / 60;
  const channelCells = handle.filter((h) => h.channelId === channel.id);
  const handled = channelCells.reduce((sum, h) => sum + h.handled, 0);
  if (handled >= settings.minHandled) return channelCells.reduce((sum, h) => sum + h.handleSeconds, 0) / handled / 60;
  return settings.defaultHandleMinutes[channel.kind];
}

export function underTargetReasons(counts: Pick<Counts, "serviceLevel">, advice: Pick<StaffingAdvice, "gap">, goal: number): string[] {
  const reasons: string[] = [];
  if (counts.serviceLevel !== null && counts.serviceLevel < goal)
    reasons.push(`service level ${Math.round(counts.serviceLevel * 100)}% is below the ${Math.round(goal * 100)}% target`);
  if (advice.gap > 0) reasons.push(`short of ${advice.gap} agent${advice.gap === 1 ? "" : "s"}`);
  return reasons;
}

export function buildBoard(input: BoardInput): Board {
  const settings = input.settings ?? DEFAULT_BOARD_SETTINGS;
  const now = input.now.getTime();
  const channels = new Map(input.channels.map((c) => [c.id, c]));
  const keys = new Map<string, CellCounts>();
  const note = (cell: CellCounts) => {
    if (channels.has(cell.channelId)) keys.set(cellKey(cell.channelId, cell.language), { channelId: cell.channelId, language: cell.language });
  };
  input.open.forEach(note);
  input.recent.forEach(note);
  const open = new Map(input.open.map((c) => [cellKey(c.channelId, c.language), c]));
  const recent = new Map(input.recent.map((c) => [cellKey(c.channelId, c.language), c]));
  const nextHour = Math.floor(now / HOUR) * HOUR + HOUR;

  const rows: BoardRow[] = [...keys.values()]
    .sort((a, b) => a.channelId.localeCompare(b.channelId) || a.language.localeCompare(b.language))
    .map(({ channelId, language }) => {
      const key = cellKey(channelId, language);
      const channel = channels.get(channelId)!;
      const o = open.get(key);
      const r = recent.get(key);
      const agents = input.agents.filter((a) => a.channels.includes(channelId) && a.languages.includes(language));
      const { slots, free } = slotsOf(agents, channel);
      const counts = finish({
        ...emptyCounts(),
        open: (o?.waiting ?? 0) + (o?.withAgent ?? 0) + (o?.escalated ?? 0),
        waiting: o?.waiting ?? 0,
        escalated: o?.escalated ?? 0,
        oldestWaitMinutes: o?.oldestWaitingAt ? Math.max(0, Math.floor((now - o.oldestWaitingAt.getTime()) / MINUTE)) : null,
        arrivals15: r?.arrivals15 ?? 0,
        arrivals60: r?.arrivals60 ?? 0,
        resolved60: r?.resolved60 ?? 0,
        deflected60: r?.deflected60 ?? 0,
        met60: r?.met60 ?? 0,
        missed60: r?.missed60 ?? 0,
        agentsOnline: agents.length,
        slots,
        freeSlots: free,
      });
      const model = modelFor(channel.kind);
      const inputs: StaffingInput = {
        model,
        arrivalsPerHour: counts.arrivals60,
        handleMinutes: round(handleMinutesFor(channel, language, input.handle, settings), 1),
        concurrency: channel.concurrency,
        targetMinutes: round(r?.targetMinutes ?? settings.defaultTargetMinutes, 1),
        goal: settings.goal,
        backlog: counts.waiting,
        clearHours: settings.clearHours,
        occupancy: settings.occupancy,
        agents: counts.agentsOnline,
      };
      const advice = staffingAdvice(inputs);
      const series = input.history.arrivals.get(key) ?? [];
      const forecast = forecastArrivals(series, 4).map((arrivals, h) => ({
        at: new Date(nextHour + h * HOUR).toISOString(),
        arrivals: round(arrivals, 1),
        agentsNeeded: staffingAdvice({ ...inputs, arrivalsPerHour: arrivals, backlog: 0 }).agentsNeeded,
      }));
      const forecastError = input.history.yesterdayStart !== null && series.length > input.history.yesterdayStart ? backtest(series, input.history.yesterdayStart) : null;
      return { key, channelId, language, ...counts, model, inputs, advice, forecast, forecastError, underTarget: underTargetReasons(counts, advice, settings.goal) };
    });

  // Totals: case counts add up; agents are counted once per group (an agent
  // serving two languages is in two rows but one channel total).
  const group = <K extends "channelId" | "language">(field: K) => {
    const groups = new Map<string, Counts & { agentsNeeded: number }>();
    for (const row of rows) {
      const g = groups.get(row[field]) ?? { ...emptyCounts(), agentsNeeded: 0 };
      addInto(g, row);
      g.agentsNeeded += row.advice.agentsNeeded;
      groups.set(row[field], g);
    }
    return [...groups.entries()].map(([value, counts]) => {
      const agents = input.agents.filter((a) => (field === "channelId" ? a.channels.includes(value) : a.languages.includes(value)));
      let slots = 0;
      let free = 0;
      for (const agent of agents)
        for (const channelId of agent.channels) {
          if (field === "channelId" && channelId !== value) continue;
          const channel = channels.get(channelId);
          if (!channel) continue;
          const s = slotsOf([agent], channel);
          slots += s.slots;
          free += s.free;
        }
      return { value, counts: { ...finish({ ...counts, agentsOnline: agents.length, slots, freeSlots: free }), agentsNeeded: counts.agentsNeeded } };
    });
  };
  const total = { ...emptyCounts(), agentsNeeded: 0 };
  for (const row of rows) {
    addInto(total, row);
    total.agentsNeeded += row.advice.agentsNeeded;
  }
  let slots = 0;
  let free = 0;
  for (const agent of input.agents)
    for (const channelId of agent.channels) {
      const channel = channels.get(channelId);
      if (!channel) continue;
      const s = slotsOf([agent], channel);
      slots += s.slots;
      free += s.free;
    }
  return {
    at: input.now.toISOString(),
    goal: settings.goal,
    rows,
    byChannel: group("channelId").map(({ value, counts }) => ({ channelId: value, ...counts })),
    byLanguage: group("language")
      .map(({ value, counts }) => ({ language: value, ...counts }))
      .sort((a, b) => a.language.localeCompare(b.language)),
    total: { ...finish({ ...total, agentsOnline: input.agents.length, slots, freeSlots: free }), agentsNeeded: total.agentsNeeded },
  };
}

function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}
