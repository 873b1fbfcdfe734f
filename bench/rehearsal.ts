// The rehearsal's short mode as a benchmark (issue 18): two app instances on
// a fresh PostgreSQL database, a compressed crisis day through HTTP, then
// the end-of-run checks. Run by bench/run.ts after the other parts, or alone:
//   BENCH_DATABASE_URL=postgresql://... tsx bench/rehearsal.ts
// Sizes: BENCH_REHEARSAL_CASES (50,000), BENCH_REHEARSAL_AGENTS (300),
// BENCH_REHEARSAL_DAY_SECONDS (300), BENCH_REHEARSAL_INSTANCES (2).
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { runRehearsal } from "../app/simulation/rehearsal";
import { freshRehearsalDatabase, REHEARSAL_ADMIN, startRehearsalCluster, writeReport } from "../app/simulation/rehearse.server";
import { summaryLines } from "../app/simulation/report";
import { requiredModuleAnswers } from "../app/simulation/training-key.server";
import { report } from "./report";
import { root } from "../tests/support/databases";

const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const cases = Number(process.env.BENCH_REHEARSAL_CASES ?? 50_000);
const agents = Number(process.env.BENCH_REHEARSAL_AGENTS ?? 300);
const daySeconds = Number(process.env.BENCH_REHEARSAL_DAY_SECONDS ?? 300);
const count = Number(process.env.BENCH_REHEARSAL_INSTANCES ?? 2);

console.log(`# rehearsal: ${cases} cases, ${agents} people, a ${daySeconds}-second day, ${count} instances on ${new URL(serverUrl).host}`);
const database = await freshRehearsalDatabase(root, serverUrl);
// The instances log warnings and errors only; errors are kept in a file beside the report, so a 500 can be traced.
const instanceLog = path.join(root, "reports", "bench-rehearsal", "instances.log");
mkdirSync(path.dirname(instanceLog), { recursive: true });
const instanceLines = createWriteStream(instanceLog);
const cluster = await startRehearsalCluster(root, database.url, count, (index, line) => instanceLines.write(`[${index}] ${line}\n`));
try {
  const result = await runRehearsal({
    instances: cluster.urls,
    databaseUrl: database.url,
    admin: REHEARSAL_ADMIN,
    cases,
    agents,
    daySeconds,
    seed: 1,
    cluster,
    training: await requiredModuleAnswers(),
    log: (line) => console.log(`# ${line}`),
  });
  for (const line of summaryLines(result)) console.log(`# ${line}`);
  const dir = path.join(root, "reports", "bench-rehearsal");
  mkdirSync(dir, { recursive: true });
  writeReport(dir, result);
  report("sim_duration_s", Math.round(result.durationSeconds), "s");
  report("sim_errors", result.errors.total, "errors");
  report("sim_lost_cases", result.checks.lostCases + result.checks.unacknowledgedCases, "cases");
  report("sim_double_assignments", result.checks.doubleAssignments.length, "cases");
  report("sim_next_case_http_p99_ms", result.latency["POST /cases/next"]?.p99 ?? 0, "ms");
  report("sim_peak_rss_mb", Math.round(Math.max(...(result.peakRssMb ?? [0]))), "MB");
} finally {
  await cluster.stop();
  await new Promise((resolve) => instanceLines.end(resolve));
  await database.drop();
}
