import { describe, expect, it } from "vitest";
import { historySeries } from "./history";

const H = 3_600_000;
const t0 = Date.UTC(2026, 11, 5, 0);

describe("history series", () => {
  it("derives the backlog at the end of each hour from the open cases now and later arrivals and closures", () => {
    const rows = [
      { hour: t0, arrivals: 10, closed: 2, met: 3, missed: 1, agentsOnline: 4 },
      { hour: t0 + H, arrivals: 5, closed: 8, met: 0, missed: 0, agentsOnline: 6 },
      // The current hour (not a point itself): 3 arrived, 1 left so far.
      { hour: t0 + 2 * H, arrivals: 3, closed: 1, met: 0, missed: 0, agentsOnline: 6 },
    ];
    // 20 open now → 18 at the end of hour 1 → 21 at the end of hour 0.
    expect(historySeries(rows, t0, t0 + 2 * H, 20)).toEqual([
      { at: new Date(t0).toISOString(), arrivals: 10, backlog: 21, serviceLevel: 75, agentsOnline: 4 },
      { at: new Date(t0 + H).toISOString(), arrivals: 5, backlog: 18, serviceLevel: null, agentsOnline: 6 },
    ]);
  });

  it("adds up the rows of one hour (several channels or languages) and fills empty hours", () => {
    const rows = [
      { hour: t0, arrivals: 1, closed: 0, met: 1, missed: 0, agentsOnline: 1 },
      { hour: t0, arrivals: 2, closed: 0, met: 0, missed: 1, agentsOnline: 2 },
    ];
    const series = historySeries(rows, t0, t0 + 3 * H, 3);
    expect(series.map((p) => [p.arrivals, p.backlog, p.serviceLevel, p.agentsOnline])).toEqual([
      [3, 3, 50, 3],
      [0, 3, null, 0],
      [0, 3, null, 0],
    ]);
  });
});
