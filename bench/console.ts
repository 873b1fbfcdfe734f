// The console's figures, through the real routes with a signed-in agent's
// session (what the person waits for): the workspace of a case with 200
// events and 20 earlier cases of the same customer, and sending a templated
// reply (validated, stored, queued in the outbox).
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS } from "../prisma/seed";
import { median, type Report } from "./report";

const RUNS = 60;

async function samples(runs: number, fn: () => Promise<void>): Promise<number[]> {
  for (let i = 0; i < 5; i++) await fn(); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  return times;
}

const p99 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.min(times.length - 1, Math.floor(times.length * 0.99))]!;

export async function benchConsole(label: "embedded" | "postgres", report: Report): Promise<void> {
  const { signedIn } = await import("../tests/support/app-client");
  const db = getDb();
  const agentAccount = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;
  const agent = await db.user.findUniqueOrThrow({ where: { email: agentAccount.email } });
  const customerId = `BENCH-CONSOLE-${Date.now()}`;
  const base = { channelId: "whatsapp", language: "en", customerId, customerName: "Bench Customer", bookingReference: "BENCH1", body: "Body" };
  await db.case.createMany({
    data: Array.from({ length: 20 }, (_, i) => ({ ...base, subject: `Earlier case ${i}`, status: "resolved" as const, receivedAt: new Date(Date.now() - (i + 2) * 86_400_000) })),
  });
  const kase = await db.case.create({ data: { ...base, subject: "The case on screen", status: "assigned", assigneeId: agent.id, assignedAt: new Date() } });
  // 200 events: follow-ups with bodies, notes and replies, as a long conversation has.
  const events = Array.from({ length: 200 }, (_, i) => ({
    caseId: kase.id,
    type: i % 4 === 0 ? "message" : i % 4 === 1 ? "note" : "replied",
    actorId: i % 4 === 0 ? null : agent.id,
    createdAt: new Date(Date.now() - (200 - i) * 60_000),
    data: i % 4 === 0 ? { subject: "Follow-up", body: `Customer message ${i}` } : {},
  }));
  await db.caseEvent.createMany({ data: events });
  await db.caseNote.createMany({ data: Array.from({ length: 50 }, (_, i) => ({ caseId: kase.id, authorId: agent.id, body: `Note ${i}` })) });
  await db.outboundMessage.createMany({
    data: Array.from({ length: 50 }, (_, i) => ({ caseId: kase.id, sender: "agent" as const, authorId: agent.id, kind: "reply", language: "en", body: `Reply ${i}`, idempotencyKey: `bench-${kase.id}-${i}` })),
  });

  const visitor = await signedIn(agentAccount.email, agentAccount.password);
  const page = await samples(RUNS, async () => {
    const response = await visitor.get(`/cases/${kase.id}`);
    if (response.status !== 200) throw new Error(`case page failed: ${response.status}`);
    await response.text();
  });
  report(`case_page_ms.${label}`, median(page), "ms");
  report(`case_page_p99_ms.${label}`, p99(page), "ms");

  const template = await db.replyTemplate.findFirstOrThrow({ where: { name: "Thanks, we are on it", language: "en" } });
  const csrf = await visitor.csrfToken();
  const replies = await samples(RUNS, async () => {
    // The browser posts to the route's data endpoint and gets the action's answer; the page's
    // data is then reloaded (that part is case_page_ms).
    const response = await visitor.post(`/cases/${kase.id}.data`, { intent: "reply", templateId: template.id, text: "" }, { csrf });
    if (response.status !== 200) throw new Error(`reply failed: ${response.status} ${(await response.text()).slice(0, 200)}`);
    await response.text();
  });
  report(`reply_ms.${label}`, median(replies), "ms");
}
