// `npm run simulate`: replays a crisis day against Surge (see docs/rehearsal.md).
//   npm run simulate -- --start 2 --smoke                     two instances it starts on a fresh database
//   npm run simulate -- --instances http://a:3000,http://b:3000 --database-url postgresql://...
// Ctrl-C stops the day: no new cases, people finish the case in hand, the
// report is written with what happened so far. A second Ctrl-C quits at once.
import { appendFileSync, mkdirSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DAY_SECONDS } from "./crisis-model";
import { runRehearsal, type FaultKind, type Progress } from "./rehearsal";
import { freshRehearsalDatabase, REHEARSAL_ADMIN, startRehearsalCluster, writeReport } from "./rehearse.server";
import { summaryLines } from "./report";
import type { Cluster } from "./cluster.server";
import { requiredModuleAnswers } from "./training-key.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

const USAGE = `Usage: npm run simulate -- [--start N | --instances URL,URL] [options]
  --start N              start N app instances on a fresh database on --database-url's server
  --instances URLS       talk to running instances (comma-separated); needs --database-url and an admin
  --database-url URL     PostgreSQL (default: DATABASE_URL, else postgresql://postgres@127.0.0.1:5432/postgres with --start)
  --admin-email/--admin-password   an admin of the running instances (default SURGE_REHEARSAL_ADMIN_EMAIL/_PASSWORD)
  --short                the compressed day: 50,000 cases, 300 people, a 5-minute day
  --smoke                a very small day: 300 cases, 20 people, a 20-second day
  --cases N --agents N   sizes (override the mode's)
  --speed X              simulated seconds per real second (default: the mode's day length)
  --day-seconds S        real seconds the day lasts (instead of --speed)
  --seed N               same seed, same crisis (default 1)
  --fault KIND@F         kill | terminate-connections | sigterm at fraction F of the day (repeatable; needs --start)
  --report-dir DIR       where rehearsal.json and rehearsal.html go (default reports/rehearsal-<time>)
  --keep-database        keep the fresh database (--start) after the run`;

function fail(message: string): never {
  console.error(message);
  console.error(USAGE);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    start: { type: "string" },
    instances: { type: "string" },
    "database-url": { type: "string" },
    "admin-email": { type: "string" },
    "admin-password": { type: "string" },
    short: { type: "boolean" },
    smoke: { type: "boolean" },
    cases: { type: "string" },
    agents: { type: "string" },
    speed: { type: "string" },
    "day-seconds": { type: "string" },
    seed: { type: "string" },
    fault: { type: "string", multiple: true },
    "report-dir": { type: "string" },
    "keep-database": { type: "boolean" },
    help: { type: "boolean" },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}

const mode = values.short ? { cases: 50_000, agents: 300, daySeconds: 300 } : values.smoke ? { cases: 300, agents: 20, daySeconds: 20 } : { cases: 5_000, agents: 60, daySeconds: 120 };
const positive = (value: string | undefined, name: string, fallback: number) => {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) fail(`${name} must be a positive number.`);
  return n;
};
const cases = Math.round(positive(values.cases, "--cases", mode.cases));
const agents = Math.round(positive(values.agents, "--agents", mode.agents));
const daySeconds = values.speed ? DAY_SECONDS / positive(values.speed, "--speed", 1) : positive(values["day-seconds"], "--day-seconds", mode.daySeconds);
const seed = Math.round(positive(values.seed, "--seed", 1));
const faults = (values.fault ?? []).map((spec) => {
  const [kind, at] = spec.split("@");
  if (!["kill", "terminate-connections", "sigterm"].includes(kind ?? "")) fail(`Unknown fault ${kind}.`);
  return { kind: kind as FaultKind, at: at === undefined ? 0.5 : Math.min(0.95, positive(at, "--fault fraction", 0.5)) };
});
if (!values.start && !values.instances) fail("Give --start N or --instances URLS.");
if (faults.length && !values.start) fail("Faults need instances the simulator started itself (--start N).");
const reportDir = path.resolve(values["report-dir"] ?? path.join(root, "reports", `rehearsal-${new Date().toISOString().replaceAll(":", "-").slice(0, 19)}`));
mkdirSync(reportDir, { recursive: true });

const controller = new AbortController();
let interrupts = 0;
process.on("SIGINT", () => {
  interrupts++;
  if (interrupts > 1) process.exit(130);
  console.error("\nStopping: no new cases; people finish the case in hand; then the checks and the report. Ctrl-C again quits at once.");
  controller.abort();
});

const tty = process.stderr.isTTY;
let lastLine = 0;
function showProgress(p: Progress) {
  const hours = Math.floor(p.simSeconds / 3600);
  const minutes = Math.floor((p.simSeconds % 3600) / 60);
  const text = `${p.phase} sim ${String(hours).padStart(2, "0")}:${String(minutes).padStart(2, "0")} cases ${p.posted}/${p.total} backlog ${p.backlog} resolved ${p.resolved} working ${p.peopleWorking} errors ${p.errors}`;
  if (tty) {
    const width = 24;
    const done = Math.round(p.dayFraction * width);
    process.stderr.write(`\r[${"#".repeat(done)}${"-".repeat(width - done)}] ${Math.round(p.dayFraction * 100)}% ${text}\x1b[K`);
  } else if (Date.now() - lastLine > 10_000) {
    lastLine = Date.now();
    console.error(`${Math.round(p.dayFraction * 100)}% ${text}`);
  }
}

const log = (line: string) => {
  if (tty) process.stderr.write("\r\x1b[K");
  console.error(`[rehearsal] ${line}`);
};

let cluster: Cluster | null = null;
let database: { url: string; drop(): Promise<void> } | null = null;
let exitCode = 0;
try {
  let urls: string[];
  let databaseUrl: string;
  let admin = { email: values["admin-email"] ?? process.env.SURGE_REHEARSAL_ADMIN_EMAIL ?? "", password: values["admin-password"] ?? process.env.SURGE_REHEARSAL_ADMIN_PASSWORD ?? "" };
  if (values.start) {
    const count = Math.round(positive(values.start, "--start", 2));
    const serverUrl = values["database-url"] ?? process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
    log(`creating a fresh database on ${new URL(serverUrl).host} and starting ${count} instance(s) ...`);
    database = await freshRehearsalDatabase(root, serverUrl);
    const instanceLog = path.join(reportDir, "instances.log");
    cluster = await startRehearsalCluster(root, database.url, count, (index, line) => appendFileSync(instanceLog, `[${index}] ${line}\n`));
    urls = cluster.urls;
    databaseUrl = database.url;
    admin = REHEARSAL_ADMIN;
  } else {
    urls = values.instances!.split(",").map((u) => u.trim()).filter(Boolean);
    databaseUrl = values["database-url"] ?? process.env.DATABASE_URL ?? fail("--instances needs --database-url (for the samples and the checks).");
    if (!admin.email || !admin.password) fail("--instances needs an admin: --admin-email and --admin-password.");
  }
  const report = await runRehearsal({
    instances: urls,
    databaseUrl,
    admin,
    cases,
    agents,
    daySeconds,
    seed,
    faults,
    cluster: cluster ?? undefined,
    training: await requiredModuleAnswers(),
    signal: controller.signal,
    onProgress: showProgress,
    log,
  });
  if (tty) process.stderr.write("\n");
  for (const line of summaryLines(report)) console.log(line);
  const files = writeReport(reportDir, report);
  console.log(`Report: ${files.html} (data: ${files.json})`);
  if (report.errors.withoutFault > 0 || report.checks.checks.some((c) => !c.ok)) exitCode = 1;
} catch (error) {
  if (tty) process.stderr.write("\n");
  console.error(`[rehearsal] failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  exitCode = 1;
} finally {
  await cluster?.stop();
  if (database && !values["keep-database"]) await database.drop().catch(() => undefined);
}
process.exit(exitCode);
