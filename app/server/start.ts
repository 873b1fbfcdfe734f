// `npm start`: the embedded database (when DATABASE_URL is not set), pending
// migrations, demo data on an empty database, then the HTTP server.
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { isDatabaseEmpty, printDemoAccounts, seedDemoData } from "../../prisma/seed";
import { disconnectDb, getDb } from "../db/db.server";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../db/embedded-database.server";
import { createHttpApp } from "./http.server";
import { migrateDatabase } from "./migrations.server";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const step = (message: string) => console.log(`[surge] ${message}`);

/** Production must configure SESSION_SECRET; the demo keeps one in data/. */
function sessionSecretFor(root: string, demo: boolean): string {
  if (!demo) throw new Error("SESSION_SECRET must be set when DATABASE_URL is set (see README).");
  const file = path.join(root, "data", "session-secret");
  if (!existsSync(file)) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

async function main() {
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
  }
  process.env.SESSION_SECRET ??= sessionSecretFor(root, embedded !== null);

  step("Checking migrations ...");
  const started = Date.now();
  const applied = await migrateDatabase(root, databaseUrl);
  step(applied.length ? `Applied ${applied.length} migration(s) in ${Date.now() - started} ms.` : "Database schema is up to date.");

  const db = getDb();
  const seedDemo = embedded !== null || process.env.SURGE_SEED_DEMO === "1";
  if (seedDemo && (await isDatabaseEmpty(db))) {
    step("Empty database: creating demo data ...");
    await seedDemoData(db);
  }

  // Compiles the training modules once and prints each broken one with its file; never stops the server.
  await (await import("../training/catalog.server")).loadTrainingCatalogAtStartup();

  const build = (await import(pathToFileURL(path.join(root, "build", "index.js")).href)) as ServerBuild;
  const port = Number(process.env.PORT ?? 3000);
  const server = createHttpApp(build, root).listen(port, () => {
    step(`Surge is ready at http://localhost:${port}`);
    if (seedDemo) printDemoAccounts();
  });

  // Re-scoring, queue vacuum, stale sweep and holding replies (see queue-upkeep.server.ts).
  const upkeep = process.env.SURGE_UPKEEP === "0" ? null : (await import("../cases/queue-upkeep.server")).startQueueUpkeep();
  // Posts queued customer messages to their integration's webhook (see docs/delivery.md).
  if (seedDemo && process.env.SURGE_SINK_URL)
    await (await import("../delivery/demo-sink.server")).connectDemoIntegrationToSink(process.env.SURGE_SINK_URL);
  const delivery = process.env.SURGE_DELIVERY === "0" ? null : (await import("../delivery/delivery-worker.server")).startDeliveryWorker();

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    step(`${signal}: finishing open requests and stopping ...`);
    server.close();
    await upkeep?.stop();
    await delivery?.stop();
    await disconnectDb();
    await embedded?.stop();
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));
}

main().catch((error: unknown) => {
  console.error("[surge] Could not start:", error instanceof Error ? error.message : error);
  process.exit(1);
});
