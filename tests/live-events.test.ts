// The /live event stream through the real route with a session: events
// published in this process (both databases), from another process through
// PostgreSQL NOTIFY, per-user filtering, intake follow-ups, and the listener
// reconnecting after its connection is killed.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import type { ClientLiveEvent } from "../app/live/live-event";
import { liveListenerPid, publishLive, stopLive } from "../app/live/live.server";
import { seedDemoData } from "../prisma/seed";
import { Visitor, signedIn } from "./support/app-client";
import { intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const run = promisify(execFile);

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

afterAll(async () => {
  await stopLive();
});

interface LiveStream {
  /** The next event, or an error after `withinMs` (the 2 s promise). */
  next(withinMs?: number): Promise<ClientLiveEvent>;
  close(): Promise<void>;
}

async function openLive(visitor: Visitor): Promise<LiveStream> {
  const response = await visitor.get("/live");
  expect(response.status).toBe(200);
  expect(response.headers.get("Content-Type")).toMatch(/^text\/event-stream/);
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = "";
  const pending: ClientLiveEvent[] = [];
  let connected = false;
  let reading: Promise<void> | null = null;
  const readMore = async () => {
    const { value, done } = await reader.read();
    if (done) throw new Error("the stream ended");
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf("\n\n")) >= 0) {
      const lines = buffer.slice(0, end).split("\n");
      buffer = buffer.slice(end + 2);
      if (lines.includes(": connected")) connected = true;
      const data = lines.filter((line) => line.startsWith("data: ")).map((line) => line.slice(6));
      if (data.length) pending.push(JSON.parse(data.join("\n")) as ClientLiveEvent);
    }
  };
  // The greeting is sent once the stream is subscribed: events published from now on arrive.
  while (!connected) await readMore();
  return {
    async next(withinMs = 2000) {
      const deadline = Date.now() + withinMs;
      while (pending.length === 0) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`no live event within ${withinMs} ms`);
        reading ??= readMore().finally(() => (reading = null));
        await Promise.race([reading, new Promise((resolve) => setTimeout(resolve, left))]);
      }
      return pending.shift()!;
    },
    async close() {
      await reader.cancel().catch(() => undefined);
    },
  };
}

const notifyFromAnotherProcess = (payload: object) =>
  run("psql", [process.env.DATABASE_URL!, "-v", "ON_ERROR_STOP=1", "-qc", `SELECT pg_notify('surge_live', '${JSON.stringify(payload)}')`]);

describe("the live event stream", () => {
  it("refuses a visitor who is not signed in", async () => {
    expect((await new Visitor().get("/live")).status).toBe(401);
  });

  it("delivers an event published by this instance", async () => {
    const agent = await signedIn("agent@surge.test", "surge-agent-demo");
    const live = await openLive(agent);
    await publishLive(db, { kind: "case_message", caseId: "case-1" });
    expect(await live.next()).toMatchObject({ kind: "case_message", caseId: "case-1" });
    await live.close();
  });

  it("sends a user's events to that user only, and case events to those who may read cases", async () => {
    const agentUser = await db.user.findUniqueOrThrow({ where: { email: "agent@surge.test" } });
    const plannerUser = await db.user.findUniqueOrThrow({ where: { email: "planner@surge.test" } });
    const agent = await openLive(await signedIn("agent@surge.test", "surge-agent-demo"));
    const planner = await openLive(await signedIn("planner@surge.test", "surge-planner-demo"));
    await publishLive(db, { kind: "mention", caseId: "case-2", userIds: [plannerUser.id] });
    await publishLive(db, { kind: "case_message", caseId: "case-3" });
    await publishLive(db, { kind: "mention", caseId: "case-4", userIds: [agentUser.id] });
    // The planner cannot read cases: only its mention arrives.
    expect(await planner.next()).toEqual({ kind: "mention", caseId: "case-2", at: expect.any(Number) });
    const received = [await agent.next(), await agent.next()];
    expect(received.map((e) => [e.kind, e.caseId])).toEqual([
      ["case_message", "case-3"],
      ["mention", "case-4"],
    ]);
    // Other recipients are not disclosed.
    expect(received[1]).not.toHaveProperty("userIds");
    await Promise.all([agent.close(), planner.close()]);
  });

  it("tells open consoles when a customer's follow-up is threaded onto a case", async () => {
    const live = await openLive(await signedIn("supervisor@surge.test", "surge-supervisor-demo"));
    const first = intakeCase({ topics: ["flight-status"] });
    const created = (await (await postIntake(first)).json()) as { caseId: string };
    const followUp = await postIntake(intakeCase({ customerId: first.customerId, bookingReference: first.bookingReference, body: "Any news?" }));
    expect(((await followUp.json()) as { caseId: string }).caseId).toBe(created.caseId);
    expect(await live.next()).toMatchObject({ kind: "case_message", caseId: created.caseId });
    await live.close();
  });
});

// Across processes only PostgreSQL can: the embedded database serves one process.
if (onPostgres) describe("live events across instances (PostgreSQL LISTEN/NOTIFY)", () => {
  it("delivers a NOTIFY sent by another process", async () => {
    const live = await openLive(await signedIn("agent@surge.test", "surge-agent-demo"));
    await notifyFromAnotherProcess({ kind: "case_assigned", caseId: "case-5" });
    expect(await live.next()).toMatchObject({ kind: "case_assigned", caseId: "case-5" });
    await live.close();
  });

  it("publishes at commit, and nothing for a rolled-back transaction", async () => {
    const live = await openLive(await signedIn("agent@surge.test", "surge-agent-demo"));
    await db
      .$transaction(async (tx) => {
        await publishLive(tx, { kind: "case_updated", caseId: "rolled-back" });
        throw new Error("roll back");
      })
      .catch(() => undefined);
    await db.$transaction(async (tx) => publishLive(tx, { kind: "case_updated", caseId: "committed" }));
    expect(await live.next()).toMatchObject({ kind: "case_updated", caseId: "committed" });
    await live.close();
  });

  it("reconnects its listener after the connection is killed, and tells consoles to refetch", async () => {
    const live = await openLive(await signedIn("agent@surge.test", "surge-agent-demo"));
    const pid = await liveListenerPid();
    expect(pid).not.toBeNull();
    await db.$queryRaw`SELECT pg_terminate_backend(${pid}::int)`;
    expect(await live.next(5000)).toMatchObject({ kind: "resync" });
    expect(await liveListenerPid()).not.toBe(pid);
    await notifyFromAnotherProcess({ kind: "case_message", caseId: "case-6" });
    expect(await live.next()).toMatchObject({ kind: "case_message", caseId: "case-6" });
    await live.close();
  });
});
