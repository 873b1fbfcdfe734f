import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../app/cases/cases-demo.server";
import { getDb } from "../app/db/db.server";
import { queueCustomerMessage } from "../app/delivery/outbox.server";
import { seedDemoData } from "../prisma/seed";
import { insertOpenCases, intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

describe("queueCustomerMessage", () => {
  it("queues a message for the integration the case came in through, with its own idempotency key", async () => {
    const response = await postIntake(intakeCase({ topics: ["baggage-status"], body: "Where is my suitcase?" }));
    expect(response.status).toBeLessThan(300);
    const { caseId } = (await response.json()) as { caseId: string };
    const integration = await db.integration.findFirstOrThrow({ where: { name: DEMO_INTEGRATION.name } });
    const first = await queueCustomerMessage(db, { caseId, sender: "agent", authorId: null, kind: "reply", language: "en", body: "Hello" });
    const second = await queueCustomerMessage(db, { caseId, sender: "bot", authorId: null, kind: "holding", language: "en", body: "We will answer soon" });
    expect(first.idempotencyKey).not.toBe(second.idempotencyKey);
    const rows = await db.outboundMessage.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    // A baggage-status question is deflected at intake: the bot's deflection reply is queued first.
    expect(rows.map((r) => [r.kind, r.state, r.integrationId, r.attempts])).toEqual([
      ["deflection", "queued", integration.id, 0],
      ["reply", "queued", integration.id, 0],
      ["holding", "queued", integration.id, 0],
    ]);
    const deflected = await db.caseEvent.findFirstOrThrow({ where: { caseId, type: "deflected" } });
    expect(rows[0]!.body).toBe((deflected.data as { reply: string }).reply);
  });

  it("keeps a message for a case with no integration, with nobody to deliver it to", async () => {
    const [caseId] = await insertOpenCases(db, [{}]);
    await queueCustomerMessage(db, { caseId: caseId!, sender: "agent", authorId: null, kind: "reply", language: "en", body: "Hi" });
    expect(await db.outboundMessage.findFirstOrThrow({ where: { caseId: caseId! } })).toMatchObject({ integrationId: null, state: "queued" });
  });
});
