// The delivery worker against a real database and the local customer-channel
// sink: signed posts, retries with back-off, no double sends with two
// workers, a dead worker's claimed rows sent after the lease, undeliverable
// messages, the bot's messages through the outbox, and the webhook settings.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { sendHoldingReply } from "../app/cases/bot.server";
import { createIntegration } from "../app/cases/intake.server";
import { getDb } from "../app/db/db.server";
import { listCaseMessages } from "../app/delivery/case-messages.server";
import { startCustomerSink, type CustomerSink, type CustomerSinkOptions } from "../app/delivery/customer-sink.server";
import type { DeliverySettings } from "../app/delivery/delivery-settings";
import { claimDueMessages, drainOutbox } from "../app/delivery/delivery-worker.server";
import { queueCustomerMessage } from "../app/delivery/outbox.server";
import { setWebhookUrl } from "../app/delivery/webhooks.server";
import { seedDemoData } from "../prisma/seed";
import { signedIn } from "./support/app-client";
import { intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const settings: DeliverySettings = {
  maxAttempts: 3,
  baseDelayMs: 1000,
  maxDelayMs: 60_000,
  leaseMs: 30_000,
  timeoutMs: 5000,
  pollMs: 100,
  batchSize: 20,
  concurrency: 2,
};

const sinks: CustomerSink[] = [];
let counter = 0;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

afterEach(async () => {
  // Later tests' drains must not post to an earlier test's stopped sink.
  await db.integration.updateMany({ data: { webhookUrl: null } });
  await Promise.all(sinks.splice(0).map((s) => s.stop()));
});

/** An integration of its own with a case, its webhook pointing at a fresh sink. */
async function channel(options: Partial<CustomerSinkOptions> & { webhook?: boolean } = {}) {
  counter += 1;
  const integration = await createIntegration(`delivery-test-${counter}`, null);
  const response = await postIntake(intakeCase({ body: "Where is my suitcase?" }), integration.token);
  expect(response.status).toBeLessThan(300);
  const { caseId } = (await response.json()) as { caseId: string };
  if (options.webhook === false) return { integration, caseId, sink: null };
  // The secret exists once a URL is set; the sink must know it, so it starts after.
  const { secret } = await setWebhookUrl(integration.id, "http://127.0.0.1:1/", null);
  const sink = await startCustomerSink({ ...options, secret: options.secret ?? secret! });
  sinks.push(sink);
  await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: sink.url } });
  return { integration, caseId, sink };
}

const reply = (caseId: string, body = "Your suitcase is on its way.") =>
  queueCustomerMessage(db, { caseId, sender: "agent", authorId: null, kind: "reply", language: "en", body });

describe("delivery to the integration's webhook", () => {
  it("posts the signed message with its idempotency key, once, and marks it sent", async () => {
    const { caseId, sink } = await channel();
    const queued = await reply(caseId);
    const result = await drainOutbox(settings);
    expect(result.sent).toBe(1);
    expect(sink!.rejected()).toBe(0);
    const [received] = sink!.received();
    expect(received).toMatchObject({
      id: queued.id,
      idempotencyKey: queued.idempotencyKey,
      caseId,
      kind: "reply",
      sender: "agent",
      language: "en",
      body: "Your suitcase is on its way.",
    });
    const row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "sent", attempts: 1, lastError: null });
    expect(received!.createdAt).toBe(row.createdAt.toISOString());
    expect(row.sentAt).not.toBeNull();
    expect((await drainOutbox(settings)).sent).toBe(0);
    expect(sink!.posts().get(queued.idempotencyKey)).toBe(1);
  });

  it("is refused by a receiver with another secret, and retried later", async () => {
    const { caseId, sink } = await channel({ secret: "not-the-integration-secret" });
    const queued = await reply(caseId);
    const now = new Date();
    await drainOutbox(settings, { now: () => now });
    expect(sink!.rejected()).toBe(1);
    expect(sink!.received()).toHaveLength(0);
    const row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/^HTTP 401/);
  });

  it("retries a failed post with exponential back-off, then sends it", async () => {
    const { caseId, sink } = await channel({ respond: (_message, attempt) => (attempt <= 2 ? 503 : undefined) });
    const queued = await reply(caseId);
    const t0 = new Date(Date.now() + 1000);
    await drainOutbox(settings, { now: () => t0 });
    let row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "queued", attempts: 1 });
    expect(row.lastError).toMatch(/^HTTP 503/);
    expect(row.nextAttemptAt.getTime()).toBe(t0.getTime() + 1000);

    // Not due yet: nothing is posted.
    await drainOutbox(settings, { now: () => new Date(t0.getTime() + 999) });
    expect(sink!.posts().get(queued.idempotencyKey)).toBe(1);

    const t1 = new Date(t0.getTime() + 1000);
    await drainOutbox(settings, { now: () => t1 });
    row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "queued", attempts: 2 });
    expect(row.nextAttemptAt.getTime()).toBe(t1.getTime() + 2000);

    await drainOutbox(settings, { now: () => new Date(t1.getTime() + 2000) });
    row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "sent", attempts: 3, lastError: null });
    expect(sink!.received().map((m) => m.id)).toEqual([queued.id]);
  });

  it("gives up on a post that does not answer within the timeout, and retries it", async () => {
    const { integration, caseId } = await channel({ webhook: false });
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    try {
      await setWebhookUrl(integration.id, `http://127.0.0.1:${(silent.address() as AddressInfo).port}/`, null);
      const queued = await reply(caseId);
      await drainOutbox({ ...settings, timeoutMs: 300 });
      expect(await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({
        state: "queued",
        attempts: 1,
        lastError: "timed out",
      });
    } finally {
      silent.closeAllConnections();
      silent.close();
    }
  });

  it("fails a message after the last attempt, keeping the last error", async () => {
    const { caseId, sink } = await channel({ respond: () => 500 });
    const queued = await reply(caseId);
    let clock = Date.now() + 1000;
    for (let attempt = 1; attempt <= settings.maxAttempts + 1; attempt++) {
      await drainOutbox(settings, { now: () => new Date(clock) });
      clock += settings.maxDelayMs;
    }
    const row = await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } });
    expect(row).toMatchObject({ state: "failed", attempts: settings.maxAttempts, sentAt: null });
    expect(row.lastError).toMatch(/^HTTP 500/);
    expect(sink!.posts().get(queued.idempotencyKey)).toBe(settings.maxAttempts);
    const [shown] = await listCaseMessages(caseId);
    expect(shown).toMatchObject({ delivery: "failed", attempts: settings.maxAttempts });
    expect(shown!.deliveryNote).toMatch(/^HTTP 500/);
  });

  it("never posts a message twice when two workers drain at once", async () => {
    const { caseId, sink } = await channel();
    const ids = [];
    for (let i = 0; i < 120; i++) ids.push((await reply(caseId, `Message ${i}`)).idempotencyKey);
    const [a, b] = await Promise.all([drainOutbox(settings), drainOutbox(settings)]);
    expect(a.sent + b.sent).toBe(120);
    expect(sink!.received()).toHaveLength(120);
    expect([...sink!.posts().values()].every((n) => n === 1)).toBe(true);
    expect(new Set(sink!.received().map((m) => m.idempotencyKey))).toEqual(new Set(ids));
    expect(await db.outboundMessage.count({ where: { caseId, state: "sent" } })).toBe(120);
  });

  it("sends a dead worker's claimed messages once its lease has passed", async () => {
    const { integration, caseId, sink } = await channel();
    for (let i = 0; i < 5; i++) await reply(caseId, `Message ${i}`);
    const now = new Date(Date.now() + 1000);
    // A worker claims them and dies before posting.
    const claimed = await claimDueMessages(integration.id, 10, now, settings.leaseMs);
    expect(claimed).toHaveLength(5);
    await drainOutbox(settings, { now: () => new Date(now.getTime() + settings.leaseMs - 1) });
    expect(sink!.received()).toHaveLength(0);
    await drainOutbox(settings, { now: () => new Date(now.getTime() + settings.leaseMs) });
    expect(sink!.received()).toHaveLength(5);
    expect(await db.outboundMessage.findMany({ where: { caseId }, select: { state: true, attempts: true } })).toEqual(
      Array.from({ length: 5 }, () => ({ state: "sent", attempts: 2 }))
    );
  });

  it("keeps messages of an integration without a webhook queued and shown as undeliverable until one is set", async () => {
    const { integration, caseId } = await channel({ webhook: false });
    const queued = await reply(caseId);
    await drainOutbox(settings);
    expect(await db.outboundMessage.findUniqueOrThrow({ where: { id: queued.id } })).toMatchObject({ state: "queued", attempts: 0 });
    const [shown] = await listCaseMessages(caseId);
    expect(shown).toMatchObject({ id: queued.id, delivery: "undeliverable", body: "Your suitcase is on its way." });
    expect(shown!.deliveryNote).toMatch(/no delivery webhook/);

    const { secret } = await setWebhookUrl(integration.id, "http://127.0.0.1:1/", null);
    const sink = await startCustomerSink({ secret: secret! });
    sinks.push(sink);
    await db.integration.update({ where: { id: integration.id }, data: { webhookUrl: sink.url } });
    await drainOutbox(settings);
    expect(sink.received().map((m) => m.id)).toEqual([queued.id]);
    expect((await listCaseMessages(caseId))[0]).toMatchObject({ delivery: "sent", deliveryNote: null });
  });
});

describe("the bot's messages", () => {
  it("queue the holding reply in the outbox with its event", async () => {
    const { caseId, sink } = await channel();
    expect(await sendHoldingReply(caseId)).toBe(true);
    const event = await db.caseEvent.findFirstOrThrow({ where: { caseId, type: "holding_reply" } });
    const [message] = await listCaseMessages(caseId);
    expect(message).toMatchObject({ kind: "holding", sender: "bot", delivery: "queued", body: (event.data as { message: string }).message });
    await drainOutbox(settings);
    expect(sink!.received()).toMatchObject([{ kind: "holding", sender: "bot", caseId }]);
  });
});

describe("webhook settings on /integrations", () => {
  it("lets a supervisor set the URL (secret shown once) and rotate the secret; not a volunteer; not a bad URL", async () => {
    const integration = await createIntegration(`webhook-screen-${++counter}`, null);
    const supervisor = await signedIn("supervisor@surge.test", "surge-supervisor-demo");
    const set = await supervisor.post("/integrations", { intent: "webhook", id: integration.id, webhookUrl: "https://connector.example/surge" });
    expect(set.status).toBe(200);
    const stored = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(stored.webhookUrl).toBe("https://connector.example/surge");
    expect(stored.webhookSecret).toMatch(/^whsec_/);
    expect(await set.text()).toContain(stored.webhookSecret!);
    // Shown once: the page does not show it again.
    expect(await (await supervisor.get("/integrations")).text()).not.toContain(stored.webhookSecret!);

    const rotated = await supervisor.post("/integrations", { intent: "rotate-secret", id: integration.id });
    const after = await db.integration.findUniqueOrThrow({ where: { id: integration.id } });
    expect(after.webhookSecret).not.toBe(stored.webhookSecret);
    expect(await rotated.text()).toContain(after.webhookSecret!);

    const bad = await supervisor.post("/integrations", { intent: "webhook", id: integration.id, webhookUrl: "ftp://x.example/" });
    expect(bad.status).toBe(400);
    expect((await db.integration.findUniqueOrThrow({ where: { id: integration.id } })).webhookUrl).toBe("https://connector.example/surge");

    // Supervisors do not create or revoke integrations.
    expect((await supervisor.post("/integrations", { intent: "create", name: "sneaky" })).status).toBe(403);

    const volunteer = await signedIn("volunteer@surge.test", "surge-volunteer-demo");
    expect((await volunteer.get("/integrations")).status).toBe(403);
    const crafted = await volunteer.post("/integrations", { intent: "webhook", id: integration.id, webhookUrl: "https://evil.example/" });
    expect(crafted.status).toBe(403);
    expect((await db.integration.findUniqueOrThrow({ where: { id: integration.id } })).webhookUrl).toBe("https://connector.example/surge");
  });
});
