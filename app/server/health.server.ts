// The facts behind /readyz, gathered through the app's own connection pool
// (a probe every few seconds must not open connections of its own), each
// bounded so a hung database makes the instance "not ready", not a hung probe.
import { getDb } from "../db/db.server";
import { migrationNames } from "./migrations.server";
import { readinessFrom, type Readiness } from "./readiness";

const PROBE_TIMEOUT_MS = 2000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
    work.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

export interface HealthChecks {
  readiness(): Promise<Readiness>;
  /** From SIGTERM on, /readyz answers 503 so balancers move traffic away. */
  markStopping(): void;
}

export function createHealthChecks(root: string): HealthChecks {
  // The migrations this build expects, read once: they do not change while it runs.
  const expected = migrationNames(root);
  let stopping = false;
  return {
    markStopping: () => {
      stopping = true;
    },
    async readiness() {
      try {
        const db = getDb();
        const applied = await withTimeout(
          (async () => {
            const [table] = await db.$queryRawUnsafe<{ present: boolean }[]>(
              "SELECT to_regclass('public._prisma_migrations') IS NOT NULL AS present",
            );
            if (!table?.present) return [];
            return db.$queryRawUnsafe<{ migration_name: string }[]>(
              "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL",
            );
          })(),
          PROBE_TIMEOUT_MS,
        );
        const done = new Set(applied.map((row) => row.migration_name));
        return readinessFrom({ databaseError: null, pendingMigrations: expected.filter((name) => !done.has(name)), stopping });
      } catch (error) {
        const message = error instanceof Error ? error.message.split("\n")[0]!.slice(0, 200) : String(error);
        return readinessFrom({ databaseError: message, pendingMigrations: null, stopping });
      }
    },
  };
}
