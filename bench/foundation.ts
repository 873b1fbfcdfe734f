// The foundation's figures: a successful sign-in and the supervisor's home
// page, server time through the Remix request handler (no network), with
// the demo data and 2,000 cases in the database (seeded here: this part
// runs first).
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { median, type Report } from "./report";

async function timed(runs: number, fn: () => Promise<unknown>): Promise<number> {
  for (let i = 0; i < 3; i++) await fn(); // warm-up
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    samples.push(performance.now() - start);
  }
  return median(samples);
}

export async function benchFoundation(label: "embedded" | "postgres", report: Report): Promise<void> {
  const { Visitor, signedIn } = await import("../tests/support/app-client");
  await seedDemoData(getDb(), { cases: 2000 });
  const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;
  // Each sign-in is timed alone: the page visit that yields its CSRF token is not.
  const loginSamples: number[] = [];
  for (let i = 0; i < 23; i++) {
    const visitor = new Visitor();
    const csrf = await visitor.csrfToken();
    const start = performance.now();
    const response = await visitor.post("/login", { email: supervisor.email, password: supervisor.password }, { csrf });
    if (response.status !== 302) throw new Error(`sign-in failed: ${response.status} ${(await response.text()).slice(0, 300)}`);
    if (i >= 3) loginSamples.push(performance.now() - start);
  }
  report(`login_ms.${label}`, median(loginSamples), "ms");
  const signedInSupervisor = await signedIn(supervisor.email, supervisor.password);
  const homeMs = await timed(50, async () => {
    const response = await signedInSupervisor.get("/");
    if (response.status !== 200) throw new Error(`home failed: ${response.status}`);
    await response.text();
  });
  report(`home_page_ms.${label}`, homeMs, "ms");
}
