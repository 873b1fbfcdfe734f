// Preloaded into an app instance by bench/next-case-http.ts
// (NODE_OPTIONS=--import ...): counts the statements the process sends to
// the database (every round trip goes through pg.Client#query, BEGIN and
// COMMIT included) and prints the count on SIGUSR2. With
// BENCH_CPU_PROFILE=<file>, the first SIGUSR2 also starts a V8 CPU profile
// and the second writes it to that file.
/* global process, console */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector";
import pg from "pg";

let statements = 0;
// BENCH_STATEMENT_TEXTS=1: also count by the statement's first words, to see which ones a request sends.
const texts = process.env.BENCH_STATEMENT_TEXTS === "1" ? new Map() : null;
const query = pg.Client.prototype.query;
pg.Client.prototype.query = function countedQuery(...args) {
  statements += 1;
  if (texts) {
    const text = typeof args[0] === "string" ? args[0] : args[0]?.text;
    const key = String(text).replace(/\s+/g, " ").slice(0, 110);
    texts.set(key, (texts.get(key) ?? 0) + 1);
  }
  return query.apply(this, args);
};

const profileFile = process.env.BENCH_CPU_PROFILE;
let profiler = null;
process.on("SIGUSR2", () => {
  console.log(`[bench] statements ${statements}`);
  if (texts) for (const [text, n] of [...texts].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`[bench]   ${n} × ${text}`);
  if (!profileFile) return;
  if (!profiler) {
    profiler = new Session();
    profiler.connect();
    profiler.post("Profiler.enable", () => profiler.post("Profiler.start"));
  } else {
    profiler.post("Profiler.stop", (error, result) => {
      if (!error) writeFileSync(profileFile, JSON.stringify(result.profile));
      console.log(`[bench] profile ${error ? error.message : "written"}`);
    });
  }
});
