// "Next case" as the agent waits for it: POST /cases/next over HTTP to two
// real app instances (app/server/start.ts, NODE_ENV=production) on a
// PostgreSQL database of its own, with the session cookie and the CSRF token
// each agent's page carries. The session, the ability facts, the CSRF check,
// presence and the dequeue all count.
//
// - next_case_http_per_s: 200 signed-in agents, closed loop (each asks again
//   the moment it has its answer), split over the two instances.
// - next_case_http_p50_ms / _p99_ms: open loop at 100 requests/s: request i
//   is due at start + i × 10 ms whatever the answers before it, and its
//   latency counts from that due time, so a stalled server shows up in the
//   figure instead of pausing the load (no coordinated omission).
// - next_case_http_loadgen_cpu_pct: this process's CPU time (the load
//   generator) as a share of the machine's cores during the closed loop.
// - next_case_http_statements_per_request: statements the instances sent to
//   the database per request in the closed loop (counted by
//   bench/query-counter.mjs; the background jobs' few are included).
//
// Expects DATABASE_URL to point at the PostgreSQL server (bench/run.ts) and
// the app to be built; creates and drops its own database.
import { readFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import pg from "pg";
import { rerankOpenCases } from "../app/cases/priority.server";
import { DEFAULT_PRIORITY_RULE_SET } from "../app/cases/priority-rules";
import { disconnectDb } from "../app/db/db.server";
import { startAppProcess, type AppProcess } from "../tests/support/app-process";
import { postgresDatabase, root, withDatabaseName } from "../tests/support/databases";
import { createAgents, grantTopicSkills, insertOpenCases, percentile, resolveInBackground, settle } from "./cases";
import type { Report } from "./report";

const OPEN_CASES = Number(process.env.BENCH_HTTP_CASES ?? 200_000);
const AGENTS = 200;
const INSTANCES = 2;
const CLOSED_LOOP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);
const OPEN_LOOP_PER_S = 100;
const OPEN_LOOP_SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 10);

interface Agent {
  id: string;
  instance: AppProcess;
  cookie: string;
  csrf: string;
}

const keepAlive = new http.Agent({ keepAlive: true, maxSockets: AGENTS });

/** One HTTP request; resolves with the status once the body is read. */
function send(instance: AppProcess, options: { method: string; path: string; cookie: string; body?: string }): Promise<{ status: number; body: string }> {
  const url = new URL(options.path, instance.baseUrl);
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: options.method,
        agent: keepAlive,
        headers: {
          Cookie: options.cookie,
          ...(options.body === undefined
            ? {}
            : { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(options.body), Origin: instance.baseUrl }),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () => resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        response.on("error", reject);
      }
    );
    request.on("error", (error: NodeJS.ErrnoException) => {
      // The server closed an idle keep-alive connection as this request went out on it: nothing was received, so send it again.
      if (request.reusedSocket && error.code === "ECONNRESET") {
        resets += 1;
        send(instance, options).then(resolve, reject);
      } else reject(error);
    });
    request.end(options.body);
  });
}

let resets = 0;

const outcomes = { taken: 0, other: 0, messages: new Map<string, number>() };

/** "Give me the next case", as the page's form posts it. */
async function askNextCase(agent: Agent): Promise<void> {
  const { status, body } = await send(agent.instance, {
    method: "POST",
    path: "/cases/next",
    cookie: agent.cookie,
    body: `csrf=${encodeURIComponent(agent.csrf)}`,
  });
  if (status === 302) outcomes.taken += 1;
  else if (status === 200) {
    outcomes.other += 1;
    const message = /class="notice" role="status">([^<]*)</.exec(body)?.[1] ?? "(no message)";
    outcomes.messages.set(message, (outcomes.messages.get(message) ?? 0) + 1);
  }
  else throw new Error(`POST /cases/next answered ${status}: ${body.slice(0, 300)}`);
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSecondsOf(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]!.split(" ");
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * CPU seconds the database server's backends for the instances have used
 * (PostgreSQL on this machine: their pids from pg_stat_activity, their times
 * from /proc). A backend that is gone by the second reading counts as 0.
 */
async function databaseCpuSeconds(pool: pg.Pool, instances: AppProcess[]): Promise<Map<number, number>> {
  const { rows } = await pool.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = ANY($1::text[])`, [
    instances.map((instance) => instance.applicationName),
  ]);
  const seconds = new Map<number, number>();
  for (const { pid } of rows) {
    try {
      seconds.set(pid, cpuSecondsOf(pid));
    } catch {
      // Gone already, or another machine's server: nothing to count.
    }
  }
  return seconds;
}

/** The statement count an instance prints on SIGUSR2 (bench/query-counter.mjs). */
async function statementsOf(instance: AppProcess): Promise<number> {
  const before = instance.output().length;
  instance.child.kill("SIGUSR2");
  for (let i = 0; i < 100; i++) {
    const match = /\[bench\] statements (\d+)/.exec(instance.output().slice(before));
    if (match) return Number(match[1]);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error("the instance did not report its statement count");
}

/** Every agent asks again the moment it has its answer, until `seconds` have passed. */
async function closedLoop(agents: Agent[], seconds: number) {
  const end = performance.now() + seconds * 1000;
  const start = performance.now();
  let requests = 0;
  await Promise.all(
    agents.map(async (agent) => {
      while (performance.now() < end) {
        await askNextCase(agent);
        requests += 1;
      }
    })
  );
  return { requests, seconds: (performance.now() - start) / 1000 };
}

/**
 * Request i is due at start + i / perSecond, sent by agent i mod n whatever
 * the earlier answers; its latency counts from the due time.
 */
async function openLoop(agents: Agent[], perSecond: number, seconds: number): Promise<number[]> {
  const count = Math.round(perSecond * seconds);
  const intervalMs = 1000 / perSecond;
  const start = performance.now() + 20;
  const latencies: Promise<number>[] = [];
  for (let i = 0; i < count; i++) {
    const due = start + i * intervalMs;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    latencies.push(askNextCase(agents[i % agents.length]!).then(() => performance.now() - due));
  }
  return Promise.all(latencies);
}

export async function benchNextCaseHttp(label: "embedded" | "postgres", report: Report): Promise<void> {
  if (label !== "postgres") return;
  // A database of its own, so the other parts' cases and agents never mix with these.
  const serverUrl = withDatabaseName(process.env.DATABASE_URL!, "postgres");
  const database = await postgresDatabase(serverUrl, { name: `surge_bench_http_${Date.now().toString(36)}` });
  process.env.DATABASE_URL = database.url;
  const pool = new pg.Pool({ connectionString: database.url, max: 4 });
  const instances: AppProcess[] = [];
  const cpuProfiles = process.env.BENCH_HTTP_CPU_PROF;
  try {
    await insertOpenCases(pool, OPEN_CASES);
    await rerankOpenCases(new Date(), { ruleSet: DEFAULT_PRIORITY_RULE_SET });
    const people = await createAgents(pool, AGENTS);
    await grantTopicSkills(pool, people.map((p) => p.id));
    // A background loop resolves what the agents take (as agents do between
    // two cases); capacity is raised so nobody stops at their limit (the
    // capacity check still runs on every request).
    await pool.query(`UPDATE "Channel" SET "maxConcurrentPerAgent" = 100000`);
    await settle(pool);

    for (let i = 0; i < INSTANCES; i++) {
      instances.push(
        await startAppProcess({
          databaseUrl: database.url,
          env: {
            NODE_ENV: "production",
            SESSION_SECRET: process.env.SESSION_SECRET!,
            SURGE_COOKIE_SECURE: "0",
            // Background upkeep as in production; no outbox worker (nothing is sent here).
            SURGE_UPKEEP: "1",
            SURGE_DELIVERY: "0",
            NODE_OPTIONS: `--import ${path.join(root, "bench/query-counter.mjs")}`,
            // BENCH_HTTP_CPU_PROF=<dir>: each instance writes a V8 CPU profile of the closed loop there.
            ...(cpuProfiles ? { BENCH_CPU_PROFILE: path.join(cpuProfiles, `instance-${i}.cpuprofile`) } : {}),
          },
        })
      );
    }

    // Sign every agent in (a session each, as the sign-in page creates it),
    // then read the CSRF token from their "Next case" page.
    const { startSession } = await import("../app/auth/session.server");
    const agents: Agent[] = [];
    for (const [i, person] of people.entries()) {
      const cookie = (await startSession(person.id)).split(";")[0]!;
      const instance = instances[i % INSTANCES]!;
      const page = await send(instance, { method: "GET", path: "/cases/next", cookie });
      const csrf = /name="csrf" value="([^"]+)"/.exec(page.body)?.[1];
      if (page.status !== 200 || !csrf) throw new Error(`GET /cases/next answered ${page.status} without a form for ${person.id}`);
      agents.push({ id: person.id, instance, cookie, csrf });
    }

    const resolver = resolveInBackground(pool);
    try {
      // Warm-up (connections, cached plans, JIT), then the closed loop.
      await closedLoop(agents, 3);
      const statementsBefore = await Promise.all(instances.map(statementsOf));
      const serversBefore = instances.map((instance) => cpuSecondsOf(instance.child.pid!));
      const databaseBefore = await databaseCpuSeconds(pool, instances);
      const cpuBefore = process.cpuUsage();
      const takenBefore = outcomes.taken;
      const flatOut = await closedLoop(agents, CLOSED_LOOP_SECONDS);
      const cpu = process.cpuUsage(cpuBefore);
      const serversCpu = instances.map((instance, i) => cpuSecondsOf(instance.child.pid!) - serversBefore[i]!);
      let databaseCpu = 0;
      for (const [pid, after] of await databaseCpuSeconds(pool, instances)) databaseCpu += after - (databaseBefore.get(pid) ?? 0);
      const statements = (await Promise.all(instances.map(statementsOf))).reduce((sum, n, i) => sum + n - statementsBefore[i]!, 0);
      if (process.env.BENCH_STATEMENT_TEXTS === "1") console.log(instances[0]!.output().split("\n").filter((line) => line.startsWith("[bench]")).join("\n"));
      report("next_case_http_per_s", flatOut.requests / flatOut.seconds, "/s");
      report("next_case_http_loadgen_cpu_pct", ((cpu.user + cpu.system) / 1e6 / (flatOut.seconds * os.cpus().length)) * 100, "%");
      report("next_case_http_statements_per_request", statements / flatOut.requests, "count");
      console.log(
        `# next case over HTTP, closed loop: ${flatOut.requests} requests (${outcomes.taken - takenBefore} took a case) in ${flatOut.seconds.toFixed(
          1
        )} s; app instances used ${serversCpu.map((s) => ((s / flatOut.requests) * 1000 * INSTANCES).toFixed(2)).join(" and ")} ms CPU per request they served, their database connections ${((databaseCpu / flatOut.requests) * 1000).toFixed(2)} ms per request`
      );

      await openLoop(agents, OPEN_LOOP_PER_S, 2);
      const latencies = await openLoop(agents, OPEN_LOOP_PER_S, OPEN_LOOP_SECONDS);
      report("next_case_http_p50_ms", percentile(latencies, 50), "ms");
      report("next_case_http_p99_ms", percentile(latencies, 99), "ms");
      for (const [message, n] of outcomes.messages) console.log(`# ${n} answer(s) without a case: ${message}`);
      if (resets) console.log(`# ${resets} request(s) sent again: the server had closed the idle keep-alive connection they went out on`);
      console.log(`# open loop at ${OPEN_LOOP_PER_S}/s: ${latencies.length} requests, max ${Math.max(...latencies).toFixed(1)} ms`);
    } finally {
      await resolver.stop();
    }
  } catch (error) {
    for (const instance of instances) console.error(`# instance ${instance.baseUrl} said:\n${instance.output().slice(-3000)}`);
    throw error;
  } finally {
    keepAlive.destroy();
    await Promise.all(instances.map((instance) => instance.kill()));
    await pool.end();
    await disconnectDb();
    await database.drop();
  }
}
