// Enrolment figures: upload + dry run + commit of generated CSV files of
// 1,000 and 10,000 rows through the import module (the file stored in the
// database, the dry run writing EnrolmentImportRow batch by batch, the commit
// reading them back), peak memory during the 1,000- and 10,000-row imports,
// and the roster's first page through the real route with 10,000+
// volunteers in the database.
//
// Expects process.env.DATABASE_URL to point at a migrated database (as
// bench/run.ts prepares it) and the app to be built (build/index.js).
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { commitImportRows, dryRunImportRows, storeUpload } from "../app/enrolment/enrolment-import.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { median, type Report } from "./report";

const ORIGINS = ["Cabin crew", "Pilot", "Ground", "Office", "Cabinepersoneel", "Piloot"];
const LANGUAGE_SETS = [
  "nl:native, en:fluent",
  "en:native",
  "fr:native, en:fluent, nl:basic",
  "de:native, en:fluent",
  "ja:native, en:basic",
  "zh:native, en:fluent",
];
const CHANNEL_SETS = ["whatsapp, messenger", "email", "wechat", "line, x", "kakaotalk", "facebook, apple_messages"];
const BASES = ["AMS", "CDG", "FRA", "LHR", "MAD", "FCO", "NRT", "ICN"];

/** A realistic enrolment file: every row valid, names and numbers unique per `tag`. */
export function generateEnrolmentCsv(rows: number, tag: string): string {
  const lines = ["Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes"];
  for (let i = 0; i < rows; i++) {
    lines.push(
      [
        `Bench Person ${tag} ${i}`,
        `bench.${tag}.${i}@airline.example`,
        `B${tag.toUpperCase()}${String(i).padStart(6, "0")}`,
        ORIGINS[i % ORIGINS.length],
        BASES[i % BASES.length],
        `"${LANGUAGE_SETS[i % LANGUAGE_SETS.length]}"`,
        `"${CHANNEL_SETS[i % CHANNEL_SETS.length]}"`,
        "Europe/Amsterdam",
        i % 2 ? "Early shifts" : "24 hours a week",
        "2024-03-16",
        "2024-05-31",
        i % 10 === 0 ? "Speaks to customers daily" : "",
      ].join(",")
    );
  }
  return lines.join("\n") + "\n";
}

async function enrolFile(file: string, actorId: string): Promise<number> {
  const start = performance.now();
  const stored = await storeUpload(actorId, path.basename(file), await readFile(file));
  if (!stored.ok) throw new Error(stored.problem.message);
  const { summary } = await dryRunImportRows(stored.importId);
  if (summary.rejected > 0) throw new Error(`bench file has ${summary.rejected} rejected rows`);
  const outcome = await commitImportRows(stored.importId, summary, { mode: "all_or_nothing", actorId });
  if (!outcome.ok) throw new Error(outcome.reason);
  return performance.now() - start;
}

/** Runs fn while sampling the process RSS every 25 ms; the RSS before (after a GC when --expose-gc) and the peak. */
async function withPeakRss<T>(fn: () => Promise<T>): Promise<{ result: T; baseline: number; peak: number }> {
  global.gc?.();
  const baseline = process.memoryUsage().rss;
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 25);
  try {
    const result = await fn();
    return { result, baseline, peak: Math.max(peak, process.memoryUsage().rss) };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

export async function benchEnrolment(label: "embedded" | "postgres", report: Report): Promise<void> {
  const db = getDb();
  await seedDemoData(db, { cases: 50 });
  const planner = DEMO_ACCOUNTS.find((account) => account.role === "planner")!;
  const actorId = (await db.user.findUniqueOrThrow({ where: { email: planner.email } })).id;
  const directory = await mkdtemp(path.join(tmpdir(), "surge-bench-enrolment-"));
  const tag = `${label.slice(0, 2)}${Date.now().toString(36)}`;
  try {
    const small = path.join(directory, "1k.csv");
    const large = path.join(directory, "10k.csv");
    await writeFile(small, generateEnrolmentCsv(1_000, `${tag}a`));
    await writeFile(large, generateEnrolmentCsv(10_000, `${tag}b`));

    // Warm-up (not timed): the first import compiles the query paths.
    const warm = path.join(directory, "warm.csv");
    await writeFile(warm, generateEnrolmentCsv(20, `${tag}w`));
    await enrolFile(warm, actorId);

    const small1k = await withPeakRss(() => enrolFile(small, actorId));
    report(`enrol_1k_ms.${label}`, Math.round(small1k.result), "ms");
    const large10k = await withPeakRss(() => enrolFile(large, actorId));
    report(`enrol_10k_ms.${label}`, Math.round(large10k.result), "ms");
    report(`enrol_10k_peak_rss_mb.${label}`, mb(large10k.peak), "MB");
    console.log(
      `# enrol RSS: 1k import ${mb(small1k.baseline)} -> peak ${mb(small1k.peak)} MB; 10k import ${mb(large10k.baseline)} -> peak ${mb(
        large10k.peak
      )} MB (this process only: the database, embedded or not, runs in another)`
    );

    // The roster with (at least) 10,000 volunteers, first page, server time through the route.
    const volunteers = await db.volunteer.count();
    if (volunteers < 10_000) throw new Error(`roster bench expects 10,000 volunteers, found ${volunteers}`);
    const { signedIn } = await import("../tests/support/app-client");
    const visitor = await signedIn(planner.email, planner.password);
    const samples: number[] = [];
    for (let i = 0; i < 23; i++) {
      const start = performance.now();
      const response = await visitor.get("/volunteers");
      const html = await response.text();
      if (response.status !== 200 || !html.includes("volunteers, sorted by")) throw new Error(`roster failed: ${response.status}`);
      if (i >= 3) samples.push(performance.now() - start);
    }
    report(`roster_10k_first_page_ms.${label}`, Math.round(median(samples) * 10) / 10, "ms");
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}
