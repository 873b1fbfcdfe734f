// The delivery worker: posts queued outbox messages to their integration's
// webhook. Every app instance runs it (startDeliveryWorker, from
// app/server/start.ts). Why this design and not a job-queue library:
// docs/delivery.md.
//
// A claim is one short statement: due rows are picked with FOR UPDATE SKIP
// LOCKED (two instances never pick the same row, and never wait on each
// other) and reserved with a lease: attempts + 1 and nextAttemptAt pushed
// to now + lease. The post then happens outside any transaction. If the
// instance dies before recording the outcome, the row becomes due again when
// the lease ends and another instance sends it (with the same idempotency
// key, so the receiver can drop the repeat). The attempt count doubles as
// the claim's fencing token: a late outcome from an expired claim cannot
// overwrite a newer claim's retry schedule.
import http from "node:http";
import https from "node:https";
import type { DeliveryState } from "@prisma/client";
import { db } from "~/db/db.server";
import { publishLiveMany } from "~/live/live.server";
import { startRecurringJobs } from "~/server/recurring-jobs";
import { deliverySettingsFromEnv, type DeliverySettings } from "./delivery-settings";
import { afterFailedAttempt } from "./retry-policy";
import { webhookBody, type OutgoingWebhookMessage } from "./webhook-payload";
import { SIGNATURE_HEADER, signWebhookBody } from "./webhook-signature";

export interface DeliverableIntegration {
  id: string;
  webhookUrl: string;
  webhookSecret: string;
}

export interface ClaimedMessage extends OutgoingWebhookMessage {
  attempts: number;
}

export type PostOutcome = { ok: true } | { ok: false; error: string };

export interface DrainOptions {
  /** The clock (tests move it past a lease or a back-off). */
  now?: () => Date;
  /** Checked between batches so a shutdown does not wait for a long backlog. */
  shouldStop?: () => boolean;
}

/** Integrations that can receive messages: a webhook URL and secret, not revoked. */
export async function deliverableIntegrations(): Promise<DeliverableIntegration[]> {
  const rows = await db.integration.findMany({
    where: { revokedAt: null, webhookUrl: { not: null }, webhookSecret: { not: null } },
    select: { id: true, webhookUrl: true, webhookSecret: true },
    orderBy: { id: "asc" },
  });
  return rows.map((r) => ({ id: r.id, webhookUrl: r.webhookUrl!, webhookSecret: r.webhookSecret! }));
}

/** Claims up to `limit` due messages of one integration for `leaseMs`. */
export async function claimDueMessages(integrationId: string, limit: number, now: Date, leaseMs: number): Promise<ClaimedMessage[]> {
  const leaseEnd = new Date(now.getTime() + leaseMs).toISOString();
  return db.$queryRaw<ClaimedMessage[]>`
    UPDATE "OutboundMessage" m SET attempts = m.attempts + 1, "nextAttemptAt" = ${leaseEnd}::timestamp(3)
    FROM (
      SELECT o.id FROM "OutboundMessage" o
      WHERE o."integrationId" = ${integrationId} AND o.state = 'queued' AND o."nextAttemptAt" <= ${now.toISOString()}::timestamp(3)
      ORDER BY o."nextAttemptAt"
      LIMIT ${limit}
      FOR UPDATE SKIP LOCKED
    ) c
    WHERE m.id = c.id
    RETURNING m.id, m."idempotencyKey", m."caseId", m.kind, m.sender::text AS sender, m.language, m.body, m."createdAt", m.attempts`;
}

function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (error.name === "TimeoutError" || error.name === "AbortError") return "timed out";
  const code = (error as Error & { code?: string }).code;
  return code && !error.message.includes(code) ? `${code}: ${error.message}` : error.message;
}

// Keep-alive connections to the webhooks, shared by all posts of this
// process (node:http costs a third of fetch's CPU per post).
const agents = {
  "http:": new http.Agent({ keepAlive: true, maxSockets: 64 }),
  "https:": new https.Agent({ keepAlive: true, maxSockets: 64 }),
};

/** One signed post; any 2xx is delivered, anything else (redirects included) is a failure to retry. */
export function postMessage(integration: DeliverableIntegration, message: ClaimedMessage, timeoutMs: number): Promise<PostOutcome> {
  const body = webhookBody(message);
  return new Promise((resolve) => {
    let url: URL;
    try {
      url = new URL(integration.webhookUrl);
    } catch {
      return resolve({ ok: false, error: "the webhook URL is not valid" });
    }
    const protocol = url.protocol === "https:" ? https : url.protocol === "http:" ? http : null;
    if (!protocol) return resolve({ ok: false, error: "the webhook URL is not http(s)" });
    const request = protocol.request(
      url,
      {
        method: "POST",
        agent: agents[url.protocol as "http:" | "https:"],
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          "Content-Type": "application/json",
          "Content-Length": Buffer.byteLength(body),
          "Idempotency-Key": message.idempotencyKey,
          [SIGNATURE_HEADER]: signWebhookBody(integration.webhookSecret, body),
          "User-Agent": "Surge-Delivery/1",
        },
      },
      (response) => {
        // Read the answer (a little of it for the error) so the connection is reused.
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (text.length < 200) text += chunk;
        });
        response.on("end", () => {
          const status = response.statusCode ?? 0;
          resolve(status >= 200 && status < 300 ? { ok: true } : { ok: false, error: `HTTP ${status}${text ? `: ${text.slice(0, 200)}` : ""}` });
        });
        response.on("error", (error) => resolve({ ok: false, error: describeError(error).slice(0, 300) }));
      }
    );
    request.on("error", (error) => resolve({ ok: false, error: describeError(error).slice(0, 300) }));
    request.end(body);
  });
}

/** Stores the outcomes of one batch: two statements whatever its size. */
export async function recordOutcomes(
  outcomes: readonly { message: ClaimedMessage; outcome: PostOutcome }[],
  now: Date,
  settings: DeliverySettings
): Promise<void> {
  await recordOutcomeRows(outcomes, now, settings);
  // Consoles showing these cases update the messages' delivery state.
  const caseIds = [...new Set(outcomes.map((o) => o.message.caseId))];
  await publishLiveMany(db, caseIds.map((caseId) => ({ kind: "case_message_state" as const, caseId })));
}

async function recordOutcomeRows(
  outcomes: readonly { message: ClaimedMessage; outcome: PostOutcome }[],
  now: Date,
  settings: DeliverySettings
): Promise<void> {
  const sent = outcomes.filter((o) => o.outcome.ok).map((o) => o.message.id);
  if (sent.length)
    // Delivered is a fact even when the claim had expired meanwhile.
    await db.$executeRaw`
      UPDATE "OutboundMessage" SET state = 'sent', "sentAt" = ${now.toISOString()}::timestamp(3), "lastError" = NULL
      WHERE id = ANY(${sent}::text[]) AND state <> 'sent'`;
  const failures = outcomes.flatMap((o) => (o.outcome.ok ? [] : [{ message: o.message, error: o.outcome.error }]));
  if (failures.length === 0) return;
  const next = failures.map((f) => afterFailedAttempt(f.message.attempts, now, settings));
  await db.$executeRaw`
    UPDATE "OutboundMessage" m
    SET state = v.state::"DeliveryState", "lastError" = v.error,
        "nextAttemptAt" = COALESCE(v.next, m."nextAttemptAt")
    FROM unnest(${failures.map((f) => f.message.id)}::text[], ${failures.map((f) => f.message.attempts)}::int[],
                ${next.map((n) => n.state satisfies DeliveryState)}::text[],
                ${next.map((n) => (n.state === "queued" ? n.nextAttemptAt.toISOString() : null))}::timestamp(3)[],
                ${failures.map((f) => f.error)}::text[]) AS v(id, attempts, state, next, error)
    WHERE m.id = v.id AND m.attempts = v.attempts AND m.state = 'queued'`;
}

/**
 * Delivers every due message, in batches, `concurrency` batches at a time;
 * returns how many posts succeeded and failed.
 */
export async function drainOutbox(settings: DeliverySettings, options: DrainOptions = {}): Promise<{ sent: number; failed: number }> {
  const now = options.now ?? (() => new Date());
  const totals = { sent: 0, failed: 0 };
  for (const integration of await deliverableIntegrations()) {
    const lane = async () => {
      while (!options.shouldStop?.()) {
        const claimed = await claimDueMessages(integration.id, settings.batchSize, now(), settings.leaseMs);
        if (claimed.length === 0) return;
        const outcomes = await Promise.all(
          claimed.map(async (message) => ({ message, outcome: await postMessage(integration, message, settings.timeoutMs) }))
        );
        await recordOutcomes(outcomes, now(), settings);
        for (const o of outcomes) totals[o.outcome.ok ? "sent" : "failed"]++;
        if (claimed.length < settings.batchSize) return;
      }
    };
    await Promise.all(Array.from({ length: settings.concurrency }, lane));
  }
  return totals;
}

export interface DeliveryWorker {
  stop(): Promise<void>;
}

/** Runs drainOutbox every pollMs in this instance until stop(). */
export function startDeliveryWorker(settings: DeliverySettings = deliverySettingsFromEnv()): DeliveryWorker {
  let stopping = false;
  const jobs = startRecurringJobs([
    { name: "deliver customer messages", everyMs: settings.pollMs, run: () => drainOutbox(settings, { shouldStop: () => stopping }) },
  ]);
  return {
    async stop() {
      stopping = true;
      await jobs.stop();
    },
  };
}
