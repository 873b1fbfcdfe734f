// Whether a database error is PostgreSQL refusing a transaction because of a
// concurrent one: a serialisation failure (40001) or a deadlock (40P01). It
// arrives in several shapes: Prisma's P2034, the driver adapter's
// TransactionWriteConflict, the bare PostgreSQL code, or, from a raw query,
// P2010 with the adapter's error (and PostgreSQL's code) inside its meta.
const CONFLICT_CODES = new Set(["40001", "40P01"]);

interface ErrorShape {
  code?: unknown;
  kind?: unknown;
  originalCode?: unknown;
  cause?: unknown;
  meta?: { code?: unknown; driverAdapterError?: unknown };
}

export function isTransactionConflict(error: unknown): boolean {
  const pending: unknown[] = [error];
  for (let seen = 0; pending.length && seen < 10; seen++) {
    const current = pending.shift();
    if (!current || typeof current !== "object") continue;
    const found = current as ErrorShape;
    if (found.code === "P2034" || found.kind === "TransactionWriteConflict") return true;
    for (const code of [found.code, found.originalCode, found.meta?.code]) {
      if (typeof code === "string" && CONFLICT_CODES.has(code)) return true;
    }
    pending.push(found.cause, found.meta?.driverAdapterError);
  }
  return false;
}

/**
 * Whether Prisma gave up waiting for a connection to start an interactive
 * transaction (P2028, "Unable to start a transaction in the given time"):
 * every connection of the pool stayed busy for the whole wait, so the
 * database is overloaded, not the request wrong.
 */
export function isConnectionWaitTimeout(error: unknown): boolean {
  if (!error || typeof error !== "object") return false;
  const found = error as { code?: unknown; message?: unknown };
  return found.code === "P2028" && typeof found.message === "string" && found.message.includes("Unable to start a transaction");
}
