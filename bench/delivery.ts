// Delivery and live-update figures.
// - outbox_messages_per_s: 20,000 queued messages delivered by one instance's
//   worker (default settings) to the local customer-channel sink (`npm run
//   sink`, a process of its own), which verifies every signature.
// - outbox_lost / outbox_duplicates (PostgreSQL: the embedded database serves
//   one process): two worker processes deliver 10,000 more; one is killed
//   (SIGKILL) a third of the way through. Lost: messages the sink never
//   accepted. Duplicates: messages the customer got twice (the sink, like any
//   receiver, drops a repeated idempotency key; a re-send under a new key
//   would count). outbox_resent_after_kill: the killed worker's in-flight
//   posts sent again after its lease, absorbed by the idempotency key.
// - live_update_p99_ms (PostgreSQL): two app instances, 500 signed-in /live
//   connections over both; a customer's follow-up posted to instance A's
//   intake API; time from the post to each connection's event.
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { createIntegration } from "../app/cases/intake.server";
import { getDb } from "../app/db/db.server";
import { startCustomerSink } from "../app/delivery/customer-sink.server";
import { deliverySettingsFromEnv } from "../app/delivery/delivery-settings";
import { drainOutbox } from "../app/delivery/delivery-worker.server";
import { queueCustomerMessages } from "../app/delivery/outbox.server";
import { setWebhookUrl } from "../app/delivery/webhooks.server";
import { DEMO_ACCOUNTS } from "../prisma/seed";
import type { Report } from "./report";

const root = path.resolve(import.meta.dirname, "..");
const THROUGHPUT_MESSAGES = 20_000;
const KILL_MESSAGES = 10_000;
const CONNECTIONS = 500;
const ROUNDS = 20;

function percentile(samples: number[], p: number): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function spawnTsx(script: string, env: Record<string, string>, readyText: string): Promise<ChildProcess> {
  // node --import tsx, not the tsx CLI: the CLI runs the script in a child of
  // its own, and killing the CLI would leave the worker running.
  const child = spawn(process.execPath, ["--import", "tsx", script], {
    cwd: root,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes(readyText)) resolve(child);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.once("exit", (code) => reject(new Error(`${script} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}

async function stopChild(child: ChildProcess, signal: NodeJS.Signals = "SIGTERM"): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill(signal);
  await exited;
}

/** An integration with one case whose messages go to a fresh sink. */
async function channelToSink(name: string) {
  const db = getDb();
  const integration = await createIntegration(`${name}-${Date.now()}`, null);
  const kase = await db.case.create({
    data: { channelId: "whatsapp", language: "en", customerId: `BENCH-${name}`, customerName: "Bench Customer", subject: "Bench", body: "Bench" },
  });
  await db.intakeDelivery.create({ data: { integrationId: integration.id, idempotencyKey: `bench-${name}`, caseId: kase.id } });
  const { secret } = await setWebhookUrl(integration.id, "http://127.0.0.1:1/", null);
  const sink = await startCustomerSink({ secret: secret! });
  await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: sink.url } });
  return { integration, caseId: kase.id, sink };
}

async function queueMessages(caseId: string, count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let start = 0; start < count; start += 1000) {
    const batch = Array.from({ length: Math.min(1000, count - start) }, (_, i) => ({
      caseId,
      sender: "agent" as const,
      authorId: null,
      kind: "reply",
      language: "en",
      body: `Bench message ${start + i}: your rebooking is confirmed for tomorrow's 09:40 flight.`,
    }));
    ids.push(...(await queueCustomerMessages(getDb(), batch)).map((m) => m.id));
  }
  return ids;
}

async function benchThroughput(label: string, report: Report) {
  const db = getDb();
  const { caseId, sink, integration } = await channelToSink("throughput");
  // The receiver is a process of its own (`npm run sink`), as a customer channel would be.
  await sink.stop();
  const port = await freePort();
  const secret = (await db.integration.findUniqueOrThrow({ where: { id: integration.id } })).webhookSecret!;
  const child = await spawnTsx("app/delivery/sink-cli.ts", { SURGE_SINK_PORT: String(port), SURGE_SINK_SECRET: secret }, "listening");
  try {
    await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: `http://127.0.0.1:${port}/` } });
    await queueMessages(caseId, THROUGHPUT_MESSAGES);
    const start = performance.now();
    const { sent } = await drainOutbox(deliverySettingsFromEnv());
    const seconds = (performance.now() - start) / 1000;
    // A 2xx needs a valid signature: every message sent was verified by the sink.
    const received = ((await (await fetch(`http://127.0.0.1:${port}/messages.json`)).json()) as unknown[]).length;
    if (sent !== THROUGHPUT_MESSAGES || received !== THROUGHPUT_MESSAGES)
      throw new Error(`throughput run: ${sent} sent, ${received} received of ${THROUGHPUT_MESSAGES}`);
    report(`outbox_messages_per_s.${label}`, THROUGHPUT_MESSAGES / seconds, "/s");
  } finally {
    await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: null } });
    await stopChild(child);
  }
}

async function benchKilledWorker(label: string, report: Report) {
  const db = getDb();
  const { caseId, sink, integration } = await channelToSink("kill");
  const ids = await queueMessages(caseId, KILL_MESSAGES);
  // A short lease so the survivor picks up the dead worker's claims quickly.
  const env = { SURGE_DELIVERY_LEASE_MS: "10000", SURGE_DELIVERY_TIMEOUT_MS: "5000", SURGE_DELIVERY_POLL_MS: "100", DATABASE_POOL_MAX: "5" };
  const workers = await Promise.all([spawnTsx("bench/outbox-worker.ts", env, "worker ready"), spawnTsx("bench/outbox-worker.ts", env, "worker ready")]);
  try {
    while (sink.received().length < KILL_MESSAGES / 3) await new Promise((resolve) => setTimeout(resolve, 5));
    await stopChild(workers[0]!, "SIGKILL");
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && (await db.outboundMessage.count({ where: { integrationId: integration.id, state: "sent" } })) < KILL_MESSAGES)
      await new Promise((resolve) => setTimeout(resolve, 200));
  } finally {
    await Promise.all(workers.map((w) => stopChild(w)));
  }
  const accepted = sink.received().map((m) => m.id);
  const distinct = new Set(accepted);
  const lost = ids.filter((id) => !distinct.has(id)).length;
  report(`outbox_lost.${label}`, lost, "messages");
  report(`outbox_duplicates.${label}`, accepted.length - distinct.size, "messages");
  report(`outbox_resent_after_kill.${label}`, sink.repeats(), "posts");
  await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: null } });
  await sink.stop();
}

interface LiveConnection {
  arrivals: number[];
  close(): void;
}

function openLive(baseUrl: string, cookie: string): Promise<LiveConnection> {
  return new Promise((resolve, reject) => {
    const arrivals: number[] = [];
    const request = http.get(`${baseUrl}/live`, { headers: { Cookie: cookie, Accept: "text/event-stream" }, agent: false }, (response) => {
      if (response.statusCode !== 200) return reject(new Error(`/live answered ${response.statusCode}`));
      let buffer = "";
      let connected = false;
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        buffer += chunk;
        let end: number;
        while ((end = buffer.indexOf("\n\n")) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          if (!connected && block.includes(": connected")) {
            connected = true;
            resolve({ arrivals, close: () => request.destroy() });
          }
          if (block.includes('"kind":"case_message"')) arrivals.push(performance.now());
        }
      });
    });
    request.on("error", reject);
  });
}

async function benchLive(report: Report) {
  const { signedIn } = await import("../tests/support/app-client");
  const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;
  const visitor = await signedIn(supervisor.email, supervisor.password);
  const cookie = visitor.cookieHeader();
  const integration = await createIntegration(`live-bench-${Date.now()}`, null);
  const env = { SURGE_UPKEEP: "0", SURGE_DELIVERY: "0", SURGE_COOKIE_SECURE: "0", NODE_ENV: "production", DATABASE_POOL_MAX: "5" };
  const ports = [await freePort(), await freePort()];
  const instances = await Promise.all(ports.map((port) => spawnTsx("app/server/start.ts", { ...env, PORT: String(port) }, "Surge is ready")));
  const connections: LiveConnection[] = [];
  try {
    const bases = ports.map((port) => `http://127.0.0.1:${port}`);
    for (let i = 0; i < CONNECTIONS; i += 50)
      connections.push(...(await Promise.all(Array.from({ length: 50 }, (_, j) => openLive(bases[(i + j) % 2]!, cookie)))));
    const customer = { customerId: `LIVE-${Date.now()}`, bookingReference: "LIVEBK1" };
    let key = 0;
    const post = async () => {
      const response = await fetch(`${bases[0]}/api/cases`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${integration.token}` },
        body: JSON.stringify({
          idempotencyKey: `live-bench-${Date.now()}-${key++}`,
          channelId: "whatsapp",
          language: "en",
          ...customer,
          customerName: "Live Bench",
          loyaltyTier: "none",
          subject: "Question about my booking",
          body: "Any news about my booking?",
          topics: ["flight-status"],
        }),
      });
      if (response.status >= 300) throw new Error(`intake answered ${response.status}: ${(await response.text()).slice(0, 300)}`);
    };
    await post(); // creates the case; every later message threads onto it
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (const c of connections) c.arrivals.length = 0;
    const samples: number[] = [];
    for (let round = 1; round <= ROUNDS; round++) {
      const start = performance.now();
      await post();
      const deadline = Date.now() + 10_000;
      while (connections.some((c) => c.arrivals.length < round) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 2));
      for (const c of connections) samples.push(c.arrivals.length >= round ? c.arrivals[round - 1]! - start : 10_000);
    }
    report("live_update_p99_ms.postgres", percentile(samples, 99), "ms");
    report("live_update_p50_ms.postgres", percentile(samples, 50), "ms");
  } finally {
    for (const c of connections) c.close();
    await Promise.all(instances.map((i) => stopChild(i)));
  }
}

export async function benchDelivery(label: "embedded" | "postgres", report: Report): Promise<void> {
  await benchThroughput(label, report);
  if (label !== "postgres") {
    console.log("# outbox_lost, outbox_duplicates and live_update_p99_ms: PostgreSQL only (the embedded database serves one process)");
    return;
  }
  await benchKilledWorker(label, report);
  await benchLive(report);
}
