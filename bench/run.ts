// `npm run bench`: prints `BENCH <name> <value> <unit>` lines. Builds the
// app, then for the embedded database and for PostgreSQL (BENCH_DATABASE_URL,
// else TEST_DATABASE_URL, else the local server on 127.0.0.1:5432) runs each
// capability's benchmark (bench/<part>.ts) in a process of its own, one
// after the other on the same database, as bench/part.ts describes.
// BENCH_PARTS=cases,enrolment runs only some parts; "rehearsal" is the
// simulator's short mode on two instances (bench/rehearsal.ts), PostgreSQL only.
import { execFileSync, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import { embeddedDatabase, postgresDatabase, root, type TestDatabase } from "../tests/support/databases";
import { BENCH_PARTS } from "./part-names";

/** Runs one part in a child process; asynchronously, since the embedded database is served from this process. */
function runPart(part: string, database: TestDatabase, label: "embedded" | "postgres"): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/part.ts"), part, label], {
      cwd: root,
      stdio: "inherit",
      // React's production build, as `npm start` and `npm run serve` run it.
      env: { ...process.env, NODE_ENV: "production", DATABASE_URL: database.url, DATABASE_POOL_MAX: String(database.poolMax) },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bench part ${part} (${label}) exited with ${code}`))));
  });
}

async function runParts(database: TestDatabase, label: "embedded" | "postgres") {
  const wanted: readonly string[] = process.env.BENCH_PARTS?.split(",") ?? BENCH_PARTS;
  for (const part of BENCH_PARTS.filter((p) => wanted.includes(p))) await runPart(part, database, label);
}

execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], { cwd: root, stdio: "ignore" });
console.log(`# machine: ${os.cpus().length} cores, Node ${process.version}`);
const embedded = await embeddedDatabase();
try {
  await runParts(embedded, "embedded");
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
    await runParts(postgres, "postgres");
  } finally {
    await postgres.drop();
  }
  // The rehearsal (issue 18) starts its own instances on its own database on the same server.
  if (!process.env.BENCH_PARTS || process.env.BENCH_PARTS.split(",").includes("rehearsal")) {
    await new Promise<void>((resolve, reject) => {
      const child = spawn(process.execPath, ["--import", "tsx", path.join(root, "bench/rehearsal.ts")], {
        cwd: root,
        stdio: "inherit",
        env: { ...process.env, BENCH_DATABASE_URL: serverUrl },
      });
      child.on("error", reject);
      child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`bench rehearsal exited with ${code}`))));
    });
  }
}
