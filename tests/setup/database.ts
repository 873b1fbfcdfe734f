// Gives each database test file its own fresh, migrated database, copied from
// the template that global-setup made, and points DATABASE_URL at it.
import { readFileSync } from "node:fs";
import { afterAll } from "vitest";
import { disconnectDb } from "../../app/db/db.server";
import { embeddedDatabase, postgresDatabase } from "../support/databases";

process.env.SESSION_SECRET = "test-session-secret-0123456789abcdef";
process.env.SURGE_COOKIE_SECURE = "0";

const serverUrl = process.env.TEST_DATABASE_URL;
const database = serverUrl
  ? await postgresDatabase(serverUrl, { template: process.env.SURGE_TEST_TEMPLATE_DB! })
  : await embeddedDatabase({ loadDataDir: new Blob([readFileSync(process.env.SURGE_TEST_TEMPLATE_DUMP!)]) });
process.env.DATABASE_URL = database.url;
process.env.DATABASE_POOL_MAX = String(database.poolMax);

afterAll(async () => {
  await disconnectDb();
  await database.drop();
});
