// What /readyz answers: ready only when the database answers, every
// migration on disk is applied, and the instance is not shutting down. A load
// balancer stops sending requests to an instance that is not ready; /healthz
// (the process answers at all) is the liveness check.

export interface ReadinessFacts {
  /** The database's error, or null when it answered. */
  databaseError: string | null;
  /** Migrations on disk the database has not applied (null: not known, the database did not answer). */
  pendingMigrations: string[] | null;
  stopping: boolean;
}

export interface Readiness {
  ready: boolean;
  checks: { database: string; migrations: string; shutdown: string };
}

export function readinessFrom(facts: ReadinessFacts): Readiness {
  const database = facts.databaseError ? `unreachable: ${facts.databaseError}` : "ok";
  const migrations =
    facts.pendingMigrations === null
      ? "unknown"
      : facts.pendingMigrations.length === 0
        ? "ok"
        : `${facts.pendingMigrations.length} pending (${facts.pendingMigrations.slice(0, 3).join(", ")}${facts.pendingMigrations.length > 3 ? ", ..." : ""})`;
  const shutdown = facts.stopping ? "stopping" : "ok";
  return {
    ready: database === "ok" && migrations === "ok" && shutdown === "ok",
    checks: { database, migrations, shutdown },
  };
}
