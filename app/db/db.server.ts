import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@prisma/client";
import pg from "pg";
import { logger } from "~/server/logger.server";
import { isConnectionWaitTimeout } from "./transaction-conflict";

// One client (and one connection pool) per process, kept on globalThis so
// that the server build, tests and scripts that import this module
// separately still share one pool.
const globalForPrisma = globalThis as unknown as { __surgePrisma?: PrismaClient; __surgePool?: pg.Pool };

export function databaseUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) {
    throw new Error(
      "DATABASE_URL is not set. `npm start` starts the embedded database and sets it; " +
        "to use PostgreSQL set DATABASE_URL=postgresql://user@host:5432/db.",
    );
  }
  return url;
}

// A lost connection (server restart, pg_terminate_backend, network) is
// reported once per connection and otherwise handled where it is used: the
// query on it fails, the pool drops it and opens a new one for the next.
let lastReportAt = 0;
export function onConnectionError(error: Error): void {
  const now = Date.now();
  if (now - lastReportAt < 1000) return;
  lastReportAt = now;
  logger.warn(`database connection lost (${error.message}); it is replaced on the next query`);
}

/**
 * Every client in the pool gets an 'error' listener the moment it connects,
 * for its whole life: a client can receive the server's termination while
 * checked out between queries (an interactive transaction holds one), and an
 * 'error' event without a listener ends the process.
 */
export function createPool(connectionString: string, max: number): pg.Pool {
  const pool = new pg.Pool({ connectionString, max });
  pool.on("connect", (client) => client.on("error", onConnectionError));
  pool.on("error", onConnectionError);
  return pool;
}

/** A single connection outside the pool (migrations, VACUUM), with the same error listener. */
export async function connectSingleClient(connectionString: string = databaseUrl()): Promise<pg.Client> {
  const client = new pg.Client({ connectionString });
  client.on("error", onConnectionError);
  await client.connect();
  return client;
}

type Adapter = Awaited<ReturnType<PrismaPg["connect"]>>;

/**
 * adapter-pg returns a transaction's connection to the pool only when its
 * COMMIT or ROLLBACK succeeded; a COMMIT refused with a serialisation
 * failure, or a ROLLBACK on a lost connection, kept the connection checked
 * out for ever (the pool then ran dry, and pool.end() at shutdown waited on
 * it). Here a failed COMMIT/ROLLBACK hands the connection back: after one,
 * PostgreSQL has ended the transaction, and a dead connection is dropped by
 * the pool on release.
 */
class SurgePg extends PrismaPg {
  override async connect(): Promise<Adapter> {
    const adapter = await super.connect();
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => {
      const transaction = await startTransaction(isolationLevel);
      const executeRaw = transaction.executeRaw.bind(transaction);
      transaction.executeRaw = async (query) => {
        try {
          return await executeRaw(query);
        } catch (error) {
          if (query.sql === "COMMIT" || query.sql === "ROLLBACK") await transaction.rollback().catch(() => undefined);
          throw error;
        }
      };
      return transaction;
    };
    return adapter;
  }
}

function createClient(): PrismaClient {
  // The embedded database serves one connection at a time, so its pool is 1.
  const max = Number(process.env.DATABASE_POOL_MAX ?? 10);
  const pool = createPool(databaseUrl(), max);
  globalForPrisma.__surgePool = pool;
  return new PrismaClient({ adapter: new SurgePg(pool, { disposeExternalPool: true, onConnectionError, onPoolError: onConnectionError }) });
}

export function getDb(): PrismaClient {
  globalForPrisma.__surgePrisma ??= createClient();
  return globalForPrisma.__surgePrisma;
}

/**
 * One statement sent straight through the pool Prisma uses, as a prepared
 * statement named `name` (parsed once per connection). For the hottest
 * statement only ("Next case" batches): a $queryRaw call costs about 0.36 ms
 * of the process's CPU against 0.05 ms this way (5,000 calls of a one-row
 * statement on the 2-core bench machine), which at 2,000 requests a second
 * was a tenth of the machine.
 */
export async function queryRows<Row extends pg.QueryResultRow>(query: { name: string; text: string; values: unknown[] }): Promise<Row[]> {
  getDb();
  const { rows } = await globalForPrisma.__surgePool!.query<Row>(query);
  return rows;
}

/** What a request gets when every database connection stayed busy for a transaction's whole wait. */
export function databaseBusyResponse(): Response {
  return new Response("The service is busy right now: nothing was saved. Try again in a few seconds.", {
    status: 503,
    statusText: "Service Unavailable",
    headers: { "Retry-After": "2", "Content-Type": "text/plain; charset=utf-8" },
  });
}

/**
 * `$transaction` of every caller: a transaction that waited past its wait
 * for a connection (an overloaded database) never started, so the request
 * is answered 503 with Retry-After rather than an unexpected 500.
 */
const busyAwareTransactions = new WeakMap<PrismaClient, PrismaClient["$transaction"]>();
function transactionAnsweringBusy(client: PrismaClient): PrismaClient["$transaction"] {
  let wrapped = busyAwareTransactions.get(client);
  if (!wrapped) {
    const transaction = client.$transaction.bind(client) as (...args: unknown[]) => Promise<unknown>;
    wrapped = (async (...args: unknown[]) => {
      try {
        return await transaction(...args);
      } catch (error) {
        if (isConnectionWaitTimeout(error)) throw databaseBusyResponse();
        throw error;
      }
    }) as PrismaClient["$transaction"];
    busyAwareTransactions.set(client, wrapped);
  }
  return wrapped;
}

/** Lazily connected client: importing this module never opens a connection. */
export const db: PrismaClient = new Proxy({} as PrismaClient, {
  get(_target, property) {
    const client = getDb();
    if (property === "$transaction") return transactionAnsweringBusy(client);
    const value = Reflect.get(client, property, client);
    return typeof value === "function" ? value.bind(client) : value;
  },
});

/** The pool's connections now: all of them, idle ones, and requests waiting for one. */
export function poolStats(): { total: number; idle: number; waiting: number } {
  const pool = globalForPrisma.__surgePool;
  return { total: pool?.totalCount ?? 0, idle: pool?.idleCount ?? 0, waiting: pool?.waitingCount ?? 0 };
}

/**
 * Closes the pool. pool.end() waits for every checked-out connection, so it
 * is bounded by `timeoutMs`; returns false when connections were still out
 * (they are closed with the process).
 */
export async function disconnectDb(options: { timeoutMs?: number } = {}): Promise<boolean> {
  const client = globalForPrisma.__surgePrisma;
  globalForPrisma.__surgePrisma = undefined;
  globalForPrisma.__surgePool = undefined;
  if (!client) return true;
  const closed = client.$disconnect().then(() => true);
  if (options.timeoutMs === undefined) return closed;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), options.timeoutMs);
    timer.unref?.();
  });
  try {
    return await Promise.race([closed, timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
