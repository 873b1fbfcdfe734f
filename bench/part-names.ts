// The benchmark parts, in the order bench/run.ts runs them (foundation first: it seeds the demo data).
export const BENCH_PARTS = ["foundation", "permissions", "training", "enrolment", "cases", "next-case-http", "console", "delivery", "capacity"] as const;
export type BenchPart = (typeof BENCH_PARTS)[number];
