// A line chart of one hourly series (visx: plain SVG from props, so the
// server renders it and the browser hydrates the same markup). The table
// beside it carries the same numbers for screen readers.
import { AxisBottom, AxisLeft } from "@visx/axis";
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { useId } from "react";

const WIDTH = 760;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 36, left: 52 };

export interface ChartPoint {
  at: string;
  value: number | null;
}

export function HourlyChart({ title, summary, points, unit, max }: { title: string; summary: string; points: ChartPoint[]; unit: string; max?: number }) {
  const id = useId();
  const innerWidth = WIDTH - MARGIN.left - MARGIN.right;
  const innerHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const highest = max ?? Math.max(1, ...points.map((p) => p.value ?? 0));
  const x = scaleLinear<number>({ domain: [0, Math.max(1, points.length - 1)], range: [0, innerWidth] });
  const y = scaleLinear<number>({ domain: [0, highest], range: [innerHeight, 0], nice: true });
  // A tick at each midnight (UTC), labelled with the date.
  const midnights = points.map((p, i) => (p.at.slice(11, 13) === "00" ? i : -1)).filter((i) => i >= 0);
  return (
    <figure className="hourly-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{summary}</desc>
        <Group left={MARGIN.left} top={MARGIN.top}>
          <AxisLeft scale={y} numTicks={4} label={unit} stroke="#555" tickStroke="#555" tickLabelProps={{ fill: "#222", fontSize: 11, textAnchor: "end", dx: -4, dy: 3 }} labelProps={{ fill: "#222", fontSize: 11, textAnchor: "middle" }} />
          <AxisBottom
            top={innerHeight}
            scale={x}
            tickValues={midnights}
            tickFormat={(value) => points[Number(value)]?.at.slice(5, 10) ?? ""}
            stroke="#555"
            tickStroke="#555"
            tickLabelProps={{ fill: "#222", fontSize: 11, textAnchor: "middle" }}
          />
          <LinePath<ChartPoint>
            data={points}
            x={(_, i) => x(i)}
            y={(p) => y(p.value ?? 0)}
            defined={(p) => p.value !== null}
            stroke="#1d4ed8"
            strokeWidth={2}
          />
        </Group>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
