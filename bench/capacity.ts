// Capacity board figures, on PostgreSQL only (the load: 200,000 open
// cases and 7 days of history at 50,000 cases a day, 90 channel x language
// rows, 500 agents online): the board's data as a planner's refresh reads
// it (capacity_board_ms), the staffing advice for 100 rows
// (staffing_advice_ms), and the rollup job (a first backfill of the 10 days
// it keeps, then a steady run). Expects DATABASE_URL to point at a migrated
// database; tops the open cases up to 200,000 whatever earlier parts left.
import { performance } from "node:perf_hooks";
import pg from "pg";
import { rollupCapacity } from "../app/capacity/capacity-rollup.server";
import { capacityBoard } from "../app/capacity/capacity.server";
import { staffingAdvice, type StaffingInput } from "../app/capacity/staffing";
import { CHANNELS, SUPPORTED_LANGUAGES } from "../app/reference/channels";
import { median, type Report } from "./report";

const OPEN_CASES = 200_000;
const HISTORY_DAYS = 7;
const CASES_PER_DAY = 50_000;
const AGENTS = 500;
const RUNS = 30;

const p99 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!;

async function timed(runs: number, fn: () => unknown | Promise<unknown>): Promise<number[]> {
  for (let i = 0; i < 3; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

async function seed(pool: pg.Pool) {
  const channels = CHANNELS.map((c) => c.id);
  const languages = [...SUPPORTED_LANGUAGES];
  await pool.query(
    `INSERT INTO "Channel" (id, name, kind, "maxConcurrentPerAgent") SELECT * FROM unnest($1::text[], $2::text[], $3::"ChannelKind"[], $4::int[]) ON CONFLICT (id) DO NOTHING`,
    [CHANNELS.map((c) => c.id), CHANNELS.map((c) => c.name), CHANNELS.map((c) => c.kind), CHANNELS.map((c) => c.maxConcurrentPerAgent)],
  );
  const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "Case" WHERE status IN ('open', 'assigned', 'on_hold', 'escalated')`);
  const missing = Math.max(0, OPEN_CASES - rows[0]!.n);
  // Open cases: mostly waiting, some with an agent or escalated, received over the last two days.
  await pool.query(
    `INSERT INTO "Case" (id, "channelId", language, "customerId", "customerName", subject, body, "receivedAt", status, "priorityTier",
        "firstResponseDueAt", "resolutionDueAt", "createdAt", "updatedAt")
     SELECT 'capopen' || g, ($1::text[])[1 + g % cardinality($1::text[])], ($2::text[])[1 + (g / 9) % cardinality($2::text[])],
            'CAPC' || g, 'Capacity Customer', 'Question', 'Body', r, (CASE WHEN g % 20 = 0 THEN 'escalated' ELSE 'open' END)::"CaseStatus", 8,
            r + interval '1 hour', r + interval '1 day', now(), now()
     FROM generate_series(1, $3::int) AS g, LATERAL (SELECT (now() AT TIME ZONE 'UTC') - (g % 172800) * interval '1 second' AS r) AS t`,
    [channels, languages, missing],
  );
  // History: 50,000 cases a day for 7 days, resolved after 5 to 30 minutes of handling; 10% deflected by the bot.
  const total = HISTORY_DAYS * CASES_PER_DAY;
  await pool.query(
    `INSERT INTO "Case" (id, "channelId", language, "customerId", "customerName", subject, body, "receivedAt", status, "priorityTier",
        "firstResponseDueAt", "firstRespondedAt", "assignedAt", "resolvedAt", "closedAt", "deflectedAt", "contactReasons", "createdAt", "updatedAt")
     SELECT 'caphist' || g, ($1::text[])[1 + g % cardinality($1::text[])], ($2::text[])[1 + (g / 9) % cardinality($2::text[])],
            'CAPH' || g, 'History Customer', 'Question', 'Body', r,
            (CASE WHEN g % 10 = 0 THEN 'closed' ELSE 'resolved' END)::"CaseStatus", 8,
            r + interval '1 hour',
            CASE WHEN g % 10 = 0 THEN NULL ELSE r + (g % 90) * interval '1 minute' END,
            CASE WHEN g % 10 = 0 THEN NULL ELSE r + (g % 60) * interval '1 minute' END,
            CASE WHEN g % 10 = 0 THEN NULL ELSE r + (g % 60 + 5 + g % 25) * interval '1 minute' END,
            CASE WHEN g % 10 = 0 THEN r END,
            CASE WHEN g % 10 = 0 THEN r END,
            CASE WHEN g % 10 = 0 THEN '{}'::text[] ELSE ARRAY[(ARRAY['refund','rebooking','voucher','baggage','flight-status'])[1 + g % 5]] END,
            now(), now()
     FROM generate_series(1, $3::int) AS g,
          LATERAL (SELECT (now() AT TIME ZONE 'UTC') - interval '2 hours' - (g::float8 / $3::int) * interval '${HISTORY_DAYS} days' AS r) AS t
     ON CONFLICT (id) DO NOTHING`,
    [channels, languages, total],
  );
  // Agents online: each with two channels and two languages.
  await pool.query(
    `INSERT INTO "User" (id, email, name, role, "createdAt", "updatedAt")
     SELECT 'capagent' || g, 'capagent' || g || '@bench.surge.test', 'Capacity Agent ' || g, 'agent', now(), now() FROM generate_series(1, $1::int) AS g
     ON CONFLICT DO NOTHING`,
    [AGENTS],
  );
  await pool.query(
    `INSERT INTO "UserSkill" ("userId", "skillId", source)
     SELECT 'capagent' || g, s, 'planner' FROM generate_series(1, $1::int) AS g,
       LATERAL unnest(ARRAY['channel:' || ($2::text[])[1 + g % 9], 'channel:' || ($2::text[])[1 + (g + 4) % 9],
                            'language:' || ($3::text[])[1 + g % 10], 'language:' || ($3::text[])[1 + (g + 3) % 10]]) AS s
     ON CONFLICT DO NOTHING`,
    [AGENTS, channels, languages],
  );
  await pool.query(`INSERT INTO "AgentPresence" ("userId", online, "lastSeenAt") SELECT 'capagent' || g, true, now() AT TIME ZONE 'UTC' FROM generate_series(1, $1::int) AS g ON CONFLICT ("userId") DO UPDATE SET online = true`, [AGENTS]);
  // As autovacuum would on a live database: statistics and the visibility map (index-only scans).
  await pool.query(`VACUUM ANALYZE "Case"`);
}

export async function benchCapacity(label: "embedded" | "postgres", report: Report): Promise<void> {
  if (label !== "postgres") return;
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 2 });
  let start = performance.now();
  try {
    await seed(pool);
  } finally {
    await pool.end();
  }
  console.log(`# capacity seed: ${Math.round((performance.now() - start) / 1000)} s`);
  start = performance.now();
  let hours = 0;
  // Until only the hours that are never final yet (the current and the previous) are left.
  for (let computed = Infinity; computed > 2; ) hours += computed = await rollupCapacity(new Date(), { maxHours: 1000 });
  report(`capacity_rollup_backfill_ms.${label}`, performance.now() - start, "ms");
  console.log(`# capacity rollup backfill: ${hours} hours`);
  const steady = await timed(5, () => rollupCapacity());
  report(`capacity_rollup_ms.${label}`, median(steady), "ms");

  // Agents count as online while heard from recently (the presence silence).
  const refresh = new pg.Pool({ connectionString: process.env.DATABASE_URL!, max: 1 });
  await refresh.query(`UPDATE "AgentPresence" SET "lastSeenAt" = now() AT TIME ZONE 'UTC' WHERE "userId" LIKE 'capagent%'`);
  await refresh.end();
  const board = await capacityBoard();
  console.log(`# capacity board: ${board.rows.length} rows, ${board.total.open} open, ${board.total.agentsOnline} agents online`);
  const times = await timed(RUNS, () => capacityBoard());
  report(`capacity_board_ms.${label}`, median(times), "ms");
  report(`capacity_board_p99_ms.${label}`, p99(times), "ms");

  // 100 rows of realistic inputs: live and email channels, 20 to 2,000 arrivals an hour.
  const inputs: StaffingInput[] = Array.from({ length: 100 }, (_, i) => ({
    model: i % 9 === 8 ? "workload" : "erlang_c",
    arrivalsPerHour: 20 + ((i * 197) % 1980),
    handleMinutes: 5 + (i % 25),
    concurrency: 1 + (i % 3),
    targetMinutes: [15, 30, 60, 240][i % 4]!,
    goal: 0.8,
    backlog: (i * 731) % 5000,
    clearHours: 8,
    occupancy: 0.85,
    agents: 10 + (i % 200),
  }));
  const advice = await timed(200, () => inputs.map((input) => staffingAdvice(input)));
  report(`staffing_advice_ms.${label}`, median(advice), "ms");
}
