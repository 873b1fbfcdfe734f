// Enrolment figures: what the planner waits for with generated CSV files of
// 1,000 and 10,000 rows, through the routes of a running server (the
// multipart upload, the dry run, the commit with its own fresh dry run), the
// server process's memory before and at its peak during the imports, and the
// roster's first page through the real route with 10,000+ volunteers in the
// database.
//
// Expects process.env.DATABASE_URL to point at a migrated database (as
// bench/run.ts prepares it) and the app to be built (build/index.js).
import { readFileSync } from "node:fs";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import type { Visitor } from "../tests/support/app-client";
import { startAppProcess, type AppProcess } from "../tests/support/app-process";
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

/** The server process's resident memory now, from /proc (Linux). */
function rssOf(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  if (!match) throw new Error(`no VmRSS for process ${pid}`);
  return Number(match[1]) * 1024;
}

/**
 * What the planner waits for, through the real routes of a running server:
 * the multipart upload, the preview page, the dry run (posted with the
 * mapping the page proposes) and the commit, which runs in the background
 * with a fresh dry run of its own, until the import shows as committed.
 * Samples the server's RSS every 25 ms; returns the time, the RSS before
 * and the peak.
 */
async function enrolThroughRoutes(app: AppProcess, planner: Visitor, file: string) {
  const baseline = rssOf(app.child.pid!);
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, rssOf(app.child.pid!));
  }, 25);
  const start = performance.now();
  try {
    const form = new FormData();
    form.append("csrf", await planner.csrfToken());
    form.append("file", new Blob([await readFile(file)], { type: "text/csv" }), path.basename(file));
    const uploaded = await planner.request("/volunteers/import", { method: "POST", body: form });
    const location = uploaded.headers.get("Location");
    if (uploaded.status !== 302 || !location) throw new Error(`upload answered ${uploaded.status}: ${(await uploaded.text()).slice(0, 300)}`);
    const importId = location.split("/").pop()!;
    const page = await (await planner.get(location)).text();
    const fields: Record<string, string> = { intent: "dry-run" };
    for (const match of page.matchAll(/<select id="column-(\d+)" name="column\.\d+">([\s\S]*?)<\/select>/g)) {
      fields[`column.${match[1]}`] = /<option value="([^"]*)" selected="">/.exec(match[2]!)?.[1] ?? "";
    }
    const dryRun = await planner.post(location, fields);
    if (dryRun.status >= 400) throw new Error(`dry run answered ${dryRun.status}: ${(await dryRun.text()).slice(0, 300)}`);
    await dryRun.arrayBuffer();
    const committing = await planner.post(location, { intent: "commit", mode: "all_or_nothing" });
    if (committing.status >= 400) throw new Error(`commit answered ${committing.status}: ${(await committing.text()).slice(0, 300)}`);
    await committing.arrayBuffer();
    // The status page reloads until the commit is done; the database says the same, at once.
    for (;;) {
      const row = await getDb().enrolmentImport.findUniqueOrThrow({ where: { id: importId }, select: { status: true, error: true, counts: true } });
      if (row.status === "committed") break;
      if (row.status !== "committing") throw new Error(`import ended as ${row.status}: ${row.error ?? ""}`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return { ms: performance.now() - start, baseline, peak: Math.max(peak, rssOf(app.child.pid!)) };
  } finally {
    clearInterval(sampler);
  }
}

const mb = (bytes: number) => Math.round(bytes / (1024 * 1024));

export async function benchEnrolment(label: "embedded" | "postgres", report: Report): Promise<void> {
  const db = getDb();
  await seedDemoData(db, { cases: 50 });
  const planner = DEMO_ACCOUNTS.find((account) => account.role === "planner")!;
  const directory = await mkdtemp(path.join(tmpdir(), "surge-bench-enrolment-"));
  const tag = `${label.slice(0, 2)}${Date.now().toString(36)}`;
  let app: AppProcess | null = null;
  try {
    const small = path.join(directory, "1k.csv");
    const large = path.join(directory, "10k.csv");
    await writeFile(small, generateEnrolmentCsv(1_000, `${tag}a`));
    await writeFile(large, generateEnrolmentCsv(10_000, `${tag}b`));

    // A server of its own (app/server/start.ts, production build) on the bench's database: its RSS is the app's alone.
    app = await startAppProcess({ databaseUrl: process.env.DATABASE_URL!, env: { NODE_ENV: "production", SURGE_COOKIE_SECURE: "0" } });
    const visitor = app.visitor();
    const signIn = await visitor.signIn(planner.email, planner.password);
    if (signIn.status !== 302) throw new Error(`planner sign-in answered ${signIn.status}`);

    // Warm-up (not timed): the first import compiles the query paths.
    const warm = path.join(directory, "warm.csv");
    await writeFile(warm, generateEnrolmentCsv(20, `${tag}w`));
    await enrolThroughRoutes(app, visitor, warm);

    const small1k = await enrolThroughRoutes(app, visitor, small);
    report(`enrol_1k_ms.${label}`, Math.round(small1k.ms), "ms");
    const large10k = await enrolThroughRoutes(app, visitor, large);
    report(`enrol_10k_ms.${label}`, Math.round(large10k.ms), "ms");
    report(`enrol_10k_peak_rss_mb.${label}`, mb(large10k.peak), "MB");
    report(`enrol_10k_added_rss_mb.${label}`, mb(large10k.peak - large10k.baseline), "MB");
    console.log(
      `# enrol RSS of the server process: 1k import ${mb(small1k.baseline)} -> peak ${mb(small1k.peak)} MB; 10k import ${mb(
        large10k.baseline
      )} -> peak ${mb(large10k.peak)} MB (the database, embedded or not, runs in another process)`
    );

    // The roster with (at least) 10,000 volunteers, first page, server time through the route.
    const volunteers = await db.volunteer.count();
    if (volunteers < 10_000) throw new Error(`roster bench expects 10,000 volunteers, found ${volunteers}`);
    const { signedIn } = await import("../tests/support/app-client");
    const roster = await signedIn(planner.email, planner.password);
    const samples: number[] = [];
    for (let i = 0; i < 23; i++) {
      const start = performance.now();
      const response = await roster.get("/volunteers");
      const html = await response.text();
      if (response.status !== 200 || !html.includes("volunteers, sorted by")) throw new Error(`roster failed: ${response.status}`);
      if (i >= 3) samples.push(performance.now() - start);
    }
    report(`roster_10k_first_page_ms.${label}`, Math.round(median(samples) * 10) / 10, "ms");
  } finally {
    await app?.kill();
    await rm(directory, { recursive: true, force: true });
  }
}
