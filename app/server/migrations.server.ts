import { spawn } from "node:child_process";
import { readdirSync } from "node:fs";
import path from "node:path";
import { connectSingleClient } from "../db/db.server";

/** Migration folder names in prisma/migrations, oldest first. */
export function migrationNames(root: string): string[] {
  return readdirSync(path.join(root, "prisma", "migrations"), { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** Which migrations the database has not applied yet (all, on an empty one). */
export async function pendingMigrations(root: string, databaseUrl: string): Promise<string[]> {
  const client = await connectSingleClient(databaseUrl);
  try {
    const table = await client.query("SELECT to_regclass('public._prisma_migrations') AS name");
    if (!table.rows[0]?.name) return migrationNames(root);
    const applied = await client.query<{ migration_name: string }>(
      "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
    );
    const done = new Set(applied.rows.map((row) => row.migration_name));
    return migrationNames(root).filter((name) => !done.has(name));
  } finally {
    await client.end();
  }
}

/** Runs `prisma migrate deploy` against databaseUrl; rejects with its output on failure. */
export function deployMigrations(root: string, databaseUrl: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules", "prisma", "build", "index.js"), "migrate", "deploy"], {
      cwd: root,
      env: { ...process.env, DATABASE_URL: databaseUrl },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`prisma migrate deploy failed (exit ${code}):\n${output}`))));
  });
}

/** Applies what is pending, skipping the CLI's start-up when nothing is. */
export async function migrateDatabase(root: string, databaseUrl: string): Promise<string[]> {
  const pending = await pendingMigrations(root, databaseUrl);
  if (pending.length > 0) await deployMigrations(root, databaseUrl);
  return pending;
}
