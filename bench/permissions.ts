// Permissions figures. `ability_build_and_check_us`: build the CASL ability of
// a volunteer with skills and gesture limits, then check five actions (two
// with conditions on a case row, one field-level, one gesture amount, one
// type-level), as one request does. Pure CPU: the same for both databases.
// `ability_facts_query_ms`: the one query per request that loads the facts
// (volunteer status, skills, gesture limits), on the database being benched.
import { subject } from "@casl/ability";
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { defineAbilityFor, type AbilityUser, type AppSubjects } from "../app/permissions/ability";
import { loadAbilityFacts } from "../app/permissions/ability-facts.server";
import type { Report } from "./report";

const median = (samples: number[]) => [...samples].sort((a, b) => a - b)[Math.floor(samples.length / 2)]!;

const VOLUNTEER: AbilityUser = {
  id: "bench-volunteer",
  role: "volunteer",
  status: "active",
  volunteerStatus: "active",
  skills: ["channel:whatsapp", "channel:messenger", "language:en", "language:nl", "topic:refund-status", "task:console-basics"],
  gestureLimits: [
    { type: "miles", perCaseLimit: 2000, dailyBudget: 10000 },
    { type: "meal_voucher", perCaseLimit: 1500, dailyBudget: 10000 },
    { type: "fee_waiver", perCaseLimit: 1, dailyBudget: 5 },
  ],
};

export function buildAndCheckOnce(i: number): number {
  const ability = defineAbilityFor(VOLUNTEER);
  // A fresh row each time, as a loader would have, so no result is cached.
  const row = subject("Case", {
    id: `c${i}`,
    assigneeId: VOLUNTEER.id,
    channelId: "whatsapp",
    language: "en",
    status: "assigned",
  } as never) as AppSubjects;
  let allowed = 0;
  if (ability.can("read", row)) allowed++;
  if (ability.can("reply", row)) allowed++;
  if (!ability.can("read", row, "customerId")) allowed++;
  if (ability.can("create", subject("Gesture", { type: "miles", amount: 500 + (i % 100) } as never) as AppSubjects)) allowed++;
  if (!ability.can("assign", "Case")) allowed++;
  return allowed;
}

export async function benchPermissions(label: "embedded" | "postgres", report: Report) {
  for (let i = 0; i < 500; i++) if (buildAndCheckOnce(i) !== 5) throw new Error("unexpected ability answers");
  const samples: number[] = [];
  for (let i = 0; i < 2000; i++) {
    const start = performance.now();
    buildAndCheckOnce(i);
    samples.push((performance.now() - start) * 1000);
  }
  report(`ability_build_and_check_us.${label}`, median(samples), "us");

  const person = await getDb().user.findFirst({
    where: { role: "volunteer", volunteer: { isNot: null } },
    select: { id: true, role: true },
  });
  if (person) {
    for (let i = 0; i < 5; i++) await loadAbilityFacts(person.id, person.role);
    const queries: number[] = [];
    for (let i = 0; i < 50; i++) {
      const start = performance.now();
      await loadAbilityFacts(person.id, person.role);
      queries.push(performance.now() - start);
    }
    report(`ability_facts_query_ms.${label}`, median(queries), "ms");
  }
}
