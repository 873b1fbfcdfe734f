// Gives each database test file its own fresh, migrated database, copied from
// the template that global-setup made, and points DATABASE_URL at it.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import pg from "pg";
import { afterAll } from "vitest";
import { disconnectDb } from "../../app/db/db.server";
import { startEmbeddedDatabase } from "../../app/db/embedded-database.server";

process.env.SESSION_SECRET = "test-session-secret-0123456789abcdef";
process.env.SURGE_COOKIE_SECURE = "0";

const serverUrl = process.env.TEST_DATABASE_URL;
if (serverUrl) {
  const template = process.env.SURGE_TEST_TEMPLATE_DB!;
  const name = `surge_test_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  process.env.DATABASE_URL = url.toString();
  process.env.DATABASE_POOL_MAX = "5";
  afterAll(async () => {
    await disconnectDb();
    const cleaner = new pg.Client({ connectionString: serverUrl });
    await cleaner.connect();
    await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await cleaner.end();
  });
} else {
  const dump = readFileSync(process.env.SURGE_TEST_TEMPLATE_DUMP!);
  const embedded = await startEmbeddedDatabase({ loadDataDir: new Blob([dump]) });
  process.env.DATABASE_URL = embedded.url;
  process.env.DATABASE_POOL_MAX = "1";
  afterAll(async () => {
    await disconnectDb();
    await embedded.stop();
  });
}
