import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { PGlite } from "@electric-sql/pglite";
import { PGLiteSocketServer } from "@electric-sql/pglite-socket";

export interface EmbeddedDatabase {
  /** A postgresql:// URL that Prisma (through adapter-pg) and psql can use. */
  url: string;
  db: PGlite;
  stop(): Promise<void>;
}

export class DataDirInUseError extends Error {}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * PGlite has no server process guarding its folder: two processes opening it
 * at once corrupt it. A lock file beside the folder holds the owner's pid; a
 * lock left by a process that is gone is taken over. Returns the release.
 */
export function lockDataDir(dataDir: string): () => void {
  const lockFile = `${dataDir.replace(/\/+$/, "")}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
      return () => rmSync(lockFile, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number(readFileSync(lockFile, "utf8").trim());
      if (Number.isInteger(owner) && owner > 0 && running(owner)) {
        throw new DataDirInUseError(`The embedded database in ${dataDir} is in use by process ${owner}: stop that Surge server first.`);
      }
      rmSync(lockFile, { force: true });
    }
  }
  throw new DataDirInUseError(`Could not lock ${dataDir}.`);
}

/**
 * Starts PGlite (PostgreSQL compiled to WASM) and serves it on 127.0.0.1 over
 * the PostgreSQL wire protocol, so the app and the Prisma CLI use the same
 * adapter-pg path as on a real server. With no dataDir it lives in memory.
 */
export async function startEmbeddedDatabase(options: {
  dataDir?: string;
  loadDataDir?: Blob;
  port?: number;
}): Promise<EmbeddedDatabase> {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const unlock = options.dataDir ? lockDataDir(options.dataDir) : () => {};
  let db: PGlite;
  try {
    db = await PGlite.create({ dataDir: options.dataDir, loadDataDir: options.loadDataDir });
  } catch (error) {
    unlock();
    throw error;
  }
  // Connections share one PGlite session; the app keeps a pool of one, the
  // spare slots are for a psql or CLI process alongside.
  const server = new PGLiteSocketServer({ db, host: "127.0.0.1", port: options.port ?? 0, maxConnections: 4 });
  await server.start();
  const address = server.getServerConn();
  return {
    url: `postgresql://postgres:postgres@${address}/postgres?sslmode=disable`,
    db,
    async stop() {
      await server.stop();
      await db.close();
      unlock();
    },
  };
}
