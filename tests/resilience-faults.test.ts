// Database faults and shutdown. On PostgreSQL (TEST_DATABASE_URL) against real
// app instances in their own processes: PostgreSQL ending the app's
// connections again and again under load must not end the process; SIGTERM
// under load answers every request already received and exits within the
// bound. On both databases: a burst of identical gestures is answered 201 or
// 409 (serialisation failures are retried, never 500) and every connection
// goes back to the pool.
import type { Prisma } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../app/cases/cases-demo.server";
import { db as appDb, getDb, poolStats } from "../app/db/db.server";
import { inTransaction } from "../app/db/transactions.server";
import { seedDemoData } from "../prisma/seed";
import { signedIn, type Visitor } from "./support/app-client";
import { startAppProcess, type AppProcess } from "./support/app-process";
import { insertOpenCases, intakeCase } from "./support/case-fixtures";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const started: AppProcess[] = [];

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

afterAll(async () => {
  await Promise.all(started.map((app) => app.kill()));
});

async function appProcess(env: Record<string, string> = {}): Promise<AppProcess> {
  const app = await startAppProcess({ databaseUrl: process.env.DATABASE_URL!, env: { DATABASE_POOL_MAX: "5", ...env } });
  started.push(app);
  return app;
}

async function assignedCaseFor(email: string): Promise<string> {
  const agent = await db.user.findUniqueOrThrow({ where: { email } });
  const [caseId] = await insertOpenCases(db, [{ channelId: "whatsapp", language: "en" }]);
  await db.case.update({ where: { id: caseId! }, data: { status: "assigned", assigneeId: agent.id, assignedAt: new Date() } });
  return caseId!;
}

function intake(visitor: Visitor, count: number): Promise<Response> {
  return visitor.request("/api/cases", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_INTEGRATION.token}` },
    body: JSON.stringify({ cases: Array.from({ length: count }, () => intakeCase()) }),
  });
}

/** Six identical gesture posts at the same moment (a frantic multi-click). */
async function gestureBurst(visitor: Visitor, caseId: string): Promise<number[]> {
  const csrf = await visitor.csrfToken();
  const responses = await Promise.all(
    Array.from({ length: 6 }, () => visitor.post(`/cases/${caseId}/gestures`, { type: "miles", amount: "100", reason: "Delayed twice" }, { csrf })),
  );
  return responses.map((r) => r.status);
}

async function expectEveryConnectionBack() {
  // The pool may still be finishing a release of the last request's connection.
  for (let i = 0; i < 50 && poolStats().idle !== poolStats().total; i++) await new Promise((r) => setTimeout(r, 20));
  const stats = poolStats();
  expect(stats.waiting).toBe(0);
  expect(stats.idle).toBe(stats.total);
}

describe("serialisation failures", () => {
  it("a burst of identical gestures is answered 201 or 409, each 201 is one gesture, and every connection comes back", async () => {
    const caseId = await assignedCaseFor("agent@surge.test");
    const agent = await signedIn("agent@surge.test", "surge-agent-demo");
    const statuses = await gestureBurst(agent, caseId);
    expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(await db.gesture.count({ where: { caseId } })).toBe(statuses.filter((s) => s === 201).length);
    await expectEveryConnectionBack();
  });
});

describe("every connection busy", () => {
  it("a transaction that waited longer than its wait for a connection is answered 503 with Retry-After, and nothing is written", async () => {
    const poolSize = Number(process.env.DATABASE_POOL_MAX ?? 10);
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    // Hold every connection of the pool in an open transaction.
    const holders = Array.from({ length: poolSize }, () =>
      db.$transaction(async (tx) => {
        await tx.$queryRaw`SELECT 1`;
        await released;
      }, { maxWait: 10_000, timeout: 30_000 }),
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(poolStats(), "every connection is out").toMatchObject({ total: poolSize, idle: 0 });
    // Prisma measures the wait when the connection comes: the holders let go after a second,
    // past the transaction's 300 ms wait, so it is refused without running.
    // Both ways of running a transaction: the app's db.$transaction, as most modules call it, and inTransaction.
    const write = (tx: Prisma.TransactionClient) => tx.auditLog.create({ data: { action: "busy.test", subjectType: "test", subjectId: "busy" } });
    const attempts = [appDb.$transaction(write, { maxWait: 300 }), inTransaction(write, { maxWait: 300 })].map((attempt) =>
      attempt.then(
        () => null,
        (error: unknown) => error,
      ),
    );
    await new Promise((resolve) => setTimeout(resolve, 1000));
    release();
    await Promise.all(holders);
    for (const answer of await Promise.all(attempts)) {
      expect(answer).toBeInstanceOf(Response);
      const response = answer as Response;
      expect(response.status).toBe(503);
      expect(response.headers.get("Retry-After")).toBe("2");
      expect(await response.text()).toMatch(/busy.*nothing was saved/i);
    }
    expect(await db.auditLog.count({ where: { action: "busy.test" } })).toBe(0);
    await expectEveryConnectionBack();
  });
});

if (onPostgres) {
  describe("a connection ended while a transaction holds it", () => {
    it("fails that transaction only: the process lives, and the next query gets a new connection", async () => {
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      await admin.connect();
      try {
        const transaction = db.$transaction(async (tx) => {
          const [backend] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
          await admin.query("SELECT pg_terminate_backend($1)", [backend!.pid]);
          // The termination reaches the checked-out, idle connection between two queries:
          // without a listener for its whole life, its 'error' event would end the process.
          await new Promise((resolve) => setTimeout(resolve, 300));
          await tx.$queryRaw`SELECT 1`;
        });
        await expect(transaction).rejects.toThrow();
      } finally {
        await admin.end();
      }
      expect(await db.$queryRaw<{ ok: number }[]>`SELECT 1 AS ok`).toEqual([{ ok: 1 }]);
      await expectEveryConnectionBack();
    });
  });

  // One instance for both tests (starting one takes seconds): it survives the
  // terminations of the first, then is stopped by the second.
  let instance: Promise<AppProcess> | undefined;
  const sharedApp = () => (instance ??= appProcess({ SURGE_SHUTDOWN_TIMEOUT_MS: "8000" }));

  describe("an app instance on PostgreSQL", () => {
    it("survives PostgreSQL ending its connections every 0.3 s under load, and serves right after", async () => {
      const app = await sharedApp();
      const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
      admin.on("error", () => undefined);
      await admin.connect();
      try {
        const agent = await app.visitor();
        expect((await agent.signIn("agent@surge.test", "surge-agent-demo")).status).toBe(302);
        const caseId = await assignedCaseFor("agent@surge.test");
        let loading = true;
        const statuses: (number | string)[] = [];
        // Writes in interactive transactions (intake, gestures) and reads with a session, 8 at a time.
        const load = Array.from({ length: 8 }, async (_, worker) => {
          for (let i = 0; loading; i++) {
            const request =
              worker % 3 === 0 ? intake(agent, 5) : worker % 3 === 1 ? agent.get("/cases") : agent.post(`/cases/${caseId}/gestures`, { type: "miles", amount: "1", reason: "Fault test" });
            statuses.push(await request.then((r) => r.status, (e: Error) => e.message));
          }
        });
        let terminated = 0;
        for (let burst = 0; burst < 12; burst++) {
          await new Promise((r) => setTimeout(r, 300));
          const { rowCount } = await admin.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", [app.applicationName]);
          terminated += rowCount ?? 0;
        }
        loading = false;
        await Promise.all(load);
        expect(terminated).toBeGreaterThan(5);
        expect(app.alive()).toBe(true);
        expect(app.output()).not.toContain("Unhandled");
        // Serving again at once: the pool replaces the connections it lost.
        const recoveredBy = Date.now() + 1000;
        let last = 0;
        while (Date.now() < recoveredBy && last !== 200) last = (await agent.get("/cases")).status;
        expect(last).toBe(200);
        expect((await intake(agent, 1)).status).toBe(201);
        expect(statuses.filter((s) => s === 200 || s === 201).length).toBeGreaterThan(0);
      } finally {
        await admin.end();
      }
    });

    it("after gesture bursts, SIGTERM under load answers every request already received, gets every connection back and exits within the bound", async () => {
      const app = await sharedApp();
      const agent = app.visitor();
      expect((await agent.signIn("agent@surge.test", "surge-agent-demo")).status).toBe(302);
      const caseId = await assignedCaseFor("agent@surge.test");
      // Serialisation failures are retried, then 409: never 500, never a connection left checked out.
      for (let round = 0; round < 3; round++) {
        const statuses = await gestureBurst(agent, caseId);
        expect(statuses.every((s) => s === 201 || s === 409)).toBe(true);
      }
      // The visitor's keep-alive connections are idle now: they must not hold the shutdown up.
      // Slow requests in flight when the signal comes:
      const inFlight = Array.from({ length: 10 }, () => intake(agent, 100).then((r) => r.status, (e: Error) => `${e.message} ${String(e.cause)}`));
      // Long enough for all ten to reach the server on a busy CI machine (a request not yet
      // received when the signal comes is refused, as it should be), short of their run time.
      await new Promise((r) => setTimeout(r, 400));
      const signalledAt = Date.now();
      app.child.kill("SIGTERM");
      const statuses = await Promise.all(inFlight);
      const code = await app.exited;
      expect(statuses).toEqual(Array(10).fill(201));
      expect(code).toBe(0);
      expect(Date.now() - signalledAt).toBeLessThan(8000);
      expect(app.output()).toMatch(/SIGTERM: finishing \d+ open request/);
      expect(app.output()).toContain("Stopped in");
      expect(app.output()).not.toContain("were cut");
      expect(app.output()).not.toContain("still in use");
    });
  });
}
