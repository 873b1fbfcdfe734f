// A line chart of one hourly series, drawn with visx (scale, shape, group):
// plain SVG from props, so the server renders it and the browser hydrates
// the same markup. Axes are drawn here rather than with @visx/axis, whose
// labels carry inline styles that the Content-Security-Policy refuses. The
// table on the page carries the same numbers for screen readers.
import { Group } from "@visx/group";
import { scaleLinear } from "@visx/scale";
import { LinePath } from "@visx/shape";
import { useId } from "react";

const WIDTH = 760;
const HEIGHT = 200;
const MARGIN = { top: 12, right: 16, bottom: 30, left: 52 };

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
          {y.ticks(4).map((tick) => (
            <g key={tick} className="chart-grid">
              <line x1={0} x2={innerWidth} y1={y(tick)} y2={y(tick)} stroke="#ddd" />
              <text x={-6} y={y(tick)} dy="0.32em" textAnchor="end" fontSize={11} fill="#222">
                {tick}
              </text>
            </g>
          ))}
          <text x={-44} y={-2} fontSize={11} fill="#222">
            {unit}
          </text>
          <line x1={0} x2={innerWidth} y1={innerHeight} y2={innerHeight} stroke="#555" />
          {midnights.map((i) => (
            <g key={i}>
              <line x1={x(i)} x2={x(i)} y1={innerHeight} y2={innerHeight + 5} stroke="#555" />
              <text x={x(i)} y={innerHeight + 18} textAnchor="middle" fontSize={11} fill="#222">
                {points[i]!.at.slice(5, 10)}
              </text>
            </g>
          ))}
          <LinePath<ChartPoint> data={points} x={(_, i) => x(i)} y={(p) => y(p.value ?? 0)} defined={(p) => p.value !== null} stroke="#1d4ed8" strokeWidth={2} fill="none" />
        </Group>
      </svg>
      <figcaption>{title}</figcaption>
    </figure>
  );
}
