// History of one channel/language scope per hour, from the capacity rollup.
// The backlog at the end of an hour is not stored: it follows from the open
// cases now and what arrived and left after that hour (a case is open at H
// when it arrived by H and left after H):
//   backlog(H) = open now − arrivals after H + closures after H.
// Reopened cases make it approximate for hours before the reopening.

export interface HourTotals {
  /** Start of the hour (ms since epoch). */
  hour: number;
  arrivals: number;
  closed: number;
  met: number;
  missed: number;
  agentsOnline: number;
}

export interface HistoryPoint {
  /** Start of the hour, ISO. */
  at: string;
  arrivals: number;
  /** Open cases at the end of the hour. */
  backlog: number;
  /** Share of first replies due in the hour given in time (0..100), null when none fell due. */
  serviceLevel: number | null;
  agentsOnline: number;
}

const HOUR = 3_600_000;

/** Days the history page shows. */
export const HISTORY_DAYS = 7;

/**
 * One point per hour from `from` up to (not including) `currentHour`;
 * `rows` may include the current hour, whose arrivals and closures count
 * for the backlog of earlier hours.
 */
export function historySeries(rows: readonly HourTotals[], from: number, currentHour: number, openNow: number): HistoryPoint[] {
  const byHour = new Map<number, HourTotals>();
  for (const row of rows) {
    const seen = byHour.get(row.hour);
    if (!seen) byHour.set(row.hour, { ...row });
    else {
      seen.arrivals += row.arrivals;
      seen.closed += row.closed;
      seen.met += row.met;
      seen.missed += row.missed;
      seen.agentsOnline += row.agentsOnline;
    }
  }
  const points: HistoryPoint[] = [];
  // Walk backwards from now: undo each later hour's arrivals and closures.
  let backlog = openNow;
  const current = byHour.get(currentHour);
  if (current) backlog += current.closed - current.arrivals;
  for (let hour = currentHour - HOUR; hour >= from; hour -= HOUR) {
    const row = byHour.get(hour);
    const decided = (row?.met ?? 0) + (row?.missed ?? 0);
    points.push({
      at: new Date(hour).toISOString(),
      arrivals: row?.arrivals ?? 0,
      backlog: Math.max(0, backlog),
      serviceLevel: decided > 0 ? Math.round((row!.met / decided) * 1000) / 10 : null,
      agentsOnline: row?.agentsOnline ?? 0,
    });
    if (row) backlog += row.closed - row.arrivals;
  }
  return points.reverse();
}
