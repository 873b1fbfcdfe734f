// Runs once before the database tests: prepares a migrated template that each
// test file copies:
// a PGlite data dump by default, or a PostgreSQL template database (made with
// the real `prisma migrate deploy`) when TEST_DATABASE_URL is set.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { embeddedDatabase, postgresDatabase, uniqueName } from "../support/databases";

export default async function setup() {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (serverUrl) {
    const template = await postgresDatabase(serverUrl, { name: uniqueName("surge_test_template") });
    process.env.SURGE_TEST_TEMPLATE_DB = template.name;
    return () => template.drop();
  }
  const embedded = await embeddedDatabase();
  const dump = await embedded.dump();
  await embedded.drop();
  const dir = mkdtempSync(path.join(tmpdir(), "surge-test-"));
  const file = path.join(dir, "template.tar.gz");
  writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env.SURGE_TEST_TEMPLATE_DUMP = file;
  return () => rmSync(dir, { recursive: true, force: true });
}
