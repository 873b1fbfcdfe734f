// Fresh, migrated databases for tests and benchmarks: an in-memory PGlite, or
// a new database on a PostgreSQL server.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { startEmbeddedDatabase } from "../../app/db/embedded-database.server";
import { deployMigrations, migrationNames } from "../../app/server/migrations.server";

export const root = path.resolve(import.meta.dirname, "../..");

export interface TestDatabase {
  url: string;
  /** Pool size the app should use with it (the embedded one serves one connection). */
  poolMax: number;
  drop(): Promise<void>;
}

export function withDatabaseName(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function onServer(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomUUID().replaceAll("-", "").slice(0, 16)}`;
}

/** Applies the migration SQL directly: fast, for a throwaway in-memory database. */
export async function embeddedDatabase(options: { loadDataDir?: Blob } = {}): Promise<TestDatabase & { dump(): Promise<Blob> }> {
  const embedded = await startEmbeddedDatabase({ loadDataDir: options.loadDataDir });
  if (!options.loadDataDir) {
    for (const name of migrationNames(root)) {
      await embedded.db.exec(readFileSync(path.join(root, "prisma/migrations", name, "migration.sql"), "utf8"));
    }
  }
  return { url: embedded.url, poolMax: 1, drop: () => embedded.stop(), dump: () => embedded.db.dumpDataDir("gzip") };
}

/** A new database on the server: a copy of `template`, or migrated with `prisma migrate deploy`. */
export async function postgresDatabase(serverUrl: string, options: { template?: string; name?: string } = {}): Promise<TestDatabase & { name: string }> {
  const name = options.name ?? uniqueName("surge_test");
  await onServer(serverUrl, options.template ? `CREATE DATABASE "${name}" TEMPLATE "${options.template}"` : `CREATE DATABASE "${name}"`);
  const url = withDatabaseName(serverUrl, name);
  if (!options.template) await deployMigrations(root, url);
  return { name, url, poolMax: 5, drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}
