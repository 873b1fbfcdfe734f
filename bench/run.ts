// `npm run bench`: prints `BENCH <name> <value> <unit>` lines. Server time is
// measured in-process around the Remix request handler (no network), on the
// embedded database and on PostgreSQL (BENCH_DATABASE_URL, else
// TEST_DATABASE_URL, else the local server on 127.0.0.1:5432).
import { execFileSync } from "node:child_process";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { disconnectDb, getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { benchCases } from "./cases";
import { benchEnrolment } from "./enrolment";
import { benchPermissions } from "./permissions";
import { benchTraining } from "./training";
import { embeddedDatabase, postgresDatabase, root, type TestDatabase } from "../tests/support/databases";

process.env.SESSION_SECRET ??= "bench-session-secret-0123456789abcdef";
process.env.SURGE_COOKIE_SECURE = "0";

export function report(name: string, value: number, unit: string) {
  console.log(`BENCH ${name} ${Number.isInteger(value) ? value : value.toFixed(2)} ${unit}`);
}

export function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

async function benchFoundation(database: TestDatabase, label: "embedded" | "postgres") {
  process.env.DATABASE_URL = database.url;
  process.env.DATABASE_POOL_MAX = String(database.poolMax);
  const { Visitor, signedIn } = await import("../tests/support/app-client");
  await seedDemoData(getDb(), { cases: 2000 });
  const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;
  // Each sign-in is timed alone: the page visit that yields its CSRF token is not.
  const loginSamples: number[] = [];
  for (let i = 0; i < 23; i++) {
    const visitor = new Visitor();
    const csrf = await visitor.csrfToken();
    const start = performance.now();
    const response = await visitor.post("/login", { email: supervisor.email, password: supervisor.password }, { csrf });
    if (response.status !== 302) throw new Error(`sign-in failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
    if (i >= 3) loginSamples.push(performance.now() - start);
  }
  const loginMs = median(loginSamples);
  report(`login_ms.${label}`, loginMs, "ms");
  const signedInSupervisor = await signedIn(supervisor.email, supervisor.password);
  const homeMs = await timed(50, async () => {
    const response = await signedInSupervisor.get("/");
    if (response.status !== 200) throw new Error(`home failed: ${response.status}`);
    await response.text();
  });
  report(`home_page_ms.${label}`, homeMs, "ms");
  // Each capability's figures, on the same database (see bench/<area>.ts).
  await benchPermissions(label, report);
  await benchTraining(label, report);
  await benchEnrolment(label, report);
  await benchCases(label, report);
  await disconnectDb();
}

async function main() {
  execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: root, stdio: "ignore" });
  console.log(`# machine: ${(await import("node:os")).cpus().length} cores, Node ${process.version}`);
  const embedded = await embeddedDatabase();
  try {
    await benchFoundation(embedded, "embedded");
  } finally {
    await embedded.drop();
  }
  const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.TEST_DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
  let postgres: TestDatabase | null = null;
  try {
    postgres = await postgresDatabase(serverUrl);
  } catch (error) {
    console.log(`# PostgreSQL figures skipped: cannot reach ${serverUrl} (${(error as Error).message})`);
  }
  if (postgres) {
    try {
      await benchFoundation(postgres, "postgres");
    } finally {
      await postgres.drop();
    }
  }
}

await main();
