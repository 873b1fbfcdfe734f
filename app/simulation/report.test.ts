import { describe, expect, it } from "vitest";
import { lineChart, seriesOf } from "./report";
import type { BacklogSample } from "./metrics";

const sample = (simSeconds: number, whatsapp: number, email: number): BacklogSample => ({
  at: simSeconds,
  simSeconds,
  byChannel: { whatsapp, email },
  byLanguage: { en: whatsapp + email },
  agentsOnline: 3,
  arrived: 0,
  resolved: 0,
});

describe("report charts", () => {
  it("turns samples into one series per channel over simulated hours", () => {
    const series = seriesOf([sample(0, 1, 0), sample(3600, 5, 2)], (s) => s.byChannel);
    expect(series).toEqual([
      { name: "email", points: [[0, 0], [1, 2]] },
      { name: "whatsapp", points: [[0, 1], [1, 5]] },
    ]);
  });

  it("draws an accessible SVG line per series, scaled into the plot, with a legend", () => {
    const svg = lineChart("Backlog per channel", [{ name: "whatsapp", points: [[0, 0], [2, 10]] }], { xLabel: "hour", yLabel: "cases" });
    expect(svg).toMatch(/^<svg role="img" aria-labelledby="t-backlog-per-channel"/);
    expect(svg).toContain("<title id=\"t-backlog-per-channel\">Backlog per channel</title>");
    // From the bottom-left corner of the plot to the top-right.
    expect(svg).toContain('<path d="M56.0,220.0L510.0,16.0"');
    expect(svg).toContain(">whatsapp</text>");
  });
});
