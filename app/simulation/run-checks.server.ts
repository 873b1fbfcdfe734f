// The end-of-run checks, read straight from the database (the simulator's
// only direct database access besides the backlog samples): every case the
// intake acknowledged is there and in a known state, nobody held a case at
// the same time as someone else, nobody held more cases of a channel than
// its limit, and every reply reached the customer channel exactly once.
import pg from "pg";
import { holdingIntervals, slotExcesses, type DoubleAssignment, type SlotExcess, type TimelineEvent } from "./assignment-history";

export interface CheckResult {
  name: string;
  ok: boolean;
  detail: string;
}

export interface RunChecks {
  checks: CheckResult[];
  accounted: Record<string, number>;
  lostCases: number;
  unacknowledgedCases: number;
  doubleAssignments: DoubleAssignment[];
  slotExcesses: SlotExcess[];
  delivery: { messages: number; sent: number; notSent: Record<string, number>; missingAtSink: number; unexpectedAtSink: number; sinkRepeats: number };
  serviceLevel: { answered: number; answeredWithinTarget: number; due: number; share: number | null; targetSimMinutes: number };
}

export interface CheckInput {
  databaseUrl: string;
  integrationId: string;
  /** Case ids the intake answered with (created, threaded onto, or deflected). */
  acknowledgedCaseIds: ReadonlySet<string>;
  /** Idempotency keys the customer sink accepted, with how many times each was accepted. */
  sinkAccepted: ReadonlyMap<string, number>;
  sinkRepeats: number;
  /** Simulated seconds per real second, for the service level in simulated time. */
  speed: number;
  targetSimMinutes?: number;
}

const CASES_OF_RUN = `SELECT DISTINCT "caseId" FROM "IntakeDelivery" WHERE "integrationId" = $1`;

export async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: "surge_rehearsal" });
  client.on("error", () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Waits until no reply of the run is still queued for delivery (or the time is up). */
export async function waitForOutbox(databaseUrl: string, integrationId: string, timeoutMs: number): Promise<number> {
  const until = Date.now() + timeoutMs;
  return withClient(databaseUrl, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ queued: string }>(
        `SELECT count(*) AS queued FROM "OutboundMessage" WHERE "integrationId" = $1 AND state = 'queued'`,
        [integrationId],
      );
      const queued = Number(rows[0]!.queued);
      if (queued === 0 || Date.now() > until) return queued;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  });
}

export async function runChecks(input: CheckInput): Promise<RunChecks> {
  const targetSimMinutes = input.targetSimMinutes ?? 60;
  return withClient(input.databaseUrl, async (client) => {
    const cases = await client.query<{ id: string; status: string; closeReason: string | null; deflected: boolean }>(
      `SELECT id, status::text AS status, "closeReason", "deflectedAt" IS NOT NULL AS deflected FROM "Case" WHERE id IN (${CASES_OF_RUN})`,
      [input.integrationId],
    );
    const accounted: Record<string, number> = { resolved: 0, open: 0, escalated: 0, deflected: 0, "closed as stale": 0, other: 0 };
    const inDatabase = new Set<string>();
    for (const row of cases.rows) {
      inDatabase.add(row.id);
      const bucket =
        row.status === "resolved"
          ? "resolved"
          : row.status === "escalated"
            ? "escalated"
            : ["open", "assigned", "on_hold"].includes(row.status)
              ? "open"
              : row.deflected
                ? "deflected"
                : row.status === "closed" && (row.closeReason ?? "").startsWith("stale:")
                  ? "closed as stale"
                  : "other";
      accounted[bucket]!++;
    }
    const lostCases = [...input.acknowledgedCaseIds].filter((id) => !inDatabase.has(id)).length;
    const unacknowledgedCases = [...inDatabase].filter((id) => !input.acknowledgedCaseIds.has(id)).length;

    const events = await client.query<{ caseId: string; channelId: string; type: string; actorId: string | null; data: Record<string, unknown> | null; at: Date }>(
      `SELECT e."caseId", c."channelId", e.type, e."actorId", e.data, e."createdAt" AS at
       FROM "CaseEvent" e JOIN "Case" c ON c.id = e."caseId"
       WHERE e."caseId" IN (${CASES_OF_RUN})`,
      [input.integrationId],
    );
    const timeline: TimelineEvent[] = events.rows.map((row) => ({ ...row, at: row.at.getTime() }));
    const { intervals, doubleAssignments } = holdingIntervals(timeline);
    const capacities = await client.query<{ id: string; maxConcurrentPerAgent: number }>(`SELECT id, "maxConcurrentPerAgent" FROM "Channel"`);
    const excesses = slotExcesses(intervals, Object.fromEntries(capacities.rows.map((row) => [row.id, row.maxConcurrentPerAgent])));

    const messages = await client.query<{ idempotencyKey: string; state: string }>(
      `SELECT "idempotencyKey", state::text AS state FROM "OutboundMessage" WHERE "integrationId" = $1`,
      [input.integrationId],
    );
    const notSent: Record<string, number> = {};
    const keys = new Set<string>();
    for (const message of messages.rows) {
      keys.add(message.idempotencyKey);
      if (message.state !== "sent") notSent[message.state] = (notSent[message.state] ?? 0) + 1;
    }
    const sent = messages.rows.length - Object.values(notSent).reduce((a, b) => a + b, 0);
    const missingAtSink = messages.rows.filter((m) => m.state === "sent" && (input.sinkAccepted.get(m.idempotencyKey) ?? 0) !== 1).length;
    const unexpectedAtSink = [...input.sinkAccepted.keys()].filter((key) => !keys.has(key)).length;

    const levels = await client.query<{ answered: string; within: string; due: string }>(
      `SELECT count(*) FILTER (WHERE "firstRespondedAt" IS NOT NULL) AS answered,
              count(*) FILTER (WHERE "firstRespondedAt" IS NOT NULL AND "firstRespondedAt" - "receivedAt" <= $2 * interval '1 millisecond') AS within,
              count(*) FILTER (WHERE "firstRespondedAt" IS NOT NULL OR "receivedAt" <= (now() AT TIME ZONE 'UTC') - $2 * interval '1 millisecond') AS due
       FROM "Case" WHERE id IN (${CASES_OF_RUN}) AND "deflectedAt" IS NULL`,
      [input.integrationId, (targetSimMinutes * 60_000) / input.speed],
    );
    const level = levels.rows[0]!;
    const due = Number(level.due);
    const serviceLevel = { answered: Number(level.answered), answeredWithinTarget: Number(level.within), due, share: due ? Number(level.within) / due : null, targetSimMinutes };

    const delivery = { messages: messages.rows.length, sent, notSent, missingAtSink, unexpectedAtSink, sinkRepeats: input.sinkRepeats };
    const checks: CheckResult[] = [
      {
        name: "every case accounted for",
        ok: lostCases === 0 && unacknowledgedCases === 0 && accounted.other === 0,
        detail: `${inDatabase.size} cases: ${Object.entries(accounted).map(([k, v]) => `${v} ${k}`).join(", ")}; ${lostCases} acknowledged but missing, ${unacknowledgedCases} never acknowledged`,
      },
      {
        name: "no case assigned to two people at once",
        ok: doubleAssignments.length === 0,
        detail: `${intervals.length} holdings read from the timelines; ${doubleAssignments.length} double assignment(s)`,
      },
      { name: "no agent exceeded their slots", ok: excesses.length === 0, detail: `${excesses.length} moment(s) above a channel's per-agent limit` },
      {
        name: "every reply delivered exactly once",
        ok: Object.keys(notSent).length === 0 && missingAtSink === 0 && unexpectedAtSink === 0,
        detail: `${messages.rows.length} messages, ${sent} sent; not sent: ${JSON.stringify(notSent)}; ${missingAtSink} not received exactly once, ${unexpectedAtSink} unknown at the sink; ${input.sinkRepeats} repeat(s) dropped by the sink`,
      },
    ];
    return { checks, accounted, lostCases, unacknowledgedCases, doubleAssignments, slotExcesses: excesses, delivery, serviceLevel };
  });
}
