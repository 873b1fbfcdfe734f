// Runs once before the database tests: builds the app (HTTP tests run the real
// server build) and prepares a migrated template database that each test file
// copies: a PGlite data dump by default, or a PostgreSQL template database
// when TEST_DATABASE_URL is set.
import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "../../app/db/embedded-database.server";
import { deployMigrations, migrationNames } from "../../app/server/migrations.server";

const root = path.resolve(import.meta.dirname, "../..");

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function setup() {
  if (process.env.SURGE_TEST_SKIP_BUILD !== "1") {
    execFileSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "build"], {
      cwd: root,
      stdio: "ignore",
    });
  }
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = `surge_test_template_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${template}"`);
    await admin.end();
    // The real `prisma migrate deploy`, so a Prisma upgrade that breaks the
    // offline workarounds fails the suite.
    await deployMigrations(root, withDatabase(serverUrl, template));
    process.env.SURGE_TEST_TEMPLATE_DB = template;
    return async () => {
      const cleaner = new pg.Client({ connectionString: serverUrl });
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${template}" WITH (FORCE)`);
      await cleaner.end();
    };
  }
  const embedded = await startEmbeddedDatabase({});
  for (const name of migrationNames(root)) {
    await embedded.db.exec(readFileSync(path.join(root, "prisma/migrations", name, "migration.sql"), "utf8"));
  }
  const dump = await embedded.db.dumpDataDir("gzip");
  await embedded.stop();
  const dir = mkdtempSync(path.join(tmpdir(), "surge-test-"));
  const file = path.join(dir, "template.tar.gz");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.SURGE_TEST_TEMPLATE_DUMP = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
