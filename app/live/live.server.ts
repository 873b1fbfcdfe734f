// Live updates across app instances. On PostgreSQL, publishLive runs
// pg_notify in the caller's transaction: PostgreSQL delivers it at commit
// (never for a rollback) to every instance, each of which LISTENs on one
// dedicated connection and fans events out to its open consoles (the
// /live event stream). The embedded database serves one session to one
// process, so there the events go through an in-process EventEmitter; its
// single connection also means a console's refetch runs only after the
// publishing transaction has ended.
import { EventEmitter } from "node:events";
import type { Prisma } from "@prisma/client";
import pg from "pg";
import { databaseUrl, db } from "~/db/db.server";
import { parseLiveEvent, type LiveEvent } from "./live-event";
import { logger } from "~/server/logger.server";

type Client = Prisma.TransactionClient | typeof db;

export const LIVE_CHANNEL = "surge_live";

// Kept on globalThis like the database client: the server build and the
// modules tests import separately must share one hub.
interface LiveHub {
  emitter: EventEmitter;
  embedded: boolean | null;
  listener: pg.Client | null;
  listening: Promise<void> | null;
  reconnectTimer: ReturnType<typeof setTimeout> | null;
  reconnectDelayMs: number;
  stopped: boolean;
}
const globalForLive = globalThis as unknown as { __surgeLive?: LiveHub };

function hub(): LiveHub {
  globalForLive.__surgeLive ??= {
    emitter: new EventEmitter().setMaxListeners(0),
    embedded: null,
    listener: null,
    listening: null,
    reconnectTimer: null,
    reconnectDelayMs: 250,
    stopped: false,
  };
  return globalForLive.__surgeLive;
}

async function isEmbedded(client: Client): Promise<boolean> {
  const state = hub();
  if (state.embedded === null) {
    // Asked through the caller's client: on the embedded database's single
    // connection, a query on another client would wait for this transaction.
    const [row] = await client.$queryRaw<{ embedded: boolean }[]>`SELECT version() LIKE '%PGlite%' AS embedded`;
    state.embedded = row?.embedded ?? false;
  }
  return state.embedded;
}

/** Publishes events; on PostgreSQL they leave when the caller's transaction commits. */
export async function publishLiveMany(client: Client, events: readonly LiveEvent[]): Promise<void> {
  if (events.length === 0) return;
  if (await isEmbedded(client)) {
    for (const event of events) hub().emitter.emit("event", event);
    return;
  }
  await client.$queryRaw`SELECT count(pg_notify(${LIVE_CHANNEL}, e))::int AS n FROM unnest(${events.map((e) => JSON.stringify(e))}::text[]) AS e`;
}

export async function publishLive(client: Client, event: LiveEvent): Promise<void> {
  await publishLiveMany(client, [event]);
}

function scheduleReconnect(state: LiveHub, error: unknown) {
  if (state.stopped || state.reconnectTimer) return;
  logger.error(`live listener lost its database connection (${error instanceof Error ? error.message : String(error)}); reconnecting in ${state.reconnectDelayMs} ms`);
  const old = state.listener;
  state.listener = null;
  state.listening = null;
  old?.removeAllListeners();
  old?.on("error", () => undefined);
  void old?.end().catch(() => undefined);
  state.reconnectTimer = setTimeout(() => {
    state.reconnectTimer = null;
    state.listening = connectListener(state, true).catch((e: unknown) => scheduleReconnect(state, e));
  }, state.reconnectDelayMs);
  state.reconnectTimer.unref?.();
  state.reconnectDelayMs = Math.min(state.reconnectDelayMs * 2, 10_000);
}

async function connectListener(state: LiveHub, reconnecting: boolean): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl(), application_name: "surge-live" });
  state.listener = client;
  client.on("error", (error) => scheduleReconnect(state, error));
  client.on("end", () => scheduleReconnect(state, new Error("connection ended")));
  client.on("notification", (message) => {
    if (message.channel !== LIVE_CHANNEL || !message.payload) return;
    const event = parseLiveEvent(message.payload);
    if (event) state.emitter.emit("event", event);
  });
  await client.connect();
  await client.query(`LISTEN ${LIVE_CHANNEL}`);
  // Keep the process free to exit: the listener is not work to wait for.
  (client as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
  state.reconnectDelayMs = 250;
  // Whatever was published while disconnected is lost: consoles refetch.
  if (reconnecting) state.emitter.emit("event", { kind: "resync" } satisfies LiveEvent);
}

/**
 * Receives every live event published by any instance, from now on.
 * Resolves once this instance listens; returns the unsubscribe function.
 */
export async function subscribeLive(onEvent: (event: LiveEvent) => void): Promise<() => void> {
  const state = hub();
  state.stopped = false;
  state.emitter.on("event", onEvent);
  const unsubscribe = () => void state.emitter.off("event", onEvent);
  try {
    if (!(await isEmbedded(db))) {
      state.listening ??= connectListener(state, false).catch((error: unknown) => scheduleReconnect(state, error));
      await state.listening;
    }
  } catch (error) {
    unsubscribe();
    throw error;
  }
  return unsubscribe;
}

/** The listener connection's backend pid (tests end it to check the reconnect). */
export async function liveListenerPid(): Promise<number | null> {
  const client = hub().listener;
  if (!client) return null;
  const { rows } = await client.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
  return rows[0]?.pid ?? null;
}

/** Closes this instance's listener (shutdown, tests). */
export async function stopLive(): Promise<void> {
  const state = hub();
  state.stopped = true;
  if (state.reconnectTimer) clearTimeout(state.reconnectTimer);
  state.reconnectTimer = null;
  const client = state.listener;
  state.listener = null;
  state.listening = null;
  state.embedded = null;
  if (client) {
    client.removeAllListeners();
    client.on("error", () => undefined);
    await client.end().catch(() => undefined);
  }
}
