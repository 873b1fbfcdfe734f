// Capacity alerts: a supervisor's threshold on backlog, oldest wait or
// service level, for one channel, one language, or both. The alert job
// (capacity-alerts.server.ts) measures each threshold on the board's rows,
// opens an alert when a breach starts and ends it when the breach ends.
import type { BoardRow } from "./board";

export const CAPACITY_METRICS = ["backlog", "oldest_wait", "service_level"] as const;
export type CapacityMetric = (typeof CAPACITY_METRICS)[number];

export const METRIC_LABELS: Record<CapacityMetric, { name: string; unit: string; breachWhen: string }> = {
  backlog: { name: "Backlog", unit: "open cases", breachWhen: "above" },
  oldest_wait: { name: "Oldest wait", unit: "minutes", breachWhen: "above" },
  service_level: { name: "Service level", unit: "%", breachWhen: "below" },
};

export interface ThresholdFact {
  id: string;
  metric: CapacityMetric;
  channelId: string | null;
  language: string | null;
  value: number;
}

export interface Measurement {
  threshold: ThresholdFact;
  /** The measured value (null: nothing to measure, e.g. no first reply fell due). */
  value: number | null;
  breached: boolean;
}

type Row = Pick<BoardRow, "channelId" | "language" | "open" | "oldestWaitMinutes" | "met60" | "missed60">;

/** The threshold's metric over the rows in its scope. */
export function measure(threshold: ThresholdFact, rows: readonly Row[]): number | null {
  const scoped = rows.filter((r) => (threshold.channelId === null || r.channelId === threshold.channelId) && (threshold.language === null || r.language === threshold.language));
  switch (threshold.metric) {
    case "backlog":
      return scoped.reduce((sum, r) => sum + r.open, 0);
    case "oldest_wait": {
      const waits = scoped.map((r) => r.oldestWaitMinutes).filter((w): w is number => w !== null);
      return waits.length ? Math.max(...waits) : 0;
    }
    case "service_level": {
      const met = scoped.reduce((sum, r) => sum + r.met60, 0);
      const decided = met + scoped.reduce((sum, r) => sum + r.missed60, 0);
      return decided > 0 ? Math.round((met / decided) * 1000) / 10 : null;
    }
  }
}

export function isBreach(metric: CapacityMetric, value: number | null, limit: number): boolean {
  if (value === null) return false;
  return metric === "service_level" ? value < limit : value > limit;
}

export function evaluateThresholds(thresholds: readonly ThresholdFact[], rows: readonly Row[]): Measurement[] {
  return thresholds.map((threshold) => {
    const value = measure(threshold, rows);
    return { threshold, value, breached: isBreach(threshold.metric, value, threshold.value) };
  });
}

/** "Backlog above 500 open cases on WhatsApp, Dutch". */
export function describeThreshold(t: Pick<ThresholdFact, "metric" | "channelId" | "language"> & { value: number }, names: { channel: (id: string) => string; language: (code: string) => string }): string {
  const label = METRIC_LABELS[t.metric];
  const scope = [t.channelId ? names.channel(t.channelId) : "all channels", t.language ? names.language(t.language) : "all languages"].join(", ");
  return `${label.name} ${label.breachWhen} ${t.value}${label.unit === "%" ? "%" : ` ${label.unit}`} on ${scope}`;
}
