// A rehearsal on instances it starts itself: a fresh PostgreSQL database on
// the given server (migrated like production, first admin made with
// admin:create), N app instances on it, the rehearsal, the report files.
// Used by `npm run simulate -- --start N`, the bench and the tests.
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { deployMigrations } from "~/server/migrations.server";
import { createFirstAdmin, startCluster, type Cluster } from "./cluster.server";
import { reportHtml } from "./report";
import type { RehearsalReport } from "./rehearsal";

export const REHEARSAL_ADMIN = { email: "rehearsal-admin@rehearsal.test", password: "rehearsal admin password" };

async function onServer(serverUrl: string, sql: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

export interface RehearsalDatabase {
  url: string;
  drop(): Promise<void>;
}

/** A new database on the server, migrated (or copied from a migrated template), with the first admin. */
export async function freshRehearsalDatabase(root: string, serverUrl: string, options: { template?: string } = {}): Promise<RehearsalDatabase> {
  const name = `surge_rehearsal_${randomUUID().replaceAll("-", "").slice(0, 12)}`;
  await onServer(serverUrl, options.template ? `CREATE DATABASE "${name}" TEMPLATE "${options.template}"` : `CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  if (!options.template) await deployMigrations(root, url.toString());
  createFirstAdmin(root, url.toString(), REHEARSAL_ADMIN.email, REHEARSAL_ADMIN.password);
  return { url: url.toString(), drop: () => onServer(serverUrl, `DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

export async function startRehearsalCluster(root: string, databaseUrl: string, count: number, log?: (index: number, line: string) => void): Promise<Cluster> {
  return startCluster({ root, databaseUrl, count, log });
}

export function writeReport(dir: string, report: RehearsalReport): { json: string; html: string } {
  mkdirSync(dir, { recursive: true });
  const json = path.join(dir, "rehearsal.json");
  const html = path.join(dir, "rehearsal.html");
  writeFileSync(json, JSON.stringify(report, null, 2));
  writeFileSync(html, reportHtml(report));
  return { json, html };
}
