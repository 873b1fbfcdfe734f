// The agent console through its routes: replies from templates (with the
// identity check), free text by role, notes with mentions, hold and the
// customer's return, resolve with contact reasons and reopening, due times
// and breaches, and the supervisor's lists. Crafted posts for what a role
// may not do are refused with nothing written.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { Prisma } from "@prisma/client";
import { recordBreaches, releaseHeldSlots, targetBreachesSql } from "../app/console/service-levels.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, type Visitor } from "./support/app-client";
import { intakeCase, postIntake } from "./support/case-fixtures";

const db = getDb();
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const signIn = (role: string) => signedIn(account(role).email, account(role).password);
let volunteerId: string;
let agentId: string;
let volunteer: Visitor;
let agent: Visitor;
let supervisor: Visitor;

async function intake(overrides: Record<string, unknown> = {}): Promise<{ caseId: string; payload: Record<string, unknown> }> {
  const payload = intakeCase({ topics: ["flight-status"], ...overrides });
  const response = await postIntake(payload);
  expect(response.status).toBe(201);
  return { caseId: ((await response.json()) as { caseId: string }).caseId, payload };
}

async function caseHeldBy(userId: string, overrides: Record<string, unknown> = {}) {
  const { caseId, payload } = await intake(overrides);
  await db.case.update({ where: { id: caseId }, data: { status: "assigned", assigneeId: userId, assignedAt: new Date() } });
  return { caseId, payload };
}

const template = (name: string) => db.replyTemplate.findFirstOrThrow({ where: { name } });

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  volunteerId = (await db.user.findUniqueOrThrow({ where: { email: account("volunteer").email } })).id;
  agentId = (await db.user.findUniqueOrThrow({ where: { email: account("agent").email } })).id;
  [volunteer, agent, supervisor] = await Promise.all([signIn("volunteer"), signIn("agent"), signIn("supervisor")]);
});

describe("due times", () => {
  it("gives a new case due times from its tier's service targets, and records a breach once", async () => {
    const { caseId } = await intake();
    const kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    const target = await db.serviceTarget.findUniqueOrThrow({ where: { tier: kase.priorityTier } });
    expect(kase.firstResponseDueAt!.getTime() - kase.receivedAt.getTime()).toBe(target.firstResponseMinutes * 60_000);
    expect(kase.resolutionDueAt!.getTime() - kase.receivedAt.getTime()).toBe(target.resolutionMinutes * 60_000);

    const past = new Date(Date.now() - 60_000);
    await db.case.update({ where: { id: caseId }, data: { firstResponseDueAt: past } });
    expect((await recordBreaches()).firstResponse).toBeGreaterThanOrEqual(1);
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).firstResponseBreachedAt?.getTime()).toBe(past.getTime());
    await recordBreaches();
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).firstResponseBreachedAt?.getTime()).toBe(past.getTime());

    // The resolution target too, and a resolved case is never recorded as breached.
    const [late, resolved] = [(await intake()).caseId, (await intake()).caseId];
    await db.case.update({ where: { id: late }, data: { resolutionDueAt: past } });
    await db.case.update({ where: { id: resolved }, data: { resolutionDueAt: past, status: "resolved", resolvedAt: new Date() } });
    expect((await recordBreaches()).resolution).toBeGreaterThanOrEqual(1);
    expect((await db.case.findUniqueOrThrow({ where: { id: late } })).resolutionBreachedAt?.getTime()).toBe(past.getTime());
    expect((await db.case.findUniqueOrThrow({ where: { id: resolved } })).resolutionBreachedAt).toBeNull();
  });

  it("finds resolution breaches through the partial index of their due time, never by reading the case table", async () => {
    // With sequential scans priced out, the plan names the index only if it can be used at all.
    const plan = await db.$transaction(async (tx) => {
      await tx.$executeRawUnsafe("SET LOCAL enable_seqscan = off");
      return tx.$queryRaw<{ "QUERY PLAN": string }[]>(Prisma.sql`EXPLAIN ${targetBreachesSql("resolution")}`);
    });
    expect(plan.map((row) => row["QUERY PLAN"]).join("\n")).toContain("Case_resolutionDueAt_idx");
  });
});

describe("replying", () => {
  it("sends a template filled from the case, queued in the outbox, and marks the first response", async () => {
    const { caseId } = await caseHeldBy(volunteerId, { customerName: "Eva de Vries" });
    const thanks = await template("Thanks, we are on it");
    const response = await volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: thanks.id, text: "" });
    expect(response.status).toBe(200);
    const [message] = await db.outboundMessage.findMany({ where: { caseId } });
    expect(message).toMatchObject({ sender: "agent", authorId: volunteerId, kind: "reply", language: "en", state: "queued", templateId: thanks.id });
    expect(message!.body).toBe("Hello Eva de Vries, thank you for your message. I am looking into it now and will reply here as soon as I can. Kind regards, Vera");
    const kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase.firstRespondedAt).not.toBeNull();
    expect(await db.caseEvent.count({ where: { caseId, type: "replied", actorId: volunteerId } })).toBe(1);
    // The conversation shows the reply's body and its delivery state.
    const page = await (await volunteer.get(`/cases/${caseId}`)).text();
    expect(page).toContain("thank you for your message");
    expect(page).toContain("queued for delivery");
  });

  it("asks for the identity check before a reply that discloses the booking, on a channel that does not authenticate", async () => {
    const { caseId, payload } = await caseHeldBy(volunteerId, { flightNumber: "KL1234", departureAt: new Date(Date.now() + 86_400_000).toISOString() });
    const rebooking = await template("Rebooking options");
    const refused = await volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: rebooking.id, text: "" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("First check the customer&#x27;s identity");
    expect(await db.outboundMessage.count({ where: { caseId } })).toBe(0);
    // Naming the booking in free text counts too (and volunteers may not write free text anyway).
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "identity" })).status).toBe(400);
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "identity", confirmed: "on" })).status).toBe(200);
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: rebooking.id, text: "Hi again!" })).status).toBe(200);
    const [message] = await db.outboundMessage.findMany({ where: { caseId } });
    expect(message!.body.startsWith("Hi again!\n\nHello")).toBe(true);
    expect(message!.body).toContain(`booking ${payload.bookingReference as string}`);
    expect(message!.body).toContain("Flight KL1234");
  });

  it("needs no identity check on a channel that authenticates the customer", async () => {
    await db.channel.update({ where: { id: "messenger" }, data: { authenticatesCustomer: true } });
    try {
      const { caseId } = await caseHeldBy(volunteerId, { channelId: "messenger" });
      const refund = await template("Refund requested");
      expect((await volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: refund.id })).status).toBe(200);
    } finally {
      await db.channel.update({ where: { id: "messenger" }, data: { authenticatesCustomer: false } });
    }
  });

  it("lets agents write free text and keeps volunteers to templates", async () => {
    const { caseId } = await caseHeldBy(volunteerId);
    const refused = await volunteer.post(`/cases/${caseId}`, { intent: "reply", text: "My own words" });
    expect(refused.status).toBe(400);
    expect(await refused.text()).toContain("your role replies from approved templates");
    const agentCase = await caseHeldBy(agentId);
    expect((await agent.post(`/cases/${agentCase.caseId}`, { intent: "reply", text: "My own words, checked." })).status).toBe(200);
    expect(await db.outboundMessage.count({ where: { caseId } })).toBe(0);
    expect(await db.outboundMessage.count({ where: { caseId: agentCase.caseId, body: "My own words, checked." } })).toBe(1);
    // A free-text reply that names the booking needs the identity check first.
    const named = await caseHeldBy(agentId);
    const bookingReference = (await db.case.findUniqueOrThrow({ where: { id: named.caseId } })).bookingReference!;
    expect((await agent.post(`/cases/${named.caseId}`, { intent: "reply", text: `Your booking ${bookingReference} is confirmed.` })).status).toBe(409);
  });

  it("refuses crafted replies on a case the person does not hold, writing nothing", async () => {
    const { caseId } = await caseHeldBy(agentId);
    const thanks = await template("Thanks, we are on it");
    // A volunteer cannot even see another person's case: the same answer as for no case.
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: thanks.id })).status).toBe(404);
    const other = await caseHeldBy(volunteerId);
    expect((await agent.post(`/cases/${other.caseId}`, { intent: "reply", templateId: thanks.id })).status).toBe(403);
    expect((await supervisor.post(`/cases/${other.caseId}`, { intent: "reply", templateId: thanks.id })).status).toBe(403);
    expect((await agent.post(`/cases/${other.caseId}`, { intent: "resolve", reasons: "refund" })).status).toBe(403);
    expect(await db.outboundMessage.count({ where: { caseId: { in: [caseId, other.caseId] } } })).toBe(0);
    expect((await db.case.findUniqueOrThrow({ where: { id: other.caseId } })).status).toBe("assigned");
  });
});

describe("internal notes", () => {
  it("stores a note that is never sent, and tells the people it mentions", async () => {
    const { caseId } = await caseHeldBy(volunteerId);
    const response = await volunteer.post(`/cases/${caseId}`, { intent: "note", body: "Customer sounds worried, @agent can you look?" });
    expect(response.status).toBe(200);
    expect(await db.outboundMessage.count({ where: { caseId } })).toBe(0);
    const note = await db.caseNote.findFirstOrThrow({ where: { caseId } });
    expect(await db.noteMention.findMany({ where: { noteId: note.id } })).toEqual([expect.objectContaining({ userId: agentId, readAt: null })]);
    const inbox = await (await agent.get("/inbox")).text();
    expect(inbox).toContain("Customer sounds worried");
    expect(inbox).toContain("1 unread");
    expect((await agent.post("/inbox", { noteId: note.id })).status).toBe(200);
    expect((await db.noteMention.findFirstOrThrow({ where: { noteId: note.id } })).readAt).not.toBeNull();
    // The case page labels it as a note.
    expect(await (await volunteer.get(`/cases/${caseId}`)).text()).toContain("not sent to the customer");
  });

  it("refuses a mention of no one, and an empty note", async () => {
    const { caseId } = await caseHeldBy(volunteerId);
    const unknown = await volunteer.post(`/cases/${caseId}`, { intent: "note", body: "Ask @nobody-here please" });
    expect(unknown.status).toBe(400);
    expect(await unknown.text()).toContain("No one in Surge is called @nobody-here");
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "note", body: "  " })).status).toBe(400);
    expect(await db.caseNote.count({ where: { caseId } })).toBe(0);
  });
});

describe("hold, resolve and reopen", () => {
  it("holds a case, frees the slot after the hold time, and returns it to the agent when the customer writes", async () => {
    const { caseId, payload } = await caseHeldBy(volunteerId);
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "hold" })).status).toBe(200);
    let kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase).toMatchObject({ status: "on_hold", assigneeId: volunteerId, holdAgentId: volunteerId });
    expect(kase.holdUntil!.getTime()).toBeGreaterThan(Date.now());
    // The hold time passes: the slot is freed, the case stays on hold for the volunteer.
    await db.case.update({ where: { id: caseId }, data: { holdUntil: new Date(Date.now() - 1000) } });
    expect(await releaseHeldSlots()).toBeGreaterThanOrEqual(1);
    kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase).toMatchObject({ status: "on_hold", assigneeId: null, holdAgentId: volunteerId });
    // The volunteer still sees it and could take it back; the customer writes first.
    expect((await volunteer.get(`/cases/${caseId}`)).status).toBe(200);
    // The volunteer's cases of the tests above are done, so a slot is free for it to come back to.
    await db.case.updateMany({ where: { assigneeId: volunteerId, status: "assigned" }, data: { status: "resolved", assigneeId: null, resolvedAt: new Date() } });
    await db.agentPresence.upsert({ where: { userId: volunteerId }, update: { online: true }, create: { userId: volunteerId, online: true } });
    const followUp = await postIntake(intakeCase({ customerId: payload.customerId, bookingReference: payload.bookingReference, body: "Here is my booking reference." }));
    expect(((await followUp.json()) as { outcome: string }).outcome).toBe("threaded");
    kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase).toMatchObject({ status: "assigned", assigneeId: volunteerId, holdAgentId: null });
    expect(await (await volunteer.get(`/cases/${caseId}`)).text()).toContain("Here is my booking reference.");
  });

  it("returns a held case to the queue when its agent is offline", async () => {
    const { caseId, payload } = await caseHeldBy(agentId);
    expect((await agent.post(`/cases/${caseId}`, { intent: "hold" })).status).toBe(200);
    await db.agentPresence.upsert({ where: { userId: agentId }, update: { online: false }, create: { userId: agentId, online: false } });
    await postIntake(intakeCase({ customerId: payload.customerId, bookingReference: payload.bookingReference }));
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", assigneeId: null });
  });

  it("takes a case back from hold", async () => {
    const { caseId } = await caseHeldBy(volunteerId);
    await volunteer.post(`/cases/${caseId}`, { intent: "hold" });
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "resume" })).status).toBe(200);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: volunteerId, holdUntil: null });
  });

  it("takes a case back from hold after its slot was freed only while a slot of its channel is free", async () => {
    const { caseId } = await caseHeldBy(agentId);
    expect((await agent.post(`/cases/${caseId}`, { intent: "hold" })).status).toBe(200);
    await db.case.update({ where: { id: caseId }, data: { holdUntil: new Date(Date.now() - 1000) } });
    expect(await releaseHeldSlots()).toBeGreaterThanOrEqual(1);
    const { maxConcurrentPerAgent } = await db.channel.findUniqueOrThrow({ where: { id: "whatsapp" } });
    const heldNow = () => db.case.count({ where: { assigneeId: agentId, channelId: "whatsapp", status: { in: ["assigned", "on_hold"] } } });
    while ((await heldNow()) < maxConcurrentPerAgent) await caseHeldBy(agentId);
    const refused = await agent.post(`/cases/${caseId}`, { intent: "resume" });
    expect(refused.status).toBe(409);
    expect(await refused.text()).toContain("You hold as many cases of this channel as you may");
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "on_hold", assigneeId: null, holdAgentId: agentId });
    await db.case.updateMany({ where: { assigneeId: agentId, status: "assigned" }, data: { status: "resolved", assigneeId: null, resolvedAt: new Date() } });
    expect((await agent.post(`/cases/${caseId}`, { intent: "resume" })).status).toBe(200);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: agentId, holdAgentId: null });
  });

  it("resolves with contact reasons, records a late resolution, and reopens on a new message within the window", async () => {
    const { caseId, payload } = await caseHeldBy(volunteerId);
    const none = await volunteer.post(`/cases/${caseId}`, { intent: "resolve" });
    expect(none.status).toBe(400);
    expect(await none.text()).toContain("Choose at least one contact reason");
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "resolve", reasons: ["no-such-reason"] })).status).toBe(400);
    await db.case.update({ where: { id: caseId }, data: { resolutionDueAt: new Date(Date.now() - 60_000) } });
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "resolve", reasons: ["refund", "voucher"] })).status).toBe(200);
    const resolved = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(resolved).toMatchObject({ status: "resolved", contactReasons: ["refund", "voucher"] });
    expect(resolved.resolvedAt).not.toBeNull();
    expect(resolved.resolutionBreachedAt).not.toBeNull();
    // Resolving again is a conflict, not a second resolution.
    expect((await volunteer.post(`/cases/${caseId}`, { intent: "resolve", reasons: "refund" })).status).toBe(409);
    await db.agentPresence.upsert({ where: { userId: volunteerId }, update: { online: false }, create: { userId: volunteerId, online: false } });
    await postIntake(intakeCase({ customerId: payload.customerId, bookingReference: payload.bookingReference, body: "It did not work." }));
    const reopened = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(reopened).toMatchObject({ status: "open", assigneeId: null, resolvedAt: null });
    expect(await db.caseEvent.count({ where: { caseId, type: "reopened" } })).toBe(1);
  });

  it("reopens a resolved case to the queue, not to its agent, when the agent has no free slot on its channel", async () => {
    const { caseId, payload } = await caseHeldBy(agentId);
    expect((await agent.post(`/cases/${caseId}`, { intent: "resolve", reasons: "information" })).status).toBe(200);
    // Meanwhile the agent took other WhatsApp cases, up to the channel's limit.
    const { maxConcurrentPerAgent } = await db.channel.findUniqueOrThrow({ where: { id: "whatsapp" } });
    const heldNow = () => db.case.count({ where: { assigneeId: agentId, channelId: "whatsapp", status: { in: ["assigned", "on_hold"] } } });
    while ((await heldNow()) < maxConcurrentPerAgent) await caseHeldBy(agentId);
    await db.agentPresence.upsert({ where: { userId: agentId }, update: { online: true }, create: { userId: agentId, online: true } });
    await postIntake(intakeCase({ customerId: payload.customerId, bookingReference: payload.bookingReference, body: "Still waiting." }));
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", assigneeId: null, resolvedAt: null });
    const reopened = await db.caseEvent.findFirstOrThrow({ where: { caseId, type: "reopened" } });
    expect(reopened.data).toMatchObject({ why: "customer_message", was: "resolved", to: "queue" });
    expect(await heldNow()).toBe(maxConcurrentPerAgent);
    // With a slot free again, the next reopened case of theirs comes back to them.
    const second = await caseHeldBy(agentId, { channelId: "whatsapp" });
    expect((await agent.post(`/cases/${second.caseId}`, { intent: "resolve", reasons: "information" })).status).toBe(200);
    const freed = await db.case.findFirstOrThrow({ where: { assigneeId: agentId, channelId: "whatsapp", status: "assigned" } });
    await db.case.update({ where: { id: freed.id }, data: { status: "resolved", assigneeId: null, resolvedAt: new Date() } });
    await postIntake(intakeCase({ customerId: second.payload.customerId, bookingReference: second.payload.bookingReference, body: "One more thing." }));
    expect(await db.case.findUniqueOrThrow({ where: { id: second.caseId } })).toMatchObject({ status: "assigned", assigneeId: agentId });
  });

  it("opens a new case instead when the resolved one is older than the reopen window", async () => {
    const { caseId, payload } = await caseHeldBy(volunteerId);
    await volunteer.post(`/cases/${caseId}`, { intent: "resolve", reasons: "information" });
    await db.case.update({ where: { id: caseId }, data: { resolvedAt: new Date(Date.now() - 8 * 86_400_000) } });
    const response = await postIntake(intakeCase({ customerId: payload.customerId, bookingReference: payload.bookingReference }));
    expect(((await response.json()) as { outcome: string }).outcome).toBe("created");
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("resolved");
  });
});

describe("supervisor lists", () => {
  it("lets a supervisor add a template and change the targets, and nobody else", async () => {
    const added = await supervisor.post("/templates", { intent: "template", name: "Baggage on its way", language: "nl", body: "Hallo {customerName}, uw bagage is onderweg.", active: "on" });
    expect(added.status).toBe(200);
    expect(await db.replyTemplate.count({ where: { name: "Baggage on its way", language: "nl" } })).toBe(1);
    const typo = await supervisor.post("/templates", { intent: "template", name: "Typo", language: "en", body: "Hello {custmerName}, hello." });
    expect(typo.status).toBe(400);
    expect(await typo.text()).toContain("Unknown placeholder {custmerName}");
    const minutes = (value: number) => Array.from({ length: 8 }, () => String(value));
    expect((await supervisor.post("/templates", { intent: "targets", firstResponse: minutes(20), resolution: minutes(600) })).status).toBe(200);
    expect(await db.serviceTarget.findUniqueOrThrow({ where: { tier: 3 } })).toMatchObject({ firstResponseMinutes: 20, resolutionMinutes: 600 });
    for (const visitor of [volunteer, agent]) {
      expect((await visitor.get("/templates")).status).toBe(403);
      expect((await visitor.post("/templates", { intent: "targets", firstResponse: minutes(1), resolution: minutes(1) })).status).toBe(403);
    }
    expect(await db.serviceTarget.findUniqueOrThrow({ where: { tier: 3 } })).toMatchObject({ firstResponseMinutes: 20 });
  });
});
