import { beforeAll, describe, expect, it } from "vitest";
import { runStaleSweep, sendHoldingReplies, sendHoldingReply } from "../app/cases/bot.server";
import { rescoreDueCases } from "../app/cases/priority.server";
import { loadRuleSet } from "../app/cases/rule-sets.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn } from "./support/app-client";
import { intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const hours = (h: number) => new Date(Date.now() + h * 3_600_000);

async function intake(overrides: Record<string, unknown>): Promise<string> {
  const response = await postIntake(intakeCase(overrides));
  expect(response.status).toBe(201);
  return ((await response.json()) as { caseId: string }).caseId;
}

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
});

describe("priority over time", () => {
  it("re-scores only due cases: a flight 5 h out moves into the 4-hour tier an hour later", async () => {
    const departure = hours(5);
    const id = await intake({ departureAt: departure.toISOString(), topics: ["baggage-lost"] });
    const before = await db.case.findUniqueOrThrow({ where: { id } });
    expect(before.priorityTier).toBe(8);
    expect(before.priorityRecheckAt?.getTime()).toBe(departure.getTime() - 4 * 3_600_000);
    expect(await rescoreDueCases(new Date(Date.now() + 30 * 60_000))).toBe(0);
    expect(await rescoreDueCases(new Date(Date.now() + 61 * 60_000))).toBeGreaterThanOrEqual(1);
    const after = await db.case.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ priorityTier: 1, priorityRuleId: "departs-within-4h" });
    expect(after.priorityRecheckAt?.getTime()).toBe(departure.getTime());
  });
});

describe("rule editor", () => {
  it("shows the rules with a preview count per rule and is for supervisors only", async () => {
    await intake({ loyaltyTier: "gold", topics: ["voucher"] });
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    const page = await supervisor.get("/rules/priority");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Loyalty: Gold");
    expect(html).toContain("What the saved rules catch now");
    const agent = await signedIn(account("agent").email, account("agent").password);
    expect((await agent.get("/rules/priority")).status).toBe(403);
    expect((await agent.post("/rules/priority", { intent: "toggle", ruleId: "loyalty-gold", version: "0" })).status).toBe(403);
  });

  it("changes a threshold, re-ranks the open queue, and lists every problem of an invalid change", async () => {
    const id = await intake({ departureAt: hours(5.5).toISOString(), topics: ["baggage-lost"] });
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityTier).toBe(8);
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    const version = (await loadRuleSet("priority")).version;
    const saved = await supervisor.post("/rules/priority", { intent: "update", ruleId: "departs-within-4h", version: String(version), "condition.0": "6" });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toMatch(/Saved as version \d+\. Re-ranked \d+ open cases/);
    const after = await db.case.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ priorityTier: 1, priorityRuleId: "departs-within-4h" });
    const stored = await loadRuleSet("priority");
    expect(stored.version).toBe(version + 1);

    const bad = await supervisor.post("/rules/priority", {
      intent: "update",
      ruleId: "departs-within-4h",
      version: String(stored.version),
      "condition.0": "-1",
      tier: "0",
    });
    expect(bad.status).toBe(400);
    const text = await bad.text();
    expect(text).toContain("Hours must be more than 0");
    expect(text).toContain("The tier must be 1 or more");
    expect((await loadRuleSet("priority")).version).toBe(stored.version);
    // A stale form (old version) is refused rather than overwriting.
    expect((await supervisor.post("/rules/priority", { intent: "toggle", ruleId: "loyalty-gold", version: String(version) })).status).toBe(409);
  });

  it("reorders, disables and removes rules; disabling re-ranks the cases the rule caught", async () => {
    const id = await intake({ loyaltyTier: "platinum", topics: ["voucher"] });
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityRuleId).toBe("loyalty-platinum");
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    const v = async () => String((await loadRuleSet("priority")).version);
    await supervisor.post("/rules/priority", { intent: "toggle", ruleId: "loyalty-platinum", version: await v() });
    // Platinum is also "at least gold": the next rule catches it.
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityRuleId).toBe("loyalty-gold");
    await supervisor.post("/rules/priority", { intent: "move", ruleId: "loyalty-silver", direction: "up", version: await v() });
    const order = (await loadRuleSet("priority")).ruleSet.rules.map((r) => r.id);
    expect(order.indexOf("loyalty-silver")).toBeLessThan(order.indexOf("loyalty-gold"));
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityRuleId).toBe("loyalty-silver");
    await supervisor.post("/rules/priority", { intent: "remove", ruleId: "loyalty-silver", version: await v() });
    expect((await loadRuleSet("priority")).ruleSet.rules.some((r) => r.id === "loyalty-silver")).toBe(false);
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityRuleId).toBe("loyalty-gold");
  });

  it("adds a keyword rule and previews a draft without saving it", async () => {
    const id = await intake({ language: "nl", subject: "Rolstoel", body: "Ik heb een rolstoel nodig", topics: ["voucher"] });
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    const current = await loadRuleSet("priority");
    const draft = { ...current.ruleSet, rules: [{ id: "wheelchair", name: "Wheelchair", enabled: true, tier: 2, conditions: [{ type: "keywordsAny", keywords: { nl: ["rolstoel"] } }] }, ...current.ruleSet.rules] };
    const preview = await supervisor.post("/rules/priority", { intent: "preview", json: JSON.stringify(draft), version: String(current.version) });
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain("What the draft would catch");
    expect((await loadRuleSet("priority")).version).toBe(current.version);
    const added = await supervisor.post("/rules/priority", {
      intent: "add",
      version: String(current.version),
      id: "wheelchair",
      name: "Wheelchair",
      tier: "8",
      conditionType: "keywordsAny",
      conditionValue: "nl: rolstoel\nen: wheelchair",
    });
    expect(added.status).toBe(200);
    expect((await db.case.findUniqueOrThrow({ where: { id } })).priorityRuleId).toBe("wheelchair");
  });
});

describe("classification", () => {
  it("shows the reason on the case and lets an agent reclassify with a reason (event)", async () => {
    const id = await intake({ topics: ["seat"], subject: "Seat", body: "Can I pick my seat?" });
    const agent = await signedIn(account("agent").email, account("agent").password);
    const page = await (await agent.get(`/cases/${id}`)).text();
    expect(page).toContain("Simple: topic &quot;seat&quot; (rule: Elementary questions)");
    const noReason = await agent.post(`/cases/${id}/reclassify`, { complexity: "complex", reason: "" });
    expect(noReason.headers.get("Location")).toContain("reclassifyError");
    expect((await db.case.findUniqueOrThrow({ where: { id } })).complexity).toBe("simple");
    const done = await agent.post(`/cases/${id}/reclassify`, { complexity: "complex", reason: "Customer mentions a medical condition" });
    expect(done.status).toBe(302);
    const after = await db.case.findUniqueOrThrow({ where: { id } });
    expect(after).toMatchObject({ complexity: "complex", complexityRuleId: "manual" });
    expect(after.complexityReason).toContain("Customer mentions a medical condition");
    const event = await db.caseEvent.findFirstOrThrow({ where: { caseId: id, type: "reclassified" } });
    expect(event.data).toMatchObject({ from: "simple", to: "complex", reason: "Customer mentions a medical condition" });
    const volunteer = await signedIn(account("volunteer").email, account("volunteer").password);
    expect((await volunteer.post(`/cases/${id}/reclassify`, { complexity: "simple", reason: "Looks easy" })).status).toBe(403);
  });
});

describe("stale sweep and holding replies", () => {
  it("closes departed time-bound cases and duplicates of handled cases, tells the customer, and can be undone", async () => {
    const departed = await intake({ departureAt: hours(-2).toISOString(), topics: ["check-in"], language: "de" });
    const stillRelevant = await intake({ departureAt: hours(-2).toISOString(), topics: ["check-in", "voucher"] });
    const handled = await intake({ customerId: "DUP-1", bookingReference: "DUP001", subject: "Change my flight date", topics: ["voucher"] });
    await db.case.update({ where: { id: handled }, data: { status: "assigned" } });
    // Inserted directly: through the API it would be threaded onto the handled case.
    const duplicate = await db.case.create({
      data: { channelId: "email", language: "en", customerId: "DUP-1", customerName: "Dup", bookingReference: "DUP001", subject: "Re: Change my flight date", body: "Again", topics: ["voucher"] },
    });
    const { closed } = await runStaleSweep(new Date());
    expect(closed).toEqual(expect.arrayContaining([{ caseId: departed, reason: "flight_departed" }, { caseId: duplicate.id, reason: "duplicate" }]));
    expect(closed.some((c) => c.caseId === stillRelevant)).toBe(false);
    const swept = await db.case.findUniqueOrThrow({ where: { id: departed }, include: { events: true } });
    expect(swept).toMatchObject({ status: "closed", closeReason: "stale: flight_departed" });
    const message = (swept.events.find((e) => e.type === "swept")!.data as { customerMessage: string }).customerMessage;
    expect(message).toContain("Ihr Flug ist bereits abgeflogen");
    const supervisor = await signedIn(account("supervisor").email, account("supervisor").password);
    expect((await supervisor.post("/rules/bot", { intent: "reopen", caseId: departed })).status).toBe(200);
    expect((await db.case.findUniqueOrThrow({ where: { id: departed } })).status).toBe("open");
    // Running the sweep from the bot page works too.
    expect(await (await supervisor.post("/rules/bot", { intent: "sweep" })).text()).toContain("The sweep closed");
  });

  it("sends the holding reply once per case, in the customer's language, even when asked concurrently", async () => {
    const id = await intake({ language: "fr", receivedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), topics: ["voucher"] });
    const sent = await Promise.all([sendHoldingReply(id), sendHoldingReply(id), sendHoldingReply(id)]);
    expect(sent.filter(Boolean)).toHaveLength(1);
    // A second case waiting as long, not yet answered: the bulk run must reach it, and only once.
    const waiting = await intake({ language: "fr", receivedAt: new Date(Date.now() - 3 * 3_600_000).toISOString(), topics: ["voucher"] });
    const repliesBefore = await db.caseEvent.count({ where: { type: "holding_reply" } });
    const bulk = await sendHoldingReplies({ minTier: 1, waitingMinutes: 60 });
    const again = await sendHoldingReplies({ minTier: 1, waitingMinutes: 60 });
    expect(again.sent).toBe(0);
    expect(bulk.sent).toBeGreaterThanOrEqual(1);
    expect(await db.caseEvent.count({ where: { type: "holding_reply" } })).toBe(repliesBefore + bulk.sent);
    expect(await db.caseEvent.count({ where: { caseId: waiting, type: "holding_reply" } })).toBe(1);
    const events = await db.caseEvent.findMany({ where: { caseId: id, type: "holding_reply" } });
    expect(events).toHaveLength(1);
    expect((events[0]!.data as { message: string }).message).toContain("Merci pour votre message");
    expect((await db.case.findUniqueOrThrow({ where: { id } })).holdingReplySentAt).not.toBeNull();
  });
});
