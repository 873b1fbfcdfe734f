// One capability's benchmark in a process of its own, as an app instance
// would run it: `tsx bench/part.ts <part> <embedded|postgres>` with
// DATABASE_URL set (bench/run.ts starts one per part). A fresh process
// keeps one part's garbage and caches out of the next part's figures
// (memory above all).
import { disconnectDb } from "../app/db/db.server";
import { benchCapacity } from "./capacity";
import { benchCases } from "./cases";
import { benchConsole } from "./console";
import { benchDelivery } from "./delivery";
import { benchEnrolment } from "./enrolment";
import { benchFoundation } from "./foundation";
import { benchNextCaseHttp } from "./next-case-http";
import { benchPermissions } from "./permissions";
import { BENCH_PARTS, type BenchPart } from "./part-names";
import { report, type Report } from "./report";
import { benchTraining } from "./training";

const PARTS: Record<BenchPart, (label: "embedded" | "postgres", report: Report) => Promise<void>> = {
  foundation: benchFoundation,
  permissions: benchPermissions,
  training: benchTraining,
  enrolment: benchEnrolment,
  cases: benchCases,
  "next-case-http": benchNextCaseHttp,
  console: benchConsole,
  delivery: benchDelivery,
  capacity: benchCapacity,
};

const [part, label] = process.argv.slice(2) as [BenchPart, "embedded" | "postgres"];
if (!PARTS[part] || (label !== "embedded" && label !== "postgres")) {
  console.error(`usage: tsx bench/part.ts <${BENCH_PARTS.join("|")}> <embedded|postgres>`);
  process.exit(2);
}
process.env.SESSION_SECRET ??= "bench-session-secret-0123456789abcdef";
process.env.SURGE_COOKIE_SECURE = "0";
try {
  await PARTS[part](label, report);
} finally {
  await disconnectDb();
}
