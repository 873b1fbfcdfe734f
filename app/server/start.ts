// `npm start`: the embedded database (when DATABASE_URL is not set), pending
// migrations, demo data on an empty database, then the HTTP server.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import v8 from "node:v8";
import type { ServerBuild } from "@remix-run/node";
import { countNonDemoAccounts, isDatabaseEmpty, printDemoAccounts, seedDemoData } from "../../prisma/seed";
import { disconnectDb, getDb } from "../db/db.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded-database.server";
import { configurationError, configurationProblems } from "./configuration";
import { trackRequests } from "./graceful-shutdown";
import { createHealthChecks } from "./health.server";
import { createHttpApp } from "./http.server";
import { logger } from "./logger.server";
import { migrateDatabase } from "./migrations.server";
import { startRecurringJobs } from "./recurring-jobs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const step = (message: string) => logger.info(message);

/** Production must configure SESSION_SECRET (the configuration check says so); the demo keeps one in data/. */
function demoSessionSecret(root: string): string {
  const file = path.join(root, "data", "session-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/**
 * After each full garbage collection V8 lets the heap grow to up to four
 * times what survived before it collects again: with the app's ~60 MB live,
 * a 10,000-row enrolment import (which allocates some 400 MB of short-lived
 * objects, many of them outliving a batch's database round trips) took the
 * process up by 160-180 MB of garbage. Growing by at most half (50 %) keeps
 * that under 70 MB for a second or so more of collection. 0: V8's own rule.
 */
function limitHeapGrowth(): void {
  const percent = Number(process.env.SURGE_HEAP_GROWTH_PERCENT ?? 50);
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

async function main() {
  const problems = configurationProblems(process.env);
  if (problems.length) throw new Error(configurationError(problems));
  limitHeapGrowth();
  let embedded: EmbeddedDatabase | null = null;
  if (!process.env.DATABASE_URL) {
    const dataDir = path.resolve(root, process.env.SURGE_DATA_DIR ?? "data/pglite");
    step(`No DATABASE_URL: starting the embedded database in ${path.relative(root, dataDir)}/ ...`);
    embedded = await startEmbeddedDatabase({
      dataDir,
      port: Number(process.env.SURGE_EMBEDDED_DB_PORT ?? 0),
    });
    process.env.DATABASE_URL = embedded.url;
    process.env.DATABASE_POOL_MAX = "1";
    step(`Embedded database listening at ${embedded.url}`);
  }
  const databaseUrl = process.env.DATABASE_URL;
  if (embedded) {
    // The demo serves plain http://localhost, where Secure cookies would not stick.
    process.env.SURGE_COOKIE_SECURE ??= "0";
    process.env.SESSION_SECRET ??= demoSessionSecret(root);
  }

  step("Checking migrations ...");
  const started = Date.now();
  const applied = await migrateDatabase(root, databaseUrl);
  step(applied.length ? `Applied ${applied.length} migration(s) in ${Date.now() - started} ms.` : "Database schema is up to date.");

  const db = getDb();
  // The embedded database gets demo data unless SURGE_SEED_DEMO=0; a DATABASE_URL one only with SURGE_SEED_DEMO=1.
  // Either way the reference data (channels, skills, topics) comes from the migrations.
  const seedDemo = process.env.SURGE_SEED_DEMO === "1" || (embedded !== null && process.env.SURGE_SEED_DEMO !== "0");
  const demoSeeded = seedDemo && (await isDatabaseEmpty(db));
  if (demoSeeded) {
    step("Empty database: creating demo data ...");
    await seedDemoData(db);
  } else if (process.env.SURGE_SEED_DEMO === "1") {
    // Demo data has published passwords: never added to a database in use.
    step("SURGE_SEED_DEMO=1 ignored: the database already holds accounts, so no demo data (with its known passwords) is added.");
  }

  // Compiles the training modules once and prints each broken one with its file; never stops the server.
  await (await import("../training/catalog.server")).loadTrainingCatalogAtStartup();

  const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
  const port = Number(process.env.PORT ?? 3000);
  // The demo passwords are printed only where they are the only accounts.
  const showDemoAccounts = demoSeeded || (seedDemo && (await countNonDemoAccounts(db)) === 0);
  const health = createHealthChecks(root);
  const server = createHttpApp(build, root, { health }).listen(port, () => {
    step(`Surge is ready at http://localhost:${port}`);
    if (showDemoAccounts) printDemoAccounts();
  });

  // Re-scoring, queue vacuum, stale sweep and holding replies (see queue-upkeep.server.ts).
  const upkeep = process.env.SURGE_UPKEEP === "0" ? null : (await import("../cases/queue-upkeep.server")).startQueueUpkeep();
  // Enrolment commits of a stopped instance are taken over once their lease lapses.
  const enrolment = await import("../enrolment/enrolment-import.server");
  const takeover = startRecurringJobs([enrolment.enrolmentCommitTakeover]);
  // The capacity board's hourly rollup and its alerts; each run takes an advisory lock, so one instance works at a time.
  const capacity =
    process.env.SURGE_CAPACITY_JOBS === "0"
      ? null
      : startRecurringJobs([(await import("../capacity/capacity-rollup.server")).capacityRollupJob, (await import("../capacity/capacity-alerts.server")).capacityAlertJob]);
  // Posts queued customer messages to their integration's webhook (see docs/delivery.md).
  if (seedDemo && process.env.SURGE_SINK_URL)
    await (await import("../delivery/demo-sink.server")).connectDemoIntegrationToSink(process.env.SURGE_SINK_URL);
  const delivery = process.env.SURGE_DELIVERY === "0" ? null : (await import("../delivery/delivery-worker.server")).startDeliveryWorker();

  // SIGTERM: stop accepting, answer what was received (at most
  // SURGE_SHUTDOWN_TIMEOUT_MS), stop the background jobs, return every
  // database connection, exit. See docs/operations.md.
  const requests = trackRequests(server);
  const shutdownMs = Math.max(0, Number(process.env.SURGE_SHUTDOWN_TIMEOUT_MS ?? 10_000));
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    health.markStopping();
    const began = Date.now();
    // Whatever hangs, the process is gone shortly after the bound.
    setTimeout(() => {
      logger.error("Shutdown took too long; exiting.");
      process.exit(1);
    }, shutdownMs + 5000).unref();
    step(`${signal}: finishing ${requests.inFlight()} open request(s) and stopping ...`);
    const [answered] = await Promise.all([
      requests.drain(shutdownMs),
      upkeep?.stop(),
      delivery?.stop(),
      takeover.stop().then(() => enrolment.stopImportCommits()),
      capacity?.stop(),
    ]);
    if (!answered) step(`Requests still open after ${shutdownMs} ms were cut.`);
    const returned = await disconnectDb({ timeoutMs: Math.max(1000, shutdownMs - (Date.now() - began)) });
    if (!returned) step("Some database connections were still in use; they close with the process.");
    await embedded?.stop();
    step(`Stopped in ${Date.now() - began} ms.`);
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  logger.fatal(message.startsWith("Surge cannot start") ? message : `Surge cannot start: ${message}`);
  process.exit(1);
});
