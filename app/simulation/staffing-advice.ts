// The capacity board's staffing advice as the rehearsal's supervisor reads it:
// the board page's loader data (routes/capacity._index, the single-fetch
// `.data` request the open page repeats to refresh), never the database. Plain
// data in, plain data out; rehearsal.ts does the reading.
//
// The board counts in real time (its last hour and 15 minutes, handling
// times from the hourly rollup, the app's first-reply targets in real
// minutes); the rehearsal's clock is compressed, so the board's last hour
// spans the whole run so far. See docs/rehearsal.md, "Staffing advice".
import { z } from "zod";

/** The board page as a hydrated browser refreshes it. */
export const BOARD_PAGE = { route: "/capacity", path: "/capacity", routeId: "routes/capacity._index" } as const;

export interface AdviceCell {
  agentsNeeded: number;
  agentsOnline: number;
}

export interface AdviceSample {
  /** Real milliseconds since the start. */
  at: number;
  /** Simulated seconds since the start of the day. */
  simSeconds: number;
  /** The board's total: agents needed, and the agents online who may take cases, as it counted them. */
  agentsNeeded: number;
  agentsOnline: number;
  /** Arrivals in the board's last (real) hour, all rows: what the advice is computed from. */
  arrivalsLastHour: number;
  /** Per "channel|language" row of the board. */
  byCell: Record<string, AdviceCell>;
}

export type BoardAdvice = Omit<AdviceSample, "at" | "simSeconds">;

const count = z.number().int().nonnegative();
// Only the fields the rehearsal keeps; the board sends more (forecast, inputs, counts).
const boardData = z.object({
  board: z.object({
    total: z.object({ agentsNeeded: count, agentsOnline: count }),
    rows: z.array(
      z.object({
        channelId: z.string(),
        language: z.string(),
        agentsOnline: count,
        arrivals60: count,
        advice: z.object({ agentsNeeded: count }),
      }),
    ),
  }),
});

/** The advice out of the board page's loader data; throws when it is not the board's shape. */
export function adviceFromBoardData(data: unknown): BoardAdvice {
  const parsed = boardData.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`not the capacity board's data: ${issue?.path.join(".") || "the page"}: ${issue?.message}`);
  }
  const { total, rows } = parsed.data.board;
  return {
    agentsNeeded: total.agentsNeeded,
    agentsOnline: total.agentsOnline,
    arrivalsLastHour: rows.reduce((sum, row) => sum + row.arrivals60, 0),
    byCell: Object.fromEntries(rows.map((row) => [`${row.channelId}|${row.language}`, { agentsNeeded: row.advice.agentsNeeded, agentsOnline: row.agentsOnline }])),
  };
}

/** Agents needed per channel: the sum of its rows, as the board's channel totals add them. */
export function neededPerChannel(sample: Pick<AdviceSample, "byCell">): Record<string, number> {
  const needed: Record<string, number> = {};
  for (const [key, cell] of Object.entries(sample.byCell)) {
    const channelId = key.slice(0, key.indexOf("|"));
    needed[channelId] = (needed[channelId] ?? 0) + cell.agentsNeeded;
  }
  return needed;
}

/**
 * Real milliseconds between two reads of the board: once a simulated hour,
 * but not more often than every 2 real seconds (the board is a dozen
 * queries, and the rehearsal is also the load test).
 */
export function adviceIntervalMs(speed: number): number {
  return Math.max(2000, (3600 / speed) * 1000);
}

export interface AdviceSummary {
  reads: number;
  /** The read with the most agents needed, and the last one. */
  peak: AdviceSample;
  last: AdviceSample;
  /** Reads where fewer agents were online than the board advised. */
  short: number;
}

export function summariseAdvice(samples: readonly AdviceSample[]): AdviceSummary | null {
  const last = samples[samples.length - 1];
  if (!last) return null;
  const peak = samples.reduce((best, s) => (s.agentsNeeded > best.agentsNeeded ? s : best));
  return { reads: samples.length, peak, last, short: samples.filter((s) => s.agentsOnline < s.agentsNeeded).length };
}
