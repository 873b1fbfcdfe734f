// The one way to run a transaction that PostgreSQL may refuse because of a
// concurrent one: a serialisation failure (40001, Serializable transactions
// that overlapped) or a deadlock (40P01) says nothing about the request
// itself, so the whole transaction is run again, a few times with a short
// random pause; if it still cannot commit, TransactionConflictError, which
// routes answer 409 ("try again"). (A transaction that waited past its wait
// for a connection is answered 503 by `db.$transaction` itself: db.server.ts.)
import type { Prisma } from "@prisma/client";
import { db } from "./db.server";
import { isTransactionConflict } from "./transaction-conflict";

export { isTransactionConflict };

export const TRANSACTION_ATTEMPTS = 4;

export class TransactionConflictError extends Error {
  constructor(readonly attempts: number) {
    super("This changed at the same moment as another request and could not be saved. Try again.");
  }
}

export interface TransactionOptions {
  isolationLevel?: Prisma.TransactionIsolationLevel;
  timeout?: number;
  maxWait?: number;
  /** How many times to run it at most (default TRANSACTION_ATTEMPTS). */
  attempts?: number;
}

/**
 * Runs `work` in a transaction, again (from the start, so it re-reads what it
 * decides on) when PostgreSQL refuses it because of a concurrent one.
 * `work` must not have effects outside the database.
 */
export async function inTransaction<T>(work: (tx: Prisma.TransactionClient) => Promise<T>, options: TransactionOptions = {}): Promise<T> {
  // Waiting for a free connection under a burst beats failing: Prisma's default wait is 2 s.
  const { attempts = TRANSACTION_ATTEMPTS, maxWait = 10_000, ...rest } = options;
  const transactionOptions = { maxWait, ...rest };
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.$transaction(work, transactionOptions);
    } catch (error) {
      if (!isTransactionConflict(error)) throw error;
      if (attempt >= attempts) throw new TransactionConflictError(attempt);
      // A random pause, growing with the attempt, so the racing requests do not collide again in step.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt));
    }
  }
}

/** The 409 a route answers for a TransactionConflictError. */
export function transactionConflictResponse(error: TransactionConflictError, json = true): Response {
  return json
    ? Response.json({ error: error.message, reason: "conflict" }, { status: 409, statusText: "Conflict" })
    : new Response(error.message, { status: 409, statusText: "Conflict" });
}
