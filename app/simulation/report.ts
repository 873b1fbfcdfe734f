// The rehearsal's report: a plain-text summary for the terminal and a small
// self-contained HTML page with line charts drawn as inline SVG from the
// samples (no script, no external files: it opens anywhere, even offline).
import type { RehearsalReport } from "./rehearsal";
import { neededPerChannel, summariseAdvice } from "./staffing-advice";

export interface Series {
  name: string;
  points: [number, number][];
}

const COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22"];

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Series of one breakdown (by channel or by language) over simulated hours. */
export function seriesOf<S extends { simSeconds: number }>(samples: readonly S[], pick: (s: S) => Record<string, number>): Series[] {
  const names = new Set<string>();
  for (const sample of samples) for (const name of Object.keys(pick(sample))) names.add(name);
  return [...names].sort().map((name) => ({ name, points: samples.map((s) => [s.simSeconds / 3600, pick(s)[name] ?? 0] as [number, number]) }));
}

/** A line chart as an SVG element, with axes, a title for screen readers, and a legend. */
export function lineChart(title: string, series: readonly Series[], options: { xLabel: string; yLabel: string; width?: number; height?: number }): string {
  const width = options.width ?? 640;
  const height = options.height ?? 260;
  const margin = { left: 56, right: 130, top: 16, bottom: 40 };
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map(([x]) => x));
  const yMax = Math.max(1, ...all.map(([, y]) => y));
  const sx = (x: number) => margin.left + (x / xMax) * (width - margin.left - margin.right);
  const sy = (y: number) => height - margin.bottom - (y / yMax) * (height - margin.top - margin.bottom);
  const lines = series
    .map((s, i) => {
      const d = s.points.map(([x, y], j) => `${j === 0 ? "M" : "L"}${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join("");
      const colour = COLOURS[i % COLOURS.length];
      const legendY = margin.top + i * 16;
      return (
        `<path d="${d}" fill="none" stroke="${colour}" stroke-width="1.5"/>` +
        `<rect x="${width - margin.right + 10}" y="${legendY}" width="10" height="10" fill="${colour}"/>` +
        `<text x="${width - margin.right + 24}" y="${legendY + 9}" font-size="11">${escapeHtml(s.name)}</text>`
      );
    })
    .join("");
  const ticks = [0, 0.25, 0.5, 0.75, 1]
    .map(
      (t) =>
        `<text x="${margin.left - 6}" y="${sy(t * yMax) + 4}" font-size="10" text-anchor="end">${Math.round(t * yMax)}</text>` +
        `<text x="${sx(t * xMax)}" y="${height - margin.bottom + 14}" font-size="10" text-anchor="middle">${(t * xMax).toFixed(1)}</text>`,
    )
    .join("");
  return (
    `<svg role="img" aria-labelledby="t-${slug(title)}" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">` +
    `<title id="t-${slug(title)}">${escapeHtml(title)}</title>` +
    `<line x1="${margin.left}" y1="${height - margin.bottom}" x2="${width - margin.right}" y2="${height - margin.bottom}" stroke="#333"/>` +
    `<line x1="${margin.left}" y1="${margin.top}" x2="${margin.left}" y2="${height - margin.bottom}" stroke="#333"/>` +
    ticks +
    `<text x="${(margin.left + width - margin.right) / 2}" y="${height - 6}" font-size="11" text-anchor="middle">${escapeHtml(options.xLabel)}</text>` +
    `<text x="12" y="${(margin.top + height - margin.bottom) / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 12 ${(margin.top + height - margin.bottom) / 2})">${escapeHtml(options.yLabel)}</text>` +
    lines +
    `</svg>`
  );
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

/** The figures the terminal prints at the end. */
export function summaryLines(report: RehearsalReport): string[] {
  const next = report.latency["POST /cases/next"];
  const lines = [
    `Rehearsal ${report.runId}${report.stoppedEarly ? " (stopped early)" : ""}: ${report.durationSeconds.toFixed(1)} s (set-up ${report.setupSeconds.toFixed(1)} s), ${report.options.instances} instance(s), clock x${Math.round(report.options.speed)}`,
    `Cases: ${report.intake.posted} posted (${report.intake.created} created, ${report.intake.deflected} deflected by the bot), ${report.intake.followUps} follow-ups (${report.intake.threaded} threaded)`,
    `People: ${report.people.experienced} experienced agents, ${report.people.volunteersWorking}/${report.people.volunteers} volunteers working after training`,
    `Work: ${report.counters.resolved ?? 0} resolved, ${report.counters.replies ?? 0} replies, ${report.counters.gestures ?? 0} gestures, ${report.counters.escalated ?? 0} escalations`,
    `Service level: ${report.checks.serviceLevel.share === null ? "n/a" : `${(report.checks.serviceLevel.share * 100).toFixed(1)}%`} of cases answered within ${report.checks.serviceLevel.targetSimMinutes} simulated minutes`,
    `Next case over HTTP: p50 ${next?.p50 ?? 0} ms, p99 ${next?.p99 ?? 0} ms (${next?.count ?? 0} requests)`,
    `Errors: ${report.errors.withoutFault} outside faults (must be 0), ${report.errors.total} in all`,
    ...report.faults.map((f) => `Fault ${f.name}: ${f.errors} client error(s), recovered in ${f.recoveredAt === null ? "never" : ((f.recoveredAt - f.startedAt) / 1000).toFixed(1) + " s"} (${f.detail})`),
    adviceLine(report),
    ...(report.peakRssMb ? [`Peak memory per instance: ${report.peakRssMb.map((mb) => `${Math.round(mb)} MB`).join(", ")}`] : []),
    ...report.checks.checks.map((c) => `${c.ok ? "PASS" : "FAIL"} ${c.name}: ${c.detail}`),
  ];
  return lines;
}

function adviceLine(report: RehearsalReport): string {
  const advice = summariseAdvice(report.staffingAdvice.samples);
  if (!advice) return `Staffing advice: no read of the capacity board succeeded (${report.staffingAdvice.route})`;
  const at = (simSeconds: number) => `simulated hour ${(simSeconds / 3600).toFixed(1)}`;
  return (
    `Staffing advice (capacity board, ${advice.reads} reads of ${report.staffingAdvice.route}): peak ${advice.peak.agentsNeeded} agents needed with ${advice.peak.agentsOnline} online at ${at(advice.peak.simSeconds)}; ` +
    `last ${advice.last.agentsNeeded} needed with ${advice.last.agentsOnline} online; fewer online than advised in ${advice.short} of ${advice.reads} reads`
  );
}

/** What the board's advice is computed from, at this clock (the board counts real time). */
function adviceCaption(report: RehearsalReport): string {
  const { everyRealSeconds } = report.staffingAdvice;
  const speed = Math.round(report.options.speed);
  return (
    `Agents online (as the capacity board counts them: may take cases, heard from recently) against the board's staffing advice, ` +
    `read through the app by a supervisor (${report.staffingAdvice.route}) every ${everyRealSeconds.toFixed(1)} real seconds (${((everyRealSeconds * speed) / 3600).toFixed(1)} simulated hours). ` +
    `The board counts in real time: at x${speed} its last hour spans ${speed} simulated hours, so its arrival rate is every arrival so far (the run's, and any other case of the last real hour), ` +
    `its handling times are measured in real seconds by the hourly rollup (its defaults, 15 or 10 minutes, until 5 cases of a channel are resolved and rolled up, within a minute), ` +
    `and its targets and backlog clearing are in real minutes and hours. Read it as what a planner opening the board at that moment sees, not as a plan for a simulated hour.`
  );
}

export function reportHtml(report: RehearsalReport): string {
  const samples = report.samples;
  const advice = report.staffingAdvice.samples;
  const backlogChannel = lineChart("Backlog per channel", seriesOf(samples, (s) => s.byChannel), { xLabel: "simulated hour", yLabel: "open cases" });
  const backlogLanguage = lineChart("Backlog per language", seriesOf(samples, (s) => s.byLanguage), { xLabel: "simulated hour", yLabel: "open cases" });
  const people = lineChart(
    "Agents online and staffing advice",
    [
      { name: "agents online", points: advice.map((s) => [s.simSeconds / 3600, s.agentsOnline]) },
      { name: "agents needed", points: advice.map((s) => [s.simSeconds / 3600, s.agentsNeeded]) },
    ],
    { xLabel: "simulated hour", yLabel: "people" },
  );
  const neededByChannel = lineChart("Agents needed per channel", seriesOf(advice, neededPerChannel), { xLabel: "simulated hour", yLabel: "agents needed" });
  const flow = lineChart(
    "Cases arrived and resolved",
    [
      { name: "arrived", points: samples.map((s) => [s.simSeconds / 3600, s.arrived]) },
      { name: "resolved", points: samples.map((s) => [s.simSeconds / 3600, s.resolved]) },
    ],
    { xLabel: "simulated hour", yLabel: "cases" },
  );
  const latencyRows = Object.entries(report.latency)
    .map(([route, l]) => `<tr><th scope="row">${escapeHtml(route)}</th><td>${l.count}</td><td>${l.p50}</td><td>${l.p90}</td><td>${l.p99}</td><td>${l.max}</td></tr>`)
    .join("");
  const checkRows = report.checks.checks
    .map((c) => `<tr><th scope="row">${escapeHtml(c.name)}</th><td>${c.ok ? "pass" : "<strong>FAIL</strong>"}</td><td>${escapeHtml(c.detail)}</td></tr>`)
    .join("");
  const faultRows = report.faults
    .map(
      (f) =>
        `<tr><th scope="row">${escapeHtml(f.name)}</th><td>${escapeHtml(f.detail)}</td><td>${f.errors}</td><td>${f.recoveredAt === null ? "never" : ((f.recoveredAt - f.startedAt) / 1000).toFixed(1)}</td></tr>`,
    )
    .join("");
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Surge rehearsal ${escapeHtml(report.runId)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}table{border-collapse:collapse;margin:1rem 0}td,th{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}figure{margin:1rem 0}</style>
</head><body><main>
<h1>Surge rehearsal ${escapeHtml(report.runId)}</h1>
<pre>${escapeHtml(summaryLines(report).join("\n"))}</pre>
<h2>End-of-run checks</h2>
<table><thead><tr><th scope="col">Check</th><th scope="col">Result</th><th scope="col">Detail</th></tr></thead><tbody>${checkRows}</tbody></table>
<h2>Backlog</h2>
<figure>${backlogChannel}<figcaption>Open, assigned, on-hold and escalated cases per channel.</figcaption></figure>
<figure>${backlogLanguage}<figcaption>The same per language.</figcaption></figure>
<figure>${flow}<figcaption>Cases arrived and resolved, cumulative.</figcaption></figure>
<h2>People</h2>
<figure>${people}<figcaption>${escapeHtml(adviceCaption(report))}</figcaption></figure>
<figure>${neededByChannel}<figcaption>The same advice per channel (the sum of its language rows, as the board adds them); every channel and language row is in rehearsal.json.</figcaption></figure>
<h2>Latency per route (ms)</h2>
<table><thead><tr><th scope="col">Route</th><th scope="col">Requests</th><th scope="col">p50</th><th scope="col">p90</th><th scope="col">p99</th><th scope="col">max</th></tr></thead><tbody>${latencyRows}</tbody></table>
<h2>Faults</h2>
${report.faults.length ? `<table><thead><tr><th scope="col">Fault</th><th scope="col">What</th><th scope="col">Client errors</th><th scope="col">Seconds to recover</th></tr></thead><tbody>${faultRows}</tbody></table>` : "<p>No fault injected.</p>"}
<h2>Errors</h2>
<p>${report.errors.withoutFault} outside faults, ${report.errors.total} in all.</p>
${report.errors.samples.length ? `<ul>${report.errors.samples.map((e) => `<li>${(e.at / 1000).toFixed(1)} s ${escapeHtml(e.route)}: ${escapeHtml(e.what)}${e.fault ? ` (during ${escapeHtml(e.fault)})` : ""}</li>`).join("")}</ul>` : ""}
</main></body></html>
`;
}
