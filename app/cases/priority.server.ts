// Keeps the stored priority of queued cases true as time passes and as the
// rules change: re-scores only the cases whose priorityRecheckAt has passed
// (lazily, before a dequeue), and every open case when the rule set changes.
import { Prisma, type LoyaltyTier } from "@prisma/client";
import { db } from "~/db/db.server";
import { evaluatePriority, type PriorityCaseFields } from "./priority-model";
import type { PriorityRuleSet } from "./priority-rules";
import { loadRuleSet } from "./rule-sets.server";
import { logger } from "~/server/logger.server";

type Client = Prisma.TransactionClient | typeof db;

/** The case fields the priority model reads (PriorityCaseFields), as a Prisma select. */
export const PRIORITY_INPUT_FIELDS = {
  language: true,
  subject: true,
  body: true,
  flightNumber: true,
  departureAt: true,
  receivedAt: true,
  liveConversation: true,
  paymentLinkUnpaid: true,
  loyaltyTier: true,
  topics: true,
} as const;

interface ScoredRow extends PriorityCaseFields {
  id: string;
  priorityTier: number;
  priorityRuleId: string | null;
  priorityRecheckAt: Date | null;
  loyaltyTier: LoyaltyTier;
}

interface ScoreUpdate {
  id: string;
  tier: number;
  ruleId: string | null;
  reason: string;
  recheckAt: Date | null;
}

function score(rows: readonly ScoredRow[], ruleSet: PriorityRuleSet, now: Date, onlyChanged: boolean): ScoreUpdate[] {
  const updates: ScoreUpdate[] = [];
  for (const row of rows) {
    const result = evaluatePriority(row, ruleSet, now);
    const changed =
      result.tier !== row.priorityTier ||
      result.ruleId !== row.priorityRuleId ||
      (result.recheckAt?.getTime() ?? null) !== (row.priorityRecheckAt?.getTime() ?? null);
    if (!onlyChanged || changed) updates.push({ id: row.id, ...result });
  }
  return updates;
}

/**
 * Writes many scores with one UPDATE (unnest of parallel arrays); only cases
 * still open. With `skipLocked`, a case another transaction holds (a dequeue
 * handing it out, an escalation) is left for the next run instead of waited for.
 */
export async function writeScores(updates: readonly ScoreUpdate[], client: Client = db, options: { skipLocked?: boolean } = {}): Promise<number> {
  if (updates.length === 0) return 0;
  const ids = updates.map((u) => u.id);
  const lockFree = options.skipLocked
    ? Prisma.sql`AND c.id IN (SELECT id FROM "Case" WHERE id = ANY(${ids}::text[]) AND status = 'open' FOR UPDATE SKIP LOCKED)`
    : Prisma.empty;
  return client.$executeRaw`
    UPDATE "Case" AS c
    SET "priorityTier" = v.tier, "priorityRuleId" = v.rule, "priorityReason" = v.reason, "priorityRecheckAt" = v.recheck
    FROM unnest(
      ${ids}::text[],
      ${updates.map((u) => u.tier)}::int[],
      ${updates.map((u) => u.ruleId)}::text[],
      ${updates.map((u) => u.reason)}::text[],
      ${updates.map((u) => u.recheckAt?.toISOString() ?? null)}::timestamp(3)[]
    ) AS v(id, tier, rule, reason, recheck)
    WHERE c.id = v.id AND c.status = 'open' ${lockFree}`;
}

/** Cases re-scored per statement by the recurring job: each batch holds its row locks only briefly. */
const RESCORE_BATCH = 500;

/**
 * Re-scores the open cases whose recheckAt has passed (a flight entering the
 * 4-hour window, a flight that has left). Cheap when nothing is due: one
 * indexed lookup on (status, priorityRecheckAt). It runs beside dequeues, so
 * it writes in small batches that skip locked rows: it never makes "Next
 * case" wait, and a skipped case is still due on the next run.
 */
export async function rescoreDueCases(now: Date = new Date(), options: { limit?: number; batchSize?: number } = {}): Promise<number> {
  const limit = options.limit ?? 5000;
  const batchSize = options.batchSize ?? RESCORE_BATCH;
  const due = await openCasesWhere(dueForRescore(now, limit));
  if (due.length === 0) return 0;
  const { ruleSet } = await loadRuleSet("priority");
  // Every due row is written, even when its tier stays, to move its recheckAt on.
  const updates = score(due, ruleSet, now, false);
  let written = 0;
  for (let start = 0; start < updates.length; start += batchSize) {
    written += await writeScores(updates.slice(start, start + batchSize), db, { skipLocked: true });
  }
  return written;
}

let lastLazyRun = 0;
let running: Promise<unknown> | null = null;

/**
 * Called before every dequeue: starts a re-score of due cases at most once
 * per `intervalMs` per process. Under steady load nobody waits for it (tiers
 * are at most about a second late); a request waits only when the last
 * re-score is older than `staleMs` (the first request after a quiet spell),
 * so a dequeue never works from tiers staler than that.
 */
export async function rescoreDueCasesLazily(intervalMs = 1000, staleMs = 5000): Promise<void> {
  const nowMs = Date.now();
  const sinceLast = nowMs - lastLazyRun;
  if (!running && sinceLast >= intervalMs) {
    lastLazyRun = nowMs;
    running = rescoreDueCases(new Date(nowMs))
      .catch((error: unknown) => logger.error({ err: error }, "re-scoring due cases failed"))
      .finally(() => {
        running = null;
      });
  }
  if (running && sinceLast >= staleMs) await running;
}

const asDate = (value: string | null) => (value === null ? null : new Date(`${value}Z`));

/**
 * Open cases with the fields the priority model reads, as one JSON text
 * (tens of thousands of rows decode far faster that way than as rows
 * through the ORM). `which` narrows and orders them. The status is written
 * as a literal, not a parameter: the due cases' index holds open cases only
 * (a partial index, prisma/migrations/*_lighter_dequeue), and a parameter
 * cast to the enum is not known when the plan is made.
 */
export function openCasesSql(which: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`
    SELECT coalesce(json_agg(json_build_array(id, language, subject, body, "flightNumber", "departureAt", "receivedAt",
      "liveConversation", "paymentLinkUnpaid", "loyaltyTier", topics, "priorityTier", "priorityRuleId", "priorityRecheckAt")), '[]')::text AS rows
    FROM (SELECT * FROM "Case" WHERE status = 'open' AND ${which}) AS chunk`;
}

/** The open cases whose priority must be worked out again by `now`. */
export function dueForRescore(now: Date, limit: number): Prisma.Sql {
  return Prisma.sql`"priorityRecheckAt" <= ${now.toISOString()}::timestamp(3) LIMIT ${limit}`;
}

async function openCasesWhere(which: Prisma.Sql): Promise<ScoredRow[]> {
  const [result] = await db.$queryRaw<{ rows: string }[]>(openCasesSql(which));
  type Row = [
    string,
    string,
    string,
    string,
    string | null,
    string | null,
    string,
    boolean,
    boolean,
    LoyaltyTier,
    string[],
    number,
    string | null,
    string | null
  ];
  return (JSON.parse(result!.rows) as Row[]).map((r) => ({
    id: r[0],
    language: r[1],
    subject: r[2],
    body: r[3],
    flightNumber: r[4],
    departureAt: asDate(r[5]),
    receivedAt: asDate(r[6])!,
    liveConversation: r[7],
    paymentLinkUnpaid: r[8],
    loyaltyTier: r[9],
    topics: r[10],
    priorityTier: r[11],
    priorityRuleId: r[12],
    priorityRecheckAt: asDate(r[13]),
  }));
}

/**
 * Full re-rank after a rule change: every open case, in chunks read by id
 * (keyset pagination), only the rows whose tier, rule or recheck time change
 * are written, each chunk with one UPDATE.
 */
export async function rerankOpenCases(
  now: Date = new Date(),
  options: { ruleSet?: PriorityRuleSet; chunkSize?: number } = {}
): Promise<{ scanned: number; changed: number }> {
  const ruleSet = options.ruleSet ?? (await loadRuleSet("priority")).ruleSet;
  const chunkSize = options.chunkSize ?? 10_000;
  let cursor: string | undefined;
  let scanned = 0;
  let changed = 0;
  // Writes dominate (every changed row updates each index of "Case"): two run
  // at once, on their own chunks, while the next chunk is read and scored.
  const writing: Promise<number>[] = [];
  for (;;) {
    const rows = await openCasesWhere(Prisma.sql`id > ${cursor ?? ""} ORDER BY id LIMIT ${chunkSize}`);
    if (rows.length === 0) break;
    scanned += rows.length;
    cursor = rows[rows.length - 1]!.id;
    const updates = score(rows, ruleSet, now, true);
    if (writing.length >= 2) changed += await writing.shift()!;
    writing.push(writeScores(updates));
    if (rows.length < chunkSize) break;
  }
  for (const write of writing) changed += await write;
  return { scanned, changed };
}
