// Escalation through its routes, per role: a volunteer escalates with a
// reason and a note (or from a refused gesture), keeps the case readable but
// not workable, and learns the outcome; an expert hands back with advice,
// returns a case as simple, escalates further or resolves; questions to the
// help inbox; the supervisors' reasons and the planners' rates; automatic
// escalation (reclassified complex, held too long, due time breached).
// Crafted posts for what a role may not do are refused with nothing written.
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { runAutoEscalation } from "../app/escalation/auto-escalation.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, type Visitor } from "./support/app-client";
import { createAgent, insertOpenCases, intakeCase, postIntake } from "./support/case-fixtures";
import { root } from "./support/databases";

const db = getDb();
const onPostgres = Boolean(process.env.TEST_DATABASE_URL);
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
/** Signed in, with the session's CSRF token read once (it lasts as long as the session). */
async function withToken(visitor: Visitor): Promise<Visitor> {
  const token = await visitor.csrfToken();
  visitor.csrfToken = () => Promise.resolve(token);
  return visitor;
}
const signIn = async (role: string) => withToken(await signedIn(account(role).email, account(role).password));
const ids = { volunteer: "", agent: "", supervisor: "" };
const as: Record<"volunteer" | "agent" | "supervisor" | "planner", Visitor> = {} as never;

async function caseHeldBy(userId: string, overrides: Record<string, unknown> = {}) {
  const response = await postIntake(intakeCase({ topics: ["flight-status"], ...overrides }));
  expect(response.status).toBe(201);
  const { caseId } = (await response.json()) as { caseId: string };
  await db.case.update({ where: { id: caseId }, data: { status: "assigned", assigneeId: userId, assignedAt: new Date() } });
  return caseId;
}

const online = (userId: string, isOnline: boolean) =>
  db.agentPresence.upsert({ where: { userId }, update: { online: isOnline, lastSeenAt: new Date() }, create: { userId, online: isOnline, lastSeenAt: new Date() } });

/** Everything a refused post must leave untouched. */
async function snapshot() {
  const [cases, escalations, notes, questions, events, reasons] = await Promise.all([
    db.case.findMany({ select: { id: true, status: true, assigneeId: true, escalationLevel: true, complexity: true }, orderBy: { id: "asc" } }),
    db.escalation.findMany({ orderBy: { id: "asc" } }),
    db.caseNote.count(),
    db.helpQuestion.findMany({ orderBy: { id: "asc" } }),
    db.caseEvent.count(),
    db.escalationReason.findMany({ orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ cases, escalations, notes, questions, events, reasons });
}

/** A page's text as a reader sees it (React's text separators removed). */
const pageText = async (visitor: Visitor, path: string) => (await (await visitor.get(path)).text()).replaceAll("<!-- -->", "");

async function escalate(visitor: Visitor, caseId: string, fields: Record<string, string> = {}) {
  return visitor.post(`/cases/${caseId}`, { intent: "escalate", reasonCode: "complex_rebooking", note: "Needs a new connection via AMS", ...fields });
}

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  for (const role of ["volunteer", "agent", "supervisor"] as const) ids[role] = (await db.user.findUniqueOrThrow({ where: { email: account(role).email } })).id;
  [as.volunteer, as.agent, as.supervisor, as.planner] = await Promise.all([signIn("volunteer"), signIn("agent"), signIn("supervisor"), signIn("planner")]);
});

beforeEach(async () => {
  await online(ids.volunteer, true);
});

describe("a volunteer escalates", () => {
  it("with a reason and a note: the slot is freed, the case waits at level 1 with its tier and waiting time, readable but not workable", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    const before = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    const response = await escalate(as.volunteer, caseId);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/escalations\?message=/);

    const kase = await db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(kase).toMatchObject({ status: "escalated", assigneeId: null, escalationLevel: 1, priorityTier: before.priorityTier });
    expect(kase.receivedAt.getTime()).toBe(before.receivedAt.getTime());
    const [row] = await db.escalation.findMany({ where: { caseId } });
    expect(row).toMatchObject({
      raisedById: ids.volunteer, reasonCode: "complex_rebooking", reason: "Complex rebooking", note: "Needs a new connection via AMS",
      fromLevel: 0, toLevel: 1, status: "open", automatic: false, outcome: null,
    });

    // Read-only from "My escalations": the page, with no work forms.
    const mine = await pageText(as.volunteer, "/escalations");
    expect(mine).toContain(`Case #${kase.number}`);
    expect(mine).toContain("Waiting for an expert");
    const page = await (await as.volunteer.get(`/cases/${caseId}`)).text();
    expect(page).toContain("You escalated this case");
    expect(page).toContain("Needs a new connection via AMS");
    for (const form of ["Send reply", "Save internal note", "Put on hold (waiting", "Escalate the case", "Ask the experienced agents"]) expect(page).not.toContain(form);

    // Crafted posts on it: refused, nothing written.
    const snap = await snapshot();
    for (const fields of <Record<string, string>[]>[
      { intent: "note", body: "Still here" },
      { intent: "hold" },
      { intent: "reply", templateId: "", text: "Hi" },
      { intent: "escalate", reasonCode: "legal", note: "Again" },
      { intent: "hand_back", advice: "Do it yourself" },
      { intent: "ask", question: "What now?" },
    ]) {
      const refused = await as.volunteer.post(`/cases/${caseId}`, fields);
      expect([403, 409]).toContain(refused.status);
    }
    expect(await snapshot()).toBe(snap);
  });

  it("refuses an escalation without a known reason or a note, with nothing written", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    const snap = await snapshot();
    const noReason = await escalate(as.volunteer, caseId, { reasonCode: "" });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Choose a reason");
    expect((await escalate(as.volunteer, caseId, { reasonCode: "made_up" })).status).toBe(400);
    expect((await escalate(as.volunteer, caseId, { note: "" })).status).toBe(400);
    expect(await snapshot()).toBe(snap);
  });

  it("only on a case they hold: someone else's case answers 404, a planner 403, nothing written", async () => {
    const agentsCase = await caseHeldBy(ids.agent);
    const snap = await snapshot();
    expect((await escalate(as.volunteer, agentsCase)).status).toBe(404);
    expect((await escalate(as.planner, agentsCase)).status).toBe(403);
    // A supervisor may read it but does not hold it.
    expect((await escalate(as.supervisor, agentsCase)).status).toBe(403);
    expect(await snapshot()).toBe(snap);
  });

  it("from a refused gesture: the refusal offers the escalate form with the gesture prefilled", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    const refused = await as.volunteer.post(`/cases/${caseId}/gestures`, { type: "miles", amount: "9000", reason: "Missed connection" });
    expect(refused.status).toBe(403);
    const offer = ((await refused.json()) as { escalate: { href: string } }).escalate;
    expect(offer.href).toContain(`/cases/${caseId}?`);
    const form = await pageText(as.volunteer, offer.href);
    expect(form).toContain("the gesture you could not give: miles 9000");
    expect(form).toContain("Gesture above my limit: miles 9000. Missed connection");
    const response = await escalate(as.volunteer, caseId, { reasonCode: "compensation_above_limit", note: "Gesture above my limit: miles 9000", gestureType: "miles", gestureAmount: "9000" });
    expect(response.status).toBe(302);
    expect(await db.escalation.findFirstOrThrow({ where: { caseId } })).toMatchObject({ reasonCode: "compensation_above_limit", gestureType: "miles", gestureAmount: 9000 });
  });

  it("a browser without JavaScript whose gesture is refused lands on that form, not on a 403 page", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    const response = await as.volunteer.request(`/cases/${caseId}/gestures`, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "text/html" },
      body: new URLSearchParams({ csrf: await as.volunteer.csrfToken(), type: "miles", amount: "9000", reason: "Missed connection" }),
    });
    expect(response.status).toBe(303);
    expect(response.headers.get("Location")).toMatch(new RegExp(`^/cases/${caseId}\\?gestureType=miles&gestureAmount=9000.*#escalate$`));
  });
});

describe("the expert", () => {
  async function escalatedAndTaken(overrides: Record<string, unknown> = {}) {
    const caseId = await caseHeldBy(ids.volunteer, overrides);
    // Something the volunteer did before escalating: a reply the expert sees in the conversation.
    const thanks = await db.replyTemplate.findFirstOrThrow({ where: { name: "Thanks, we are on it" } });
    expect((await as.volunteer.post(`/cases/${caseId}`, { intent: "reply", templateId: thanks.id, text: "" })).status).toBe(200);
    expect((await escalate(as.volunteer, caseId)).status).toBe(302);
    // A supervisor gives it to the experienced agent.
    const assigned = await as.supervisor.post(`/cases/${caseId}/assign`, { assigneeId: ids.agent });
    expect(assigned.headers.get("Location")).not.toContain("assignError");
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: ids.agent, escalationLevel: 1 });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId } })).toMatchObject({ status: "taken", expertId: ids.agent });
    return caseId;
  }

  it("sees the reason, the note and what the volunteer did, and hands back with advice to the volunteer who is online", async () => {
    const caseId = await escalatedAndTaken();
    const page = await (await as.agent.get(`/cases/${caseId}`)).text();
    expect(page).toContain("Complex rebooking");
    expect(page).toContain("Needs a new connection via AMS");
    expect(page).toContain("thank you for your message");
    expect(page).toContain("Hand back with advice");

    const response = await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Offer the 14:05 via AMS; the fare rules allow it." });
    expect(response.status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: ids.volunteer, escalationLevel: 0, complexity: "simple" });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId } })).toMatchObject({ status: "resolved", outcome: "handed_back", advice: "Offer the 14:05 via AMS; the fare rules allow it.", expertId: ids.agent });
    expect(await db.caseNote.count({ where: { caseId, authorId: ids.agent, body: { contains: "Offer the 14:05" } } })).toBe(1);

    // The volunteer sees the outcome and the advice, and works the case again.
    const mine = await (await as.volunteer.get("/escalations")).text();
    expect(mine).toContain("Handed back with advice");
    expect(mine).toContain("Offer the 14:05 via AMS");
    const reasons = await db.contactReason.findFirstOrThrow({ where: { active: true } });
    expect((await as.volunteer.post(`/cases/${caseId}`, { intent: "resolve", reasons: reasons.id })).status).toBe(200);
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId } })).status).toBe("resolved");
  });

  it("hands back to the ordinary queue as a simple case when the volunteer is offline", async () => {
    const caseId = await escalatedAndTaken();
    await online(ids.volunteer, false);
    expect((await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Simple after all: use the rebooking template." })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", assigneeId: null, escalationLevel: 0, complexity: "simple" });
  });

  it("hands back to the queue, not to the volunteer, when the volunteer holds as many cases of its channel as they may", async () => {
    const caseId = await escalatedAndTaken();
    await online(ids.volunteer, true);
    const { maxConcurrentPerAgent } = await db.channel.findUniqueOrThrow({ where: { id: "whatsapp" } });
    const held = () => db.case.count({ where: { assigneeId: ids.volunteer, channelId: "whatsapp", status: { in: ["assigned", "on_hold"] } } });
    while ((await held()) < maxConcurrentPerAgent) await caseHeldBy(ids.volunteer);
    expect((await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Use the rebooking template." })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "open", assigneeId: null, escalationLevel: 0, complexity: "simple" });
    expect(await held()).toBe(maxConcurrentPerAgent);
    // The advice still reaches the volunteer's escalations.
    expect(await db.escalation.findFirstOrThrow({ where: { caseId } })).toMatchObject({ outcome: "handed_back", advice: "Use the rebooking template." });
    await db.case.updateMany({ where: { assigneeId: ids.volunteer, status: "assigned" }, data: { status: "resolved", assigneeId: null, resolvedAt: new Date() } });
  });

  it("returns a case as simple (reclassified), or takes it over and resolves it", async () => {
    const simple = await escalatedAndTaken();
    expect((await as.agent.post(`/cases/${simple}`, { intent: "return_simple", reason: "Only a seat question" })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: simple } })).toMatchObject({ status: "open", assigneeId: null, escalationLevel: 0, complexity: "simple" });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: simple } })).toMatchObject({ outcome: "reclassified", advice: "Only a seat question" });

    const takenOver = await escalatedAndTaken();
    const reasons = await db.contactReason.findFirstOrThrow({ where: { active: true } });
    expect((await as.agent.post(`/cases/${takenOver}`, { intent: "resolve", reasons: reasons.id })).status).toBe(200);
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: takenOver } })).toMatchObject({ status: "resolved", outcome: "resolved", expertId: ids.agent });
    expect(await (await as.volunteer.get("/escalations")).text()).toContain("Taken over and resolved by the expert");
  });

  it("escalates further to supervisors; a supervisor's hand-back returns it to that expert", async () => {
    const caseId = await escalatedAndTaken();
    await online(ids.agent, true);
    expect((await escalate(as.agent, caseId, { reasonCode: "legal", note: "Customer threatens to sue" })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "escalated", assigneeId: null, escalationLevel: 2 });
    const hops = await db.escalation.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    expect(hops.map((h) => [h.fromLevel, h.toLevel, h.status, h.outcome])).toEqual([
      [0, 1, "resolved", "escalated_further"],
      [1, 2, "open", null],
    ]);
    // An experienced agent may not be given a level-2 case; a supervisor works it.
    const refused = await as.supervisor.post(`/cases/${caseId}/assign`, { assigneeId: ids.agent });
    expect(refused.headers.get("Location")).toContain("assignError");
    await db.case.update({ where: { id: caseId }, data: { status: "assigned", assigneeId: ids.supervisor, assignedAt: new Date() } });
    await db.escalation.updateMany({ where: { caseId, status: "open" }, data: { status: "taken", expertId: ids.supervisor } });
    // The agent no longer holds it: a crafted hand-back is refused.
    const snap = await snapshot();
    expect((await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Mine" })).status).toBe(403);
    expect(await snapshot()).toBe(snap);

    expect((await as.supervisor.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Legal says: refund in full." })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: ids.agent, escalationLevel: 1 });
    const after = await db.escalation.findMany({ where: { caseId }, orderBy: { createdAt: "asc" } });
    expect(after.map((h) => [h.status, h.outcome])).toEqual([
      ["taken", null],
      ["resolved", "handed_back"],
    ]);
    // Back with the agent, who hands it back to the volunteer.
    expect((await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Refund in full, template R2." })).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ assigneeId: ids.volunteer, escalationLevel: 0 });
  });

  it("refuses expert actions from anyone not holding the escalation at their level, with nothing written", async () => {
    const caseId = await escalatedAndTaken();
    const ordinary = await caseHeldBy(ids.agent);
    const snap = await snapshot();
    // The volunteer who escalated it reads it, and may not work it.
    expect((await as.volunteer.post(`/cases/${caseId}`, { intent: "hand_back", advice: "Mine now" })).status).toBe(403);
    expect((await as.supervisor.post(`/cases/${caseId}`, { intent: "return_simple", reason: "Because" })).status).toBe(403);
    expect((await as.planner.post(`/cases/${caseId}`, { intent: "hand_back", advice: "x y z" })).status).toBe(403);
    // An ordinary case the agent holds is no escalation to hand back.
    expect((await as.agent.post(`/cases/${ordinary}`, { intent: "hand_back", advice: "Nobody escalated this" })).status).toBe(403);
    expect((await as.agent.post(`/cases/${caseId}`, { intent: "hand_back", advice: "" })).status).toBe(400);
    expect(await snapshot()).toBe(snap);
  });
});

describe("asking an expert without escalating", () => {
  it("sends the question to the help inbox with its age, and the answer becomes a note while the case stays with the volunteer", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    expect((await as.volunteer.post(`/cases/${caseId}`, { intent: "ask", question: "May I waive the change fee for a medical reason?" })).status).toBe(200);
    const question = await db.helpQuestion.findFirstOrThrow({ where: { caseId } });
    await db.helpQuestion.update({ where: { id: question.id }, data: { createdAt: new Date(Date.now() - 7 * 60_000) } });
    const inbox = await pageText(as.agent, "/help");
    expect(inbox).toContain("May I waive the change fee for a medical reason?");
    expect(inbox).toContain("Waiting 7 min");

    const snap = await snapshot();
    expect((await as.volunteer.post("/help", { questionId: question.id, answer: "Yes" })).status).toBe(403);
    expect((await as.planner.post("/help", { questionId: question.id, answer: "Yes" })).status).toBe(403);
    expect(await snapshot()).toBe(snap);

    expect((await as.agent.post("/help", { questionId: question.id, answer: "Yes, with the medical certificate." })).status).toBe(200);
    expect(await db.helpQuestion.findUniqueOrThrow({ where: { id: question.id } })).toMatchObject({ answeredById: ids.agent });
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "assigned", assigneeId: ids.volunteer });
    const page = await (await as.volunteer.get(`/cases/${caseId}`)).text();
    expect(page).toContain("Yes, with the medical certificate.");
    // A second answer to the same question is refused.
    const again = await as.supervisor.post("/help", { questionId: question.id, answer: "No" });
    expect(again.status).toBe(409);
    expect(await db.caseNote.count({ where: { caseId } })).toBe(1);
  });

  it("only on a case one holds", async () => {
    const agentsCase = await caseHeldBy(ids.agent);
    const snap = await snapshot();
    expect((await as.volunteer.post(`/cases/${agentsCase}`, { intent: "ask", question: "Can I help?" })).status).toBe(404);
    expect((await as.supervisor.post(`/cases/${agentsCase}`, { intent: "ask", question: "Why?" })).status).toBe(403);
    expect(await snapshot()).toBe(snap);
  });
});

describe("the learning loop", () => {
  it("lets a supervisor point a reason to a module, shows planners the rates, and offers the module again to who escalates it often", async () => {
    const snap = await snapshot();
    expect((await as.agent.post("/escalations/reasons", { id: "legal", label: "Legal", trainingModuleId: "" })).status).toBe(403);
    expect((await as.planner.post("/escalations/reasons", { id: "legal", label: "Legal", trainingModuleId: "" })).status).toBe(403);
    expect((await as.supervisor.post("/escalations/reasons", { id: "legal", label: "Legal", trainingModuleId: "no-such-module", active: "on" })).status).toBe(400);
    expect(await snapshot()).toBe(snap);
    const saved = await as.supervisor.post("/escalations/reasons", { id: "legal", label: "Legal or claims", trainingModuleId: "identity-checks", active: "on" });
    expect(saved.status).toBe(200);
    expect(await db.escalationReason.findUniqueOrThrow({ where: { id: "legal" } })).toMatchObject({ label: "Legal or claims", trainingModuleId: "identity-checks" });
    expect(await db.auditLog.count({ where: { action: "escalation_reason.save", subjectId: "legal" } })).toBe(1);

    // A fresh volunteer escalates "legal" three times (the default threshold in 7 days).
    const skills = ["channel:whatsapp", "language:en"];
    const fresh = await createAgent(db, { role: "volunteer", skills, email: "fresh@crew.surge.test", name: "Fresh Volunteer" });
    await db.user.update({ where: { id: fresh.id }, data: { passwordHash: (await db.user.findUniqueOrThrow({ where: { id: ids.volunteer } })).passwordHash } });
    const visitor = await withToken(await signedIn("fresh@crew.surge.test", account("volunteer").password));
    for (let i = 0; i < 3; i++) {
      const caseId = await caseHeldBy(fresh.id);
      expect((await escalate(visitor, caseId, { reasonCode: "legal", note: `Claim number ${i}` })).status).toBe(302);
    }
    for (const page of ["/escalations", "/"]) {
      const html = await (await visitor.get(page)).text();
      expect(html).toContain('href="/training/identity-checks"');
    }
    // The demo volunteer escalated other reasons: no offer for them.
    expect(await (await as.volunteer.get("/escalations")).text()).not.toContain('href="/training/identity-checks"');

    const report = await (await as.planner.get("/escalations/report")).text();
    expect(report).toContain("Fresh Volunteer");
    expect(report).toContain("Legal or claims");
    expect(report).toContain("100%");
    expect((await as.volunteer.get("/escalations/report")).status).toBe(403);
  });
});

describe("automatic escalation", () => {
  it("escalates a case reclassified as complex while a volunteer holds it, with its reason", async () => {
    const caseId = await caseHeldBy(ids.volunteer);
    const response = await as.agent.post(`/cases/${caseId}/reclassify`, { complexity: "complex", reason: "Involves a group booking" });
    expect(new URL(response.headers.get("Location") ?? "", "http://surge.test").searchParams.get("notice")).toContain("escalated to experienced agents");
    expect(await db.case.findUniqueOrThrow({ where: { id: caseId } })).toMatchObject({ status: "escalated", assigneeId: null, escalationLevel: 1, complexity: "complex" });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId } })).toMatchObject({
      automatic: true, reasonCode: "auto_reclassified_complex", raisedById: ids.volunteer, note: expect.stringContaining("Involves a group booking"),
    });
  });

  it("escalates cases held too long without a reply or past their due time, once, and leaves the others", async () => {
    const long = await caseHeldBy(ids.volunteer);
    const replied = await caseHeldBy(ids.volunteer);
    const fresh = await caseHeldBy(ids.volunteer);
    const breached = await caseHeldBy(ids.volunteer);
    const agentsLong = await caseHeldBy(ids.agent);
    const hourAgo = new Date(Date.now() - 3_600_000);
    await db.case.updateMany({ where: { id: { in: [long, replied, agentsLong] } }, data: { assignedAt: hourAgo } });
    await db.caseEvent.create({ data: { caseId: replied, type: "replied", actorId: ids.volunteer } });
    await db.case.update({ where: { id: breached }, data: { firstResponseDueAt: new Date(Date.now() - 60_000) } });

    const result = await runAutoEscalation({ heldWithoutReplyMinutes: 30, escalateOnBreach: true });
    expect(result.heldTooLong).toContain(long);
    expect(result.dueBreached).toContain(breached);
    for (const id of [replied, fresh, agentsLong]) expect([...result.heldTooLong, ...result.dueBreached]).not.toContain(id);
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: long } })).toMatchObject({ automatic: true, reasonCode: "auto_held_too_long", raisedById: ids.volunteer, toLevel: 1 });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: breached } })).toMatchObject({ reasonCode: "auto_due_breached", reason: "Due time breached" });
    expect(await db.case.findUniqueOrThrow({ where: { id: breached } })).toMatchObject({ status: "escalated", assigneeId: null, escalationLevel: 1 });
    expect(await db.case.findUniqueOrThrow({ where: { id: agentsLong } })).toMatchObject({ status: "assigned", assigneeId: ids.agent });

    // Handed back to the volunteer, a breached case does not go up again for the same breach.
    await db.case.update({ where: { id: breached }, data: { status: "assigned", assigneeId: ids.volunteer, assignedAt: new Date(), escalationLevel: 0 } });
    const again = await runAutoEscalation({ heldWithoutReplyMinutes: 30, escalateOnBreach: true });
    expect(again.dueBreached).not.toContain(breached);
    expect(await db.escalation.count({ where: { caseId: { in: [long, breached] } } })).toBe(2);
  });
});

describe("automatic escalation in two instances at once", () => {
  it(
    onPostgres ? "two app processes running the job never escalate a case twice and miss none" : "two runs of the job at once never escalate a case twice and miss none",
    async () => {
      const volunteers = await Promise.all(Array.from({ length: 4 }, () => createAgent(db, { role: "volunteer", skills: ["channel:whatsapp", "language:en"] })));
      const caseIds = await insertOpenCases(db, Array.from({ length: 400 }, () => ({ channelId: "whatsapp", language: "en" })));
      const hourAgo = new Date(Date.now() - 3_600_000);
      // Half held too long, half past their due time (and held only a minute).
      for (const [v, volunteer] of volunteers.entries()) {
        const held = caseIds.filter((_, i) => i % volunteers.length === v);
        await db.case.updateMany({ where: { id: { in: held.filter((_, i) => i % 2) } }, data: { status: "assigned", assigneeId: volunteer.id, assignedAt: hourAgo } });
        await db.case.updateMany({
          where: { id: { in: held.filter((_, i) => i % 2 === 0) } },
          data: { status: "assigned", assigneeId: volunteer.id, assignedAt: new Date(Date.now() - 60_000), firstResponseDueAt: new Date(Date.now() - 30_000) },
        });
      }
      let escalated: string[];
      if (onPostgres) {
        const run = promisify(execFile);
        const worker = path.join(root, "tests/support/auto-escalation-worker.ts");
        const env = { ...process.env, DATABASE_URL: process.env.DATABASE_URL!, DATABASE_POOL_MAX: "3" };
        // Both start their first pass at the same moment, whatever their start-up time.
        const startAt = String(Date.now() + 8000);
        const outputs = await Promise.all([1, 2].map(() => run(process.execPath, ["--import", "tsx", worker, startAt], { cwd: root, env, timeout: 120_000 })));
        const results = outputs.map((o) => JSON.parse(o.stdout.trim().split("\n").at(-1)!) as { escalated: string[] });
        escalated = results.flatMap((r) => r.escalated);
      } else {
        const settings = { heldWithoutReplyMinutes: 30, escalateOnBreach: true };
        const runs = await Promise.all([runAutoEscalation(settings), runAutoEscalation(settings), runAutoEscalation(settings)]);
        escalated = runs.flatMap((r) => [...r.heldTooLong, ...r.dueBreached]);
      }
      const ours = escalated.filter((id) => caseIds.includes(id));
      expect(new Set(ours).size).toBe(ours.length); // never twice
      expect(new Set(ours)).toEqual(new Set(caseIds)); // none missed
      expect(await db.escalation.count({ where: { caseId: { in: caseIds } } })).toBe(caseIds.length);
      expect(await db.caseEvent.count({ where: { caseId: { in: caseIds }, type: "escalated" } })).toBe(caseIds.length);
      expect(await db.escalation.count({ where: { caseId: { in: caseIds }, reasonCode: "auto_held_too_long" } })).toBe(200);
      expect(await db.case.count({ where: { id: { in: caseIds }, status: "escalated", assigneeId: null, escalationLevel: 1 } })).toBe(caseIds.length);
    },
    180_000,
  );
});
