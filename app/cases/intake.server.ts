// Intake: cases posted by channel connectors (and the CSV import) are scored,
// classified, possibly answered by the bot, threaded onto an open case of the
// same customer and booking, and stored, all in one transaction per request.
// A retried delivery (same integration and idempotency key) returns the case
// it made the first time.
import { createHash, randomBytes } from "node:crypto";
import { hashToken } from "~/auth/token-hash.server";
import type { CaseComplexity, LoyaltyTier, Prisma } from "@prisma/client";
import { writeAudit } from "~/audit/audit-log.server";
import { consoleSettings } from "~/console/console-settings.server";
import { RETURNING_STATUSES, returnCasesOnCustomerMessage } from "~/console/customer-return.server";
import { db } from "~/db/db.server";
import { isUniqueViolation } from "~/db/unique-violation";
import { queueCustomerMessages, type CustomerMessage } from "~/delivery/outbox.server";
import { publishLiveMany } from "~/live/live.server";
import { classifyCase, type CustomerHistory } from "./classification";
import { decideDeflection } from "./deflection";
import { threadKeyFor, type IntakeCase } from "./intake-schema";
import { evaluatePriority } from "./priority-model";
import { loadAllRuleSets, type RuleSetsByKind } from "./rule-sets.server";

/** Earlier cases and escalations of a customer count for classification over this window. */
export const HISTORY_WINDOW_DAYS = 30;

/** Statuses of a case that later messages thread onto. */
export const THREADABLE_STATUSES = ["open", "assigned", "on_hold", "escalated"] as const;

export type IntakeOutcome = "created" | "threaded" | "deflected";

export interface IntakeResult {
  idempotencyKey: string;
  caseId: string;
  caseNumber: number;
  outcome: IntakeOutcome;
  /** True when this key was delivered before: nothing new was written. */
  replayed: boolean;
}

/**
 * A delivery reused an idempotency key with a different payload. Replaying
 * the first case would drop the new message silently, so it is refused (409).
 */
export class IdempotencyConflictError extends Error {
  constructor(readonly keys: string[]) {
    super(`idempotencyKey ${keys.map((k) => `"${k}"`).join(", ")} was used before with a different payload`);
  }
}

/** Fingerprint of a case as parsed, compared when its idempotency key comes again. */
export function intakePayloadHash(c: IntakeCase): string {
  return createHash("sha256").update(JSON.stringify(c)).digest("hex");
}

export function newCaseId(): string {
  return `c${randomBytes(12).toString("hex")}`;
}

/** The integration a bearer token belongs to, or null (missing, unknown or revoked). */
export async function authenticateIntegration(authorization: string | null): Promise<{ id: string; name: string } | null> {
  const match = /^Bearer\s+(\S{16,200})\s*$/i.exec(authorization ?? "");
  if (!match) return null;
  const integration = await db.integration.findUnique({
    where: { tokenHash: hashToken(match[1]!) },
    select: { id: true, name: true, revokedAt: true },
  });
  if (!integration || integration.revokedAt) return null;
  return { id: integration.id, name: integration.name };
}

/** Creates an integration and returns its token; only the token's hash is stored, so show it once. */
export async function createIntegration(
  name: string,
  actorId: string | null,
  options: { token?: string } = {}
): Promise<{ id: string; name: string; token: string }> {
  const token = options.token ?? `surge_${randomBytes(24).toString("base64url")}`;
  const integration = await db.integration.create({ data: { name, tokenHash: hashToken(token) } });
  await writeAudit({ actorId, action: "integration.created", subjectType: "Integration", subjectId: integration.id, data: { name } });
  return { id: integration.id, name, token };
}

/** Revokes an integration's token; false when there is no such integration. Revoking twice keeps the first time. */
export async function revokeIntegration(id: string, actorId: string | null): Promise<boolean> {
  const found = await db.integration.findUnique({ where: { id }, select: { revokedAt: true } });
  if (!found) return false;
  if (found.revokedAt) return true;
  await db.integration.update({ where: { id }, data: { revokedAt: new Date() } });
  await writeAudit({ actorId, action: "integration.revoked", subjectType: "Integration", subjectId: id });
  return true;
}

export async function listIntegrations() {
  return db.integration.findMany({
    orderBy: { createdAt: "asc" },
    select: { id: true, name: true, createdAt: true, revokedAt: true, _count: { select: { deliveries: true } } },
  });
}

type Tx = Prisma.TransactionClient;

async function historyByCustomer(tx: Tx, customerIds: string[], now: Date): Promise<Map<string, CustomerHistory>> {
  const since = new Date(now.getTime() - HISTORY_WINDOW_DAYS * 86_400_000);
  const history = new Map<string, CustomerHistory>();
  if (customerIds.length === 0) return history;
  const [cases, escalations] = await Promise.all([
    tx.$queryRaw<{ customerId: string; n: number }[]>`
      SELECT "customerId", count(*)::int AS n FROM "Case"
      WHERE "customerId" = ANY(${customerIds}::text[]) AND "receivedAt" >= ${since.toISOString()}::timestamp(3)
      GROUP BY 1`,
    tx.$queryRaw<{ customerId: string; n: number }[]>`
      SELECT c."customerId", count(*)::int AS n FROM "Escalation" e JOIN "Case" c ON c.id = e."caseId"
      WHERE c."customerId" = ANY(${customerIds}::text[]) AND e."createdAt" >= ${since.toISOString()}::timestamp(3)
      GROUP BY 1`,
  ]);
  for (const id of customerIds) history.set(id, { earlierCases: 0, earlierEscalations: 0 });
  for (const row of cases) history.get(row.customerId)!.earlierCases = row.n;
  for (const row of escalations) history.get(row.customerId)!.earlierEscalations = row.n;
  return history;
}

/**
 * Stores validated cases for one integration, all or nothing. Threading:
 * a case whose customer and booking match an open case (or an earlier case
 * of the same request) becomes a "message" event on it.
 */
export async function intakeCases(
  integrationId: string,
  cases: readonly IntakeCase[],
  options: { now?: Date; actorId?: string | null } = {}
): Promise<IntakeResult[]> {
  try {
    return await intakeOnce(integrationId, cases, options);
  } catch (error) {
    // Two deliveries of the same key at the same moment: one wins the primary
    // key, the other runs again and finds the winner's case.
    if (isUniqueViolation(error)) return intakeOnce(integrationId, cases, options);
    throw error;
  }
}

async function intakeOnce(
  integrationId: string,
  cases: readonly IntakeCase[],
  options: { now?: Date; actorId?: string | null }
): Promise<IntakeResult[]> {
  const now = options.now ?? new Date();
  const rules = await loadAllRuleSets();
  return db.$transaction((tx) => storeCases(tx, integrationId, cases, { now, rules, actorId: options.actorId ?? null }), {
    timeout: 60_000,
    maxWait: 30_000,
  });
}

// Intake writes hundreds of rows per request: one INSERT per table with the
// rows as one JSON parameter, rather than Prisma's createMany, whose query
// building costs more than the database's work at these sizes.

interface NewCaseRow {
  id: string;
  channelId: string;
  language: string;
  customerId: string;
  customerName: string;
  loyaltyTier: LoyaltyTier;
  bookingReference: string | null;
  flightNumber: string | null;
  departureAt: Date | null;
  subject: string;
  body: string;
  receivedAt: Date;
  liveConversation: boolean;
  paymentLinkUnpaid: boolean;
  topics: string[];
  threadKey: string | null;
  priorityTier: number;
  priorityReason: string;
  priorityRuleId: string | null;
  priorityRecheckAt: Date | null;
  complexity: CaseComplexity;
  complexityReason: string;
  complexityRuleId: string | null;
  status: "open" | "closed";
  deflectedAt: Date | null;
  closedAt: Date | null;
  closeReason: string | null;
}

interface NewCaseEvent {
  caseId: string;
  type: string;
  actorId?: string | null;
  createdAt: Date;
  data: Prisma.InputJsonObject;
}

interface NewDelivery {
  integrationId: string;
  idempotencyKey: string;
  caseId: string;
  payloadHash: string;
}

async function insertCaseRows(tx: Tx, rows: readonly NewCaseRow[], now: Date): Promise<{ id: string; number: number }[]> {
  return tx.$queryRaw`
    INSERT INTO "Case" (id, "channelId", language, "customerId", "customerName", "loyaltyTier", "bookingReference",
      "flightNumber", "departureAt", subject, body, "receivedAt", "liveConversation", "paymentLinkUnpaid", topics,
      "threadKey", "priorityTier", "priorityReason", "priorityRuleId", "priorityRecheckAt", complexity,
      "complexityReason", "complexityRuleId", status, "deflectedAt", "closedAt", "closeReason", "firstResponseDueAt",
      "resolutionDueAt", "createdAt", "updatedAt")
    SELECT r.id, r."channelId", r.language, r."customerId", r."customerName", r."loyaltyTier", r."bookingReference",
      r."flightNumber", r."departureAt", r.subject, r.body, r."receivedAt", r."liveConversation", r."paymentLinkUnpaid",
      ARRAY(SELECT jsonb_array_elements_text(r.topics)), r."threadKey", r."priorityTier", r."priorityReason",
      r."priorityRuleId", r."priorityRecheckAt", r.complexity, r."complexityReason", r."complexityRuleId", r.status,
      r."deflectedAt", r."closedAt", r."closeReason",
      -- Due times from the tier's service targets (none for a case closed on arrival).
      CASE WHEN r.status = 'open' THEN r."receivedAt" + make_interval(mins => t."firstResponseMinutes") END,
      CASE WHEN r.status = 'open' THEN r."receivedAt" + make_interval(mins => t."resolutionMinutes") END,
      ${now.toISOString()}::timestamp(3), ${now.toISOString()}::timestamp(3)
    FROM jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) AS r(
      id text, "channelId" text, language text, "customerId" text, "customerName" text, "loyaltyTier" "LoyaltyTier",
      "bookingReference" text, "flightNumber" text, "departureAt" timestamp(3), subject text, body text,
      "receivedAt" timestamp(3), "liveConversation" boolean, "paymentLinkUnpaid" boolean, topics jsonb, "threadKey" text,
      "priorityTier" int, "priorityReason" text, "priorityRuleId" text, "priorityRecheckAt" timestamp(3),
      complexity "CaseComplexity", "complexityReason" text, "complexityRuleId" text, status "CaseStatus",
      "deflectedAt" timestamp(3), "closedAt" timestamp(3), "closeReason" text)
    LEFT JOIN "ServiceTarget" t ON t.tier = r."priorityTier"
    RETURNING id, number`;
}

async function insertCaseEvents(tx: Tx, events: readonly NewCaseEvent[]): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "CaseEvent" (id, "caseId", type, "actorId", data, "createdAt")
    SELECT 'e' || replace(gen_random_uuid()::text, '-', ''), e."caseId", e.type, e."actorId", e.data, e."createdAt"
    FROM jsonb_to_recordset(${JSON.stringify(
      events
    )}::jsonb) AS e("caseId" text, type text, "actorId" text, data jsonb, "createdAt" timestamp(3))`;
}

async function insertDeliveries(tx: Tx, deliveries: readonly NewDelivery[], now: Date): Promise<void> {
  await tx.$executeRaw`
    INSERT INTO "IntakeDelivery" ("integrationId", "idempotencyKey", "caseId", "payloadHash", "createdAt")
    SELECT d."integrationId", d."idempotencyKey", d."caseId", d."payloadHash", ${now.toISOString()}::timestamp(3)
    FROM jsonb_to_recordset(${JSON.stringify(deliveries)}::jsonb) AS d("integrationId" text, "idempotencyKey" text, "caseId" text, "payloadHash" text)`;
}

/** The body of intake inside a caller's transaction (the CSV import stores several chunks in one). */
export async function storeCases(
  tx: Tx,
  integrationId: string,
  cases: readonly IntakeCase[],
  options: { now: Date; rules: RuleSetsByKind; actorId: string | null }
): Promise<IntakeResult[]> {
  const { now, rules } = options;
  const keys = cases.map((c) => c.idempotencyKey);
  const threadKeys = [...new Set(cases.map((c) => threadKeyFor(c)).filter((key): key is string => key !== null))];
  if (threadKeys.length > 0)
    // Serialises intake of the same customer and booking across requests and app instances.
    await tx.$queryRaw`SELECT count(pg_advisory_xact_lock(h))::int AS n FROM (SELECT DISTINCT hashtext(k) AS h FROM unnest(${threadKeys}::text[]) AS k ORDER BY 1) AS locks`;

  const delivered = await tx.intakeDelivery.findMany({
    where: { integrationId, idempotencyKey: { in: keys } },
    select: { idempotencyKey: true, payloadHash: true, case: { select: { id: true, number: true, status: true, deflectedAt: true } } },
  });
  const deliveredByKey = new Map(delivered.map((d) => [d.idempotencyKey, d.case]));
  const hashes = new Map(cases.map((c) => [c.idempotencyKey, intakePayloadHash(c)]));
  // Deliveries stored before fingerprints were kept (null) replay as before.
  const conflicts = delivered.filter((d) => d.payloadHash !== null && d.payloadHash !== hashes.get(d.idempotencyKey));
  if (conflicts.length) throw new IdempotencyConflictError(conflicts.map((d) => d.idempotencyKey));
  // A retried delivery reports what the first one did: its own case ("created"
  // or "deflected", told by the case's "received" event) or "threaded".
  const createdByKey = new Set(
    delivered.length
      ? (
          await tx.$queryRaw<{ key: string }[]>`
            SELECT e.data->>'idempotencyKey' AS key FROM "CaseEvent" e
            WHERE e.type = 'received' AND e."caseId" = ANY(${delivered.map((d) => d.case.id)}::text[])
              AND e.data->>'integrationId' = ${integrationId}`
        ).map((row) => row.key)
      : []
  );

  const openThreads = threadKeys.length
    ? await tx.case.findMany({
        // Found through the customer index (a customer has few cases); the
        // thread key then picks the booking. No index of its own: every
        // priority change would have to update one more random-order index.
        where: {
          customerId: { in: [...new Set(cases.flatMap((c) => [c.customerId, c.customerId.trim()]))] },
          threadKey: { in: threadKeys },
          OR: [
            { status: { in: [...THREADABLE_STATUSES] } },
            // A recently resolved case reopens when the customer writes again.
            { status: "resolved", resolvedAt: { gte: new Date(now.getTime() - consoleSettings.reopenDays * 86_400_000) } },
          ],
        },
        select: { id: true, number: true, threadKey: true, status: true },
        // An open thread wins over a resolved one; then the oldest.
        orderBy: [{ resolvedAt: { sort: "desc", nulls: "first" } }, { receivedAt: "asc" }],
      })
    : [];
  const threadTarget = new Map<string, { id: string; number: number | null }>();
  for (const open of openThreads) if (open.threadKey && !threadTarget.has(open.threadKey)) threadTarget.set(open.threadKey, open);

  const fresh = cases.filter((c) => !deliveredByKey.has(c.idempotencyKey));
  const history = await historyByCustomer(tx, [...new Set(fresh.map((c) => c.customerId))], now);

  const newCases: NewCaseRow[] = [];
  const events: NewCaseEvent[] = [];
  const deliveries: NewDelivery[] = [];
  const pending: { key: string; caseId: string; outcome: IntakeOutcome; replayed: boolean }[] = [];
  const deflections: CustomerMessage[] = [];

  for (const c of cases) {
    const previous = deliveredByKey.get(c.idempotencyKey);
    if (previous) {
      const outcome = !createdByKey.has(c.idempotencyKey) ? "threaded" : previous.deflectedAt ? "deflected" : "created";
      pending.push({ key: c.idempotencyKey, caseId: previous.id, outcome, replayed: true });
      continue;
    }
    const receivedAt = c.receivedAt ?? now;
    const threadKey = threadKeyFor(c);
    const target = threadKey ? threadTarget.get(threadKey) : undefined;
    if (target) {
      events.push({
        caseId: target.id,
        type: "message",
        actorId: options.actorId ?? null,
        createdAt: now,
        data: {
          subject: c.subject,
          body: c.body,
          receivedAt: receivedAt.toISOString(),
          topics: c.topics,
          idempotencyKey: c.idempotencyKey,
        },
      });
      deliveries.push({ integrationId, idempotencyKey: c.idempotencyKey, caseId: target.id, payloadHash: hashes.get(c.idempotencyKey)! });
      pending.push({ key: c.idempotencyKey, caseId: target.id, outcome: "threaded", replayed: false });
      continue;
    }
    const id = newCaseId();
    const customerHistory = history.get(c.customerId) ?? { earlierCases: 0, earlierEscalations: 0 };
    const fields = { ...c, receivedAt };
    const priority = evaluatePriority(fields, rules.priority, now);
    const classification = classifyCase(fields, customerHistory, rules.classification);
    const deflection = decideDeflection({ ...fields, complexity: classification.complexity }, rules.deflection);
    newCases.push({
      id,
      channelId: c.channelId,
      language: c.language,
      customerId: c.customerId,
      customerName: c.customerName,
      loyaltyTier: c.loyaltyTier,
      bookingReference: c.bookingReference ?? null,
      flightNumber: c.flightNumber ?? null,
      departureAt: c.departureAt ?? null,
      subject: c.subject,
      body: c.body,
      receivedAt,
      liveConversation: c.liveConversation,
      paymentLinkUnpaid: c.paymentLinkUnpaid,
      topics: c.topics,
      threadKey,
      priorityTier: priority.tier,
      priorityReason: priority.reason,
      priorityRuleId: priority.ruleId,
      priorityRecheckAt: priority.recheckAt,
      complexity: classification.complexity,
      complexityReason: classification.reason,
      complexityRuleId: classification.ruleId,
      ...(deflection
        ? { status: "closed" as const, deflectedAt: now, closedAt: now, closeReason: `deflected: ${deflection.reason}` }
        : { status: "open" as const, deflectedAt: null, closedAt: null, closeReason: null }),
    });
    events.push({ caseId: id, type: "received", createdAt: now, data: { idempotencyKey: c.idempotencyKey, integrationId } });
    if (deflection)
      deflections.push({ caseId: id, sender: "bot", authorId: null, kind: "deflection", language: deflection.language, body: deflection.reply });
    if (deflection)
      events.push({
        caseId: id,
        type: "deflected",
        createdAt: now,
        data: {
          ruleId: deflection.ruleId,
          templateId: deflection.templateId,
          language: deflection.language,
          reply: deflection.reply,
          reason: deflection.reason,
        },
      });
    deliveries.push({ integrationId, idempotencyKey: c.idempotencyKey, caseId: id, payloadHash: hashes.get(c.idempotencyKey)! });
    pending.push({ key: c.idempotencyKey, caseId: id, outcome: deflection ? "deflected" : "created", replayed: false });
    // Later messages of this request about the same booking thread onto this case.
    if (threadKey && !deflection) threadTarget.set(threadKey, { id, number: null });
  }

  const numbers = new Map<string, number>();
  for (const d of delivered) numbers.set(d.case.id, d.case.number);
  for (const open of openThreads) numbers.set(open.id, open.number);
  if (newCases.length) for (const row of await insertCaseRows(tx, newCases, now)) numbers.set(row.id, row.number);
  if (events.length) await insertCaseEvents(tx, events);
  // Open consoles show a follow-up as it arrives (sent at commit).
  const followedUp = [...new Set(events.filter((e) => e.type === "message").map((e) => e.caseId))];
  await publishLiveMany(tx, followedUp.map((caseId) => ({ kind: "case_message" as const, caseId })));
  if (deliveries.length) await insertDeliveries(tx, deliveries, now);
  // The deflection reply goes out through the outbox (after the delivery rows: they name the integration).
  if (deflections.length) await queueCustomerMessages(tx, deflections);
  // Cases waiting for this customer (on hold, recently resolved) come back to work.
  const threadedIds = new Set(pending.filter((p) => p.outcome === "threaded" && !p.replayed).map((p) => p.caseId));
  const returning = openThreads.filter((open) => threadedIds.has(open.id) && (RETURNING_STATUSES as readonly string[]).includes(open.status));
  if (returning.length) await returnCasesOnCustomerMessage(tx, returning.map((open) => open.id));
  return pending.map((p) => ({
    idempotencyKey: p.key,
    caseId: p.caseId,
    caseNumber: numbers.get(p.caseId) ?? 0,
    outcome: p.outcome,
    replayed: p.replayed,
  }));
}
