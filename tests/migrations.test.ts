// `prisma migrate deploy` on an empty database, through the offline
// workarounds in prisma.config.ts: an upgrade that breaks them fails here.
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { startEmbeddedDatabase, type EmbeddedDatabase } from "../app/db/embedded-database.server";
import { deployMigrations, migrationNames, pendingMigrations } from "../app/server/migrations.server";
import { root, uniqueName, withDatabaseName } from "./support/databases";

let embedded: EmbeddedDatabase | null = null;
let dropServerDatabase: (() => Promise<void>) | null = null;

async function emptyDatabaseUrl(): Promise<string> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) {
    embedded = await startEmbeddedDatabase({});
    return embedded.url;
  }
  const name = uniqueName("surge_migrate");
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(sql);
    await client.end();
  };
  await run(`CREATE DATABASE "${name}"`);
  dropServerDatabase = () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  return withDatabaseName(serverUrl, name);
}

afterAll(async () => {
  await embedded?.stop();
  await dropServerDatabase?.();
});
describe("migrations", () => {
  it("apply cleanly to an empty database with prisma migrate deploy", async () => {
    const url = await emptyDatabaseUrl();
    expect(await pendingMigrations(root, url)).toEqual(migrationNames(root));
    await deployMigrations(root, url);
    expect(await pendingMigrations(root, url)).toEqual([]);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    const tables = await client.query("SELECT tablename FROM pg_tables WHERE schemaname = 'public'");
    await client.end();
    const names = tables.rows.map((row) => row.tablename);
    for (const table of ["User", "Session", "Invitation", "Volunteer", "Skill", "UserSkill", "TrainingProgress", "Case", "CaseEvent", "Escalation", "Channel", "AuditLog"]) {
      expect(names).toContain(table);
    }
  }, 120_000);
});
