// Routing with escalations, skill relaxation and presence (issue 15, points
// 2, 7 and 8), against the real dequeue function: experts take escalated and
// open cases in one priority order (or escalations first), volunteers never
// get escalated cases, relaxed pools open only after the configured wait,
// and every path that hands a case back (lapsed presence, push time-out,
// sign-out, expired session) returns each case once, even with the jobs run
// twice at once.
import { Prisma } from "@prisma/client";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  lapseSilentAgents,
  markOpenedByAssignee,
  returnCasesOfEndedSessions,
  returnUnopenedCases,
  signOutFromRouting,
} from "../app/cases/presence.server";
import { forgetRoutingContext, saveRoutingSettings, loadRoutingSettings, routingContext } from "../app/cases/routing-settings.server";
import { forgetChannelCapacities, isOnline, nextCaseFor, setPresence } from "../app/cases/routing.server";
import { getDb } from "../app/db/db.server";
import { formDefaults, field } from "../app/cases/routing-settings-form";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, type Visitor } from "./support/app-client";
import { createAgent, insertOpenCases } from "./support/case-fixtures";

const db = getDb();
let supervisorId: string;
// Each test uses a language of its own, so earlier tests' cases never match.
let languageIndex = 0;
const LANGUAGES = ["nl", "fr", "de", "es", "it", "pt", "zh", "ja", "ko", "en"];
function freshLanguage(): string {
  return LANGUAGES[languageIndex++ % LANGUAGES.length]!;
}

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  supervisorId = (await db.user.findUniqueOrThrow({ where: { email: "supervisor@surge.test" } })).id;
  // Clear the demo's cases of the channel used here, so only this file's cases route.
  await db.case.updateMany({ where: { channelId: "line", status: { in: ["open", "escalated"] } }, data: { status: "closed" } });
  forgetChannelCapacities();
});

beforeEach(async () => {
  const { version } = await loadRoutingSettings();
  await saveRoutingSettings({ escalationsFirst: false, relaxation: {} }, version, { id: supervisorId });
  forgetRoutingContext();
});

async function escalatedCases(rows: { language: string; level: number; priorityTier: number; minutesAgo: number; complexity?: "simple" | "complex" }[]) {
  const ids = await insertOpenCases(
    db,
    rows.map((row) => ({ channelId: "line", language: row.language, complexity: row.complexity ?? "complex", priorityTier: row.priorityTier, receivedAt: new Date(Date.now() - row.minutesAgo * 60_000) })),
  );
  for (const [index, id] of ids.entries()) {
    const level = rows[index]!.level;
    await db.case.update({ where: { id }, data: { status: "escalated", escalationLevel: level } });
    await db.escalation.create({ data: { caseId: id, reason: "Unsure", reasonCode: "unsure", fromLevel: level - 1, toLevel: level } });
  }
  return ids;
}

async function openCases(rows: { language: string; priorityTier: number; minutesAgo: number; complexity?: "simple" | "complex" }[]) {
  return insertOpenCases(
    db,
    rows.map((row) => ({ channelId: "line", language: row.language, complexity: row.complexity ?? "simple", priorityTier: row.priorityTier, receivedAt: new Date(Date.now() - row.minutesAgo * 60_000) })),
  );
}

async function takeAll(agentId: string): Promise<string[]> {
  const taken: string[] = [];
  for (;;) {
    const result = await nextCaseFor(agentId, { rescore: false });
    if (!result.ok) return taken;
    taken.push(result.caseId);
  }
}

async function assignedEvent(caseId: string) {
  return db.caseEvent.findFirstOrThrow({ where: { caseId, type: "assigned" }, orderBy: { createdAt: "desc" } });
}

describe("escalated cases in the dequeue", () => {
  it("an experienced agent takes escalated and open cases in one priority order; level 2 stays for level 2", async () => {
    await db.channel.update({ where: { id: "line" }, data: { maxConcurrentPerAgent: 10 } });
    forgetChannelCapacities();
    const language = freshLanguage();
    const [escalatedTier3, escalatedTier1Level2] = await escalatedCases([
      { language, level: 1, priorityTier: 3, minutesAgo: 5 },
      { language, level: 2, priorityTier: 1, minutesAgo: 50 },
    ]);
    const [openTier2, openTier3Older, openTier8] = await openCases([
      { language, priorityTier: 2, minutesAgo: 1 },
      { language, priorityTier: 3, minutesAgo: 30 },
      { language, priorityTier: 8, minutesAgo: 90 },
    ]);
    const expert = await createAgent(db, { skills: ["channel:line", `language:${language}`] });
    // Tier first, then waiting time; the level-2 case is not for a level-1 agent.
    expect(await takeAll(expert.id)).toEqual([openTier2, openTier3Older, escalatedTier3, openTier8]);
    const kase = await db.case.findUniqueOrThrow({ where: { id: escalatedTier3! } });
    expect(kase).toMatchObject({ status: "assigned", assigneeId: expert.id, escalationLevel: 1 });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: escalatedTier3! } })).toMatchObject({ status: "taken", expertId: expert.id });
    expect((await assignedEvent(escalatedTier3!)).data).toEqual({ to: expert.id, via: "next_case", escalationLevel: 1 });
    expect((await assignedEvent(openTier2!)).data).toEqual({ to: expert.id, via: "next_case" });
    expect(await db.case.findUniqueOrThrow({ where: { id: escalatedTier1Level2! } })).toMatchObject({ status: "escalated", assigneeId: null });
  });

  it("with escalations first, an expert gets every escalation before any open case", async () => {
    const language = freshLanguage();
    const { version } = await loadRoutingSettings();
    await saveRoutingSettings({ escalationsFirst: true, relaxation: {} }, version, { id: supervisorId });
    const [open1] = await openCases([{ language, priorityTier: 1, minutesAgo: 1 }]);
    const [esc8, esc5] = await escalatedCases([
      { language, level: 1, priorityTier: 8, minutesAgo: 1 },
      { language, level: 1, priorityTier: 5, minutesAgo: 1 },
    ]);
    const expert = await createAgent(db, { skills: ["channel:line", `language:${language}`] });
    expect(await takeAll(expert.id)).toEqual([esc5, esc8, open1]);
  });

  it("a volunteer never gets an escalated case, even a simple one at the head of the queue", async () => {
    const language = freshLanguage();
    const [escalated] = await escalatedCases([{ language, level: 1, priorityTier: 1, minutesAgo: 60, complexity: "simple" }]);
    const [open] = await openCases([{ language, priorityTier: 8, minutesAgo: 1 }]);
    const volunteer = await createAgent(db, { role: "volunteer", skills: ["channel:line", `language:${language}`] });
    expect(await takeAll(volunteer.id)).toEqual([open]);
    expect(await db.case.findUniqueOrThrow({ where: { id: escalated! } })).toMatchObject({ status: "escalated", assigneeId: null });
  });

  it("a volunteer gets the open simple case behind forty escalated simple ones, in order, with resolved cases not counted as held", async () => {
    await db.channel.update({ where: { id: "line" }, data: { maxConcurrentPerAgent: 1 } });
    forgetChannelCapacities();
    try {
      const language = freshLanguage();
      await escalatedCases(Array.from({ length: 40 }, (_, i) => ({ language, level: 1, priorityTier: 1, minutesAgo: 60 - i, complexity: "simple" as const })));
      const [openTier7, openTier8] = await openCases([
        { language, priorityTier: 7, minutesAgo: 1 },
        { language, priorityTier: 8, minutesAgo: 5 },
      ]);
      const volunteer = await createAgent(db, { role: "volunteer", skills: ["channel:line", `language:${language}`] });
      // Cases the volunteer already resolved hold no slot.
      const [done1, done2] = await openCases([
        { language, priorityTier: 8, minutesAgo: 200 },
        { language, priorityTier: 8, minutesAgo: 201 },
      ]);
      await db.case.updateMany({ where: { id: { in: [done1!, done2!] } }, data: { status: "resolved", assigneeId: volunteer.id, resolvedAt: new Date() } });
      expect(await takeAll(volunteer.id)).toEqual([openTier7]);
      await db.case.update({ where: { id: openTier7! }, data: { status: "resolved", resolvedAt: new Date() } });
      expect(await takeAll(volunteer.id)).toEqual([openTier8]);
    } finally {
      await db.channel.update({ where: { id: "line" }, data: { maxConcurrentPerAgent: 10 } });
      forgetChannelCapacities();
    }
  });

  it("capacity counts escalations taken: an expert with one slot gets one case", async () => {
    await db.channel.update({ where: { id: "line" }, data: { maxConcurrentPerAgent: 1 } });
    forgetChannelCapacities();
    try {
      const language = freshLanguage();
      const [escalated] = await escalatedCases([{ language, level: 1, priorityTier: 1, minutesAgo: 1 }]);
      await openCases([{ language, priorityTier: 2, minutesAgo: 1 }]);
      const expert = await createAgent(db, { skills: ["channel:line", `language:${language}`] });
      expect(await takeAll(expert.id)).toEqual([escalated]);
      const refused = await nextCaseFor(expert.id, { rescore: false });
      expect(refused).toMatchObject({ ok: false, reason: "at_capacity" });
    } finally {
      await db.channel.update({ where: { id: "line" }, data: { maxConcurrentPerAgent: 10 } });
      forgetChannelCapacities();
    }
  });
});

describe("skill relaxation", () => {
  it("offers a complex case to a basic-level speaker only after the step's wait, and records the step", async () => {
    const language = freshLanguage();
    const [young, old] = await openCases([
      { language, priorityTier: 1, minutesAgo: 5, complexity: "complex" },
      { language, priorityTier: 2, minutesAgo: 25, complexity: "complex" },
    ]);
    const basicSpeaker = await createAgent(db, { skills: ["channel:line"] });
    await db.userSkill.create({ data: { userId: basicSpeaker.id, skillId: `language:${language}`, source: "planner", proficiency: "basic" } });
    // Off by default: nothing for them.
    expect(await takeAll(basicSpeaker.id)).toEqual([]);
    const { version } = await loadRoutingSettings();
    await saveRoutingSettings({ escalationsFirst: false, relaxation: { line: { enabled: true, steps: [{ widen: "basic-language", afterMinutes: 20 }] } } }, version, { id: supervisorId });
    // Only the case that waited 20 minutes or more; the young one, though more urgent, stays.
    expect(await takeAll(basicSpeaker.id)).toEqual([old]);
    expect((await assignedEvent(old!)).data).toEqual({ to: basicSpeaker.id, via: "next_case", relaxationStep: 1, relaxation: "basic-language" });
    expect(await db.case.findUniqueOrThrow({ where: { id: young! } })).toMatchObject({ status: "open" });
  });

  it("step 2 offers the case to agents of another channel, keeping step 1", async () => {
    const language = freshLanguage();
    const [lineCase] = await openCases([{ language, priorityTier: 4, minutesAgo: 45 }]);
    const messengerAgent = await createAgent(db, { skills: ["channel:messenger", `language:${language}`] });
    const { version } = await loadRoutingSettings();
    const relaxation = {
      line: {
        enabled: true,
        steps: [
          { widen: "basic-language" as const, afterMinutes: 10 },
          { widen: "other-channel" as const, afterMinutes: 60, channels: ["messenger" as const] },
        ],
      },
    };
    await saveRoutingSettings({ escalationsFirst: false, relaxation }, version, { id: supervisorId });
    expect(await takeAll(messengerAgent.id)).toEqual([]);
    await db.case.update({ where: { id: lineCase! }, data: { receivedAt: new Date(Date.now() - 61 * 60_000) } });
    expect(await takeAll(messengerAgent.id)).toEqual([lineCase]);
    expect((await assignedEvent(lineCase!)).data).toEqual({ to: messengerAgent.id, via: "next_case", relaxationStep: 2, relaxation: "other-channel" });
  });
});

async function heldCase(agentId: string, options: { assignedSecondsAgo: number; openedSecondsAgo?: number; escalationLevel?: number }) {
  const [caseId] = await openCases([{ language: "en", priorityTier: 8, minutesAgo: 1 }]);
  const assignedAt = new Date(Date.now() - options.assignedSecondsAgo * 1000);
  await db.case.update({
    where: { id: caseId! },
    data: {
      status: "assigned",
      assigneeId: agentId,
      assignedAt,
      escalationLevel: options.escalationLevel ?? 0,
      openedAt: options.openedSecondsAgo === undefined ? null : new Date(Date.now() - options.openedSecondsAgo * 1000),
    },
  });
  if (options.escalationLevel)
    await db.escalation.create({ data: { caseId: caseId!, reason: "Unsure", reasonCode: "unsure", toLevel: options.escalationLevel, status: "taken", expertId: agentId, takenAt: assignedAt } });
  return caseId!;
}

async function returnEvents(caseIds: string[]) {
  return db.caseEvent.findMany({ where: { caseId: { in: caseIds }, type: "returned_to_queue" }, select: { caseId: true, data: true } });
}

describe("presence and time-outs", () => {
  it("a lapsed heartbeat sets the agent offline and returns only their untouched cases, once, with the job run twice at once", async () => {
    const agent = await createAgent(db, { skills: ["channel:line", "language:en"] });
    await setPresence(agent.id, true);
    const untouched = await heldCase(agent.id, { assignedSecondsAgo: 10 });
    const started = await heldCase(agent.id, { assignedSecondsAgo: 10 });
    await db.caseEvent.create({ data: { caseId: started, type: "note_added", actorId: agent.id } });
    // Heard from 30 s ago: within a 60 s silence nothing happens.
    await db.agentPresence.update({ where: { userId: agent.id }, data: { lastSeenAt: new Date(Date.now() - 30_000) } });
    expect((await lapseSilentAgents(60_000)).agents).not.toContain(agent.id);
    expect(await isOnline(agent.id)).toBe(true);
    await db.agentPresence.update({ where: { userId: agent.id }, data: { lastSeenAt: new Date(Date.now() - 90_000) } });
    // The isOnline rule already says offline before the job flips the row.
    expect(await isOnline(agent.id)).toBe(false);
    const runs = await Promise.all([lapseSilentAgents(60_000), lapseSilentAgents(60_000)]);
    expect(runs.flatMap((run) => run.agents).filter((id) => id === agent.id)).toEqual([agent.id]);
    expect(runs.flatMap((run) => run.returned)).toEqual([untouched]);
    expect(await db.agentPresence.findUniqueOrThrow({ where: { userId: agent.id } })).toMatchObject({ online: false });
    expect(await returnEvents([untouched, started])).toEqual([{ caseId: untouched, data: { from: agent.id, why: "presence_lapsed", to: "open" } }]);
    expect(await db.case.findUniqueOrThrow({ where: { id: started } })).toMatchObject({ status: "assigned", assigneeId: agent.id });
  });

  it("the push time-out returns cases not opened in time, an escalation to its escalation queue, and leaves opened ones", async () => {
    const agent = await createAgent(db, { skills: ["channel:line", "language:en"] });
    const late = await heldCase(agent.id, { assignedSecondsAgo: 200 });
    const lateEscalation = await heldCase(agent.id, { assignedSecondsAgo: 200, escalationLevel: 1 });
    const openedBefore = await heldCase(agent.id, { assignedSecondsAgo: 200, openedSecondsAgo: 300 }); // opened in an earlier assignment
    const opened = await heldCase(agent.id, { assignedSecondsAgo: 200 });
    expect(await markOpenedByAssignee(opened, agent.id)).toBe(true);
    expect(await markOpenedByAssignee(opened, agent.id)).toBe(false); // once per assignment
    const fresh = await heldCase(agent.id, { assignedSecondsAgo: 30 });
    const [first, second] = await Promise.all([returnUnopenedCases(120_000), returnUnopenedCases(120_000)]);
    const returned = [...first!, ...second!];
    expect(returned.filter((id) => [late, lateEscalation, openedBefore, opened, fresh].includes(id)).sort()).toEqual([late, lateEscalation, openedBefore].sort());
    expect(new Set(returned).size).toBe(returned.length);
    expect(await db.case.findUniqueOrThrow({ where: { id: lateEscalation } })).toMatchObject({ status: "escalated", assigneeId: null, escalationLevel: 1 });
    expect(await db.escalation.findFirstOrThrow({ where: { caseId: lateEscalation } })).toMatchObject({ status: "open", expertId: null });
    expect(await db.case.findUniqueOrThrow({ where: { id: late } })).toMatchObject({ status: "open", assigneeId: null });
    const events = await returnEvents([late, lateEscalation, opened, fresh]);
    expect(events.map((e) => [e.caseId, (e.data as { why: string }).why]).sort()).toEqual([
      [late, "push_timeout"],
      [lateEscalation, "push_timeout"],
    ].sort());
    expect(await db.case.findUniqueOrThrow({ where: { id: fresh } })).toMatchObject({ status: "assigned" });
  });

  it("signing out and an expired session hand back untouched cases", async () => {
    const leaving = await createAgent(db, { skills: ["channel:line", "language:en"] });
    await setPresence(leaving.id, true);
    const leftBehind = await heldCase(leaving.id, { assignedSecondsAgo: 5 });
    expect(await signOutFromRouting(leaving.id)).toEqual([leftBehind]);
    expect(await isOnline(leaving.id)).toBe(false);

    const expired = await createAgent(db, { skills: ["channel:line", "language:en"] });
    const stillSignedIn = await createAgent(db, { skills: ["channel:line", "language:en"] });
    await db.session.createMany({
      data: [
        { id: `s-${expired.id}`, userId: expired.id, expiresAt: new Date(Date.now() - 1000) },
        { id: `s-old-${stillSignedIn.id}`, userId: stillSignedIn.id, expiresAt: new Date(Date.now() - 1000) },
        { id: `s-new-${stillSignedIn.id}`, userId: stillSignedIn.id, expiresAt: new Date(Date.now() + 3_600_000) },
      ],
    });
    const expiredCase = await heldCase(expired.id, { assignedSecondsAgo: 5 });
    const keptCase = await heldCase(stillSignedIn.id, { assignedSecondsAgo: 5 });
    const runs = await Promise.all([returnCasesOfEndedSessions(), returnCasesOfEndedSessions()]);
    expect(runs.flatMap((run) => run.returned)).toEqual([expiredCase]);
    expect(await db.session.count({ where: { userId: { in: [expired.id, stillSignedIn.id] } } })).toBe(1);
    expect(await db.case.findUniqueOrThrow({ where: { id: keptCase } })).toMatchObject({ status: "assigned" });
    const why = await db.caseEvent.findFirstOrThrow({ where: { caseId: expiredCase, type: "returned_to_queue" } });
    expect(why.data).toMatchObject({ why: "session_expired", from: expired.id });
    expect(await db.$queryRaw<{ n: number }[]>(Prisma.sql`SELECT count(*)::int AS n FROM "CaseEvent" WHERE "caseId" = ${leftBehind} AND data->>'why' = 'signed_out'`)).toEqual([{ n: 1 }]);
  });
});

const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const signIn = (role: string) => signedIn(account(role).email, account(role).password);

/** The routing settings form as the page loads it, as posted fields. */
async function loadedForm(): Promise<Record<string, string | string[]>> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(formDefaults(await loadRoutingSettings()))) {
    if (value === true) fields[name] = "on";
    else if (Array.isArray(value)) fields[name] = value;
    else if (value !== false) fields[name] = String(value);
  }
  return fields;
}

describe("the routing context cache", () => {
  it("loads once for every request that finds it stale at the same moment, and again after a save", async () => {
    forgetRoutingContext();
    const many = await Promise.all(Array.from({ length: 20 }, () => routingContext()));
    // One load shared by all: the very same object, not twenty copies.
    expect(new Set(many).size).toBe(1);
    expect(await routingContext()).toBe(many[0]);
    const { version } = await loadRoutingSettings();
    await saveRoutingSettings({ escalationsFirst: true, relaxation: {} }, version, { id: supervisorId });
    const after = await routingContext();
    expect(after).not.toBe(many[0]);
    expect(after.escalationsFirst).toBe(true);
  });
});

describe("the routing settings screen (/routing)", () => {
  it("is for supervisors: others get 403, crafted posts included", async () => {
    const supervisor = await signIn("supervisor");
    expect((await supervisor.get("/routing")).status).toBe(200);
    for (const role of ["agent", "volunteer", "planner"]) {
      const visitor = await signIn(role);
      expect((await visitor.get("/routing")).status).toBe(403);
      expect((await visitor.post("/routing", { ...(await loadedForm()), escalationsFirst: "on" })).status).toBe(403);
    }
    expect((await loadRoutingSettings()).escalationsFirst).toBe(false);
  });

  it("saves escalations first and relaxation steps with an audit row, refuses bad steps, and writes nothing when nothing changed", async () => {
    const supervisor: Visitor = await signIn("supervisor");
    const form = await loadedForm();
    const bad = await supervisor.post("/routing", {
      ...form,
      [field.enabled("whatsapp")]: "on",
      [field.widen("whatsapp", 1)]: "other-channel",
      [field.after("whatsapp", 1)]: "0",
      [field.widen("email", 1)]: "basic-language",
      [field.after("email", 1)]: "30",
      [field.widen("email", 2)]: "basic-language",
      [field.after("email", 2)]: "20",
    });
    expect(bad.status).toBe(400);
    const refused = await bad.text();
    expect(refused).toContain("Minutes: a whole number from 1 to 10080");
    expect(refused).toContain("WhatsApp: Pick at least one other channel");
    expect(refused).toContain("Email: Each step waits longer than the one before");

    const before = (await loadRoutingSettings()).version;
    const saved = await supervisor.post("/routing", {
      ...form,
      escalationsFirst: "on",
      [field.enabled("whatsapp")]: "on",
      [field.widen("whatsapp", 1)]: "basic-language",
      [field.after("whatsapp", 1)]: "10",
      [field.widen("whatsapp", 2)]: "other-channel",
      [field.after("whatsapp", 2)]: "40",
      [field.channels("whatsapp")]: ["messenger", "line"],
    });
    expect(saved.status).toBe(200);
    expect(await saved.text()).toContain("Saved.");
    const stored = await loadRoutingSettings();
    expect(stored).toEqual({
      escalationsFirst: true,
      version: before + 1,
      relaxation: {
        whatsapp: {
          enabled: true,
          steps: [
            { widen: "basic-language", afterMinutes: 10 },
            { widen: "other-channel", afterMinutes: 40, channels: ["messenger", "line"] },
          ],
        },
      },
    });
    expect(await db.auditLog.count({ where: { action: "routing.settings_updated", subjectType: "RoutingSettings" } })).toBeGreaterThan(0);
    // The page shows the steps it saved.
    expect(await (await supervisor.get("/routing")).text()).toContain("after 40 min without an exact match: also agents serving Messenger, LINE");
    // Saved again as loaded: nothing written.
    const audits = await db.auditLog.count({ where: { action: "routing.settings_updated" } });
    const again = await supervisor.post("/routing", await loadedForm());
    expect(await again.text()).toContain("Nothing changed.");
    expect((await loadRoutingSettings()).version).toBe(before + 1);
    expect(await db.auditLog.count({ where: { action: "routing.settings_updated" } })).toBe(audits);
    // A form opened on an older version is refused.
    const stale = await supervisor.post("/routing", { ...(await loadedForm()), version: String(before), escalationsFirst: [] });
    expect(stale.status).toBe(409);
  });
});

describe("presence through the app", () => {
  it("the open console's stream is the heartbeat, opening a case stops the push time-out, signing out hands back untouched cases", async () => {
    const agent = await signIn("agent");
    const agentId = (await db.user.findUniqueOrThrow({ where: { email: account("agent").email } })).id;
    await db.agentPresence.upsert({ where: { userId: agentId }, update: { online: true, lastSeenAt: new Date(Date.now() - 3_600_000) }, create: { userId: agentId, online: true, lastSeenAt: new Date(Date.now() - 3_600_000) } });
    const live = await agent.get("/live");
    expect(live.status).toBe(200);
    const reader = live.body!.getReader();
    await reader.read();
    await expect.poll(async () => (await db.agentPresence.findUniqueOrThrow({ where: { userId: agentId } })).lastSeenAt.getTime(), { timeout: 5000 }).toBeGreaterThan(Date.now() - 10_000);
    await reader.cancel();
    expect(await isOnline(agentId)).toBe(true);

    const opened = await heldCase(agentId, { assignedSecondsAgo: 300 });
    const untouched = await heldCase(agentId, { assignedSecondsAgo: 5 });
    expect((await agent.get(`/cases/${opened}`)).status).toBe(200);
    expect(await returnUnopenedCases(120_000)).not.toContain(opened);
    // Someone else looking at it does not count as the assignee opening it.
    const other = await heldCase(agentId, { assignedSecondsAgo: 300 });
    expect((await (await signIn("supervisor")).get(`/cases/${other}`)).status).toBe(200);
    expect(await returnUnopenedCases(120_000)).toContain(other);

    // Working on a case (a note) keeps it through sign-out; merely opening it does not.
    await db.caseEvent.create({ data: { caseId: opened, type: "note_added", actorId: agentId } });
    // Signed in on a second browser: signing out of one hands nothing back.
    const elsewhere = await signIn("agent");
    expect((await elsewhere.post("/logout", {})).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: untouched } })).toMatchObject({ status: "assigned", assigneeId: agentId });
    // Other tests of this file signed the demo agent in too: only this browser's session is left.
    await db.session.deleteMany({ where: { userId: agentId, id: { not: agent.cookies.get("surge_session") ?? "" } } });
    expect((await agent.post("/logout", {})).status).toBe(302);
    expect(await db.case.findUniqueOrThrow({ where: { id: untouched } })).toMatchObject({ status: "open", assigneeId: null });
    expect(await db.case.findUniqueOrThrow({ where: { id: opened } })).toMatchObject({ status: "assigned", assigneeId: agentId });
    expect(await isOnline(agentId)).toBe(false);
  });
});

describe("why a case reached its agent, on the case page", () => {
  it("an agent's Next case opens an escalated case that says it came from the level-1 escalation queue", async () => {
    const agentId = (await db.user.findUniqueOrThrow({ where: { email: account("agent").email } })).id;
    const skills = (await db.userSkill.findMany({ where: { userId: agentId } })).map((s) => s.skillId);
    const channelId = skills.find((s) => s.startsWith("channel:"))!.slice(8);
    const language = skills.find((s) => s.startsWith("language:"))!.slice(9);
    const { version } = await loadRoutingSettings();
    await saveRoutingSettings({ escalationsFirst: true, relaxation: {} }, version, { id: supervisorId });
    const [caseId] = await insertOpenCases(db, [{ channelId, language, complexity: "complex", priorityTier: 1, receivedAt: new Date(Date.now() - 86_400_000 * 3) }]);
    await db.case.update({ where: { id: caseId! }, data: { status: "escalated", escalationLevel: 1 } });
    const agent = await signIn("agent");
    const next = await agent.post("/cases/next", {});
    expect(next.status).toBe(302);
    expect(next.headers.get("Location")).toBe(`/cases/${caseId}`);
    const page = await (await agent.get(`/cases/${caseId}`)).text();
    expect(page).toContain("How it reached its agent");
    expect(page).toContain("Next case; escalation queue, level 1 (Experienced agents); exact match of skills");
    // Opening it stamped openedAt: the push time-out leaves it with the agent.
    expect((await db.case.findUniqueOrThrow({ where: { id: caseId! } })).openedAt).not.toBeNull();
  });
});
