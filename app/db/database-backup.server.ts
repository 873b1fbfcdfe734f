// Backup and restore of Surge's database. On PostgreSQL: pg_dump's custom
// format, restored with pg_restore (the client tools of the server's version,
// or newer). On the embedded database: PGlite's own data-folder archive (a
// gzipped tar), taken while no server holds the folder: pg_dump cannot read
// PGlite, whose PostgreSQL is newer than the machine's client tools.
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { lockDataDir } from "./embedded-database.server";

export type BackupTarget = { kind: "postgres"; databaseUrl: string } | { kind: "embedded"; dataDir: string };

export class BackupError extends Error {}

function run(command: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "ignore", "pipe"] });
    let errors = "";
    child.stderr.on("data", (chunk) => (errors += chunk));
    child.on("error", (error) =>
      reject(new BackupError(`${command} could not run (${error.message}); install PostgreSQL's client tools (Debian: postgresql-client).`)),
    );
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new BackupError(`${command} failed (exit ${code}): ${errors.trim()}`))));
  });
}

/** The connection URL without the parameters pg_dump does not understand (Prisma's schema, connection_limit ...). */
function libpqUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  for (const name of [...url.searchParams.keys()]) {
    if (!["sslmode", "application_name", "sslrootcert", "sslcert", "sslkey", "connect_timeout"].includes(name)) url.searchParams.delete(name);
  }
  return url.toString();
}

function isEmptyFolder(folder: string): boolean {
  return !existsSync(folder) || readdirSync(folder).length === 0;
}

/** Writes a backup of the database to `file`. */
export async function backupDatabase(target: BackupTarget, file: string): Promise<void> {
  if (target.kind === "postgres") {
    await run("pg_dump", ["--format=custom", "--no-owner", "--no-privileges", `--file=${file}`, `--dbname=${libpqUrl(target.databaseUrl)}`]);
    return;
  }
  if (isEmptyFolder(target.dataDir)) throw new BackupError(`There is no embedded database in ${target.dataDir} to back up.`);
  const unlock = lockDataDir(target.dataDir);
  try {
    const db = await PGlite.create({ dataDir: target.dataDir });
    try {
      const archive = await db.dumpDataDir("gzip");
      writeFileSync(file, Buffer.from(await archive.arrayBuffer()));
    } finally {
      await db.close();
    }
  } finally {
    unlock();
  }
}

/**
 * Restores `file` into the target. A database that already holds data is
 * only replaced with `force`: PostgreSQL objects are dropped and recreated
 * (pg_restore --clean), the embedded folder is kept beside as `<folder>.before-restore-<time>`.
 */
export async function restoreDatabase(target: BackupTarget, file: string, options: { force?: boolean } = {}): Promise<{ keptAside?: string }> {
  if (!existsSync(file)) throw new BackupError(`No backup file at ${file}.`);
  if (target.kind === "postgres") {
    const args = ["--no-owner", "--no-privileges", "--single-transaction", "--exit-on-error", `--dbname=${libpqUrl(target.databaseUrl)}`];
    if (options.force) args.unshift("--clean", "--if-exists");
    await run("pg_restore", [...args, file]);
    return {};
  }
  let keptAside: string | undefined;
  if (!isEmptyFolder(target.dataDir)) {
    if (!options.force) throw new BackupError(`${target.dataDir} already holds a database: pass --force to replace it (it is kept aside).`);
    const release = lockDataDir(target.dataDir);
    release();
    keptAside = `${target.dataDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    renameSync(target.dataDir, keptAside);
  }
  const unlock = lockDataDir(target.dataDir);
  try {
    const db = await PGlite.create({ dataDir: target.dataDir, loadDataDir: new Blob([readFileSync(file)]) });
    await db.close();
  } finally {
    unlock();
  }
  return { keptAside };
}
