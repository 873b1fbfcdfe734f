// The capacity board's numbers after a scripted day: cases arrive through
// the intake API, a supervisor assigns one, the agent replies and resolves
// it; due times pass; the rollup job runs; a supervisor's threshold raises
// an alert that shows on the planner's pages and ends when the backlog
// goes. Planners and supervisors read the board; others are refused.
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateCapacityAlerts } from "../app/capacity/capacity-alerts.server";
import { rollupCapacity } from "../app/capacity/capacity-rollup.server";
import { capacityBoard } from "../app/capacity/capacity.server";
import { setPresence } from "../app/cases/routing.server";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, type Visitor } from "./support/app-client";
import { createAgent, intakeCase, postIntake } from "./support/case-fixtures";

// The board counts agents heard from within the presence silence; this file's steps may take longer than the default minute.
process.env.SURGE_PRESENCE_SILENCE_SECONDS = "3600";
const db = getDb();
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;
const signIn = (role: string) => signedIn(account(role).email, account(role).password);
let supervisor: Visitor;
let planner: Visitor;
let agentVisitor: Visitor;
let agentId: string;
const caseIds: string[] = [];

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  // The one agent online: Dutch WhatsApp only.
  agentId = (await createAgent(db, { skills: ["channel:whatsapp", "language:nl"], email: "capacity-agent@surge.test", name: "Capacity Agent" })).id;
  await db.user.update({ where: { id: agentId }, data: { passwordHash: await hashPassword("capacity agent password") } });
  await setPresence(agentId, true);
  // A second agent for email in English, offline: not counted.
  await createAgent(db, { skills: ["channel:email", "language:en"] });
  [supervisor, planner, agentVisitor] = await Promise.all([signIn("supervisor"), signIn("planner"), signedIn("capacity-agent@surge.test", "capacity agent password")]);
});

const row = async (key: string) => (await capacityBoard()).rows.find((r) => r.key === key);

describe("capacity board after a scripted sequence", () => {
  it("counts new cases per channel and language as they arrive", async () => {
    for (let i = 0; i < 3; i++) {
      const response = await postIntake(intakeCase({ channelId: "whatsapp", language: "nl", topics: [] }));
      expect(response.status).toBe(201);
      caseIds.push(((await response.json()) as { caseId: string }).caseId);
    }
    expect((await postIntake(intakeCase({ channelId: "email", language: "en", topics: [] }))).status).toBe(201);
    const wa = await row("whatsapp|nl");
    expect(wa).toMatchObject({ open: 3, waiting: 3, arrivals15: 3, arrivals60: 3, resolved60: 0, escalated: 0, agentsOnline: 1, slots: 3, freeSlots: 3, serviceLevel: null });
    expect(wa!.oldestWaitMinutes).toBe(0);
    expect(wa!.model).toBe("erlang_c");
    expect(wa!.inputs).toMatchObject({ arrivalsPerHour: 3, concurrency: 3, backlog: 3, agents: 1 });
    const email = await row("email|en");
    expect(email).toMatchObject({ open: 1, agentsOnline: 0, model: "workload" });
    // Nobody online for English email: short of agents, said in words.
    expect(email!.underTarget.join(" ")).toMatch(/short of \d+ agent/);
  });

  it("follows assignment, the first reply and the resolution", async () => {
    const [first] = caseIds;
    expect((await supervisor.post(`/cases/${first}/assign`, { assigneeId: agentId })).status).toBe(302);
    let wa = await row("whatsapp|nl");
    expect(wa).toMatchObject({ open: 3, waiting: 2, freeSlots: 2 });
    expect(wa!.occupancy).toBeCloseTo(1 / 3, 10);

    const thanks = await db.replyTemplate.findFirstOrThrow({ where: { name: "Thanks, we are on it", language: "en" } });
    expect((await agentVisitor.post(`/cases/${first}`, { intent: "reply", templateId: thanks.id, text: "" })).status).toBe(200);
    expect((await agentVisitor.post(`/cases/${first}`, { intent: "resolve", reasons: ["refund"] })).status).toBe(200);
    wa = await row("whatsapp|nl");
    expect(wa).toMatchObject({ open: 2, waiting: 2, resolved60: 1, freeSlots: 3 });
  });

  it("measures the service level on first replies that fell due in the last hour", async () => {
    const [first, second] = caseIds;
    const kase = await db.case.findUniqueOrThrow({ where: { id: first } });
    // The answered case fell due just after its reply; the second, unanswered, too: one met, one breach.
    const due = new Date(kase.firstRespondedAt!.getTime() + 1);
    await new Promise((resolve) => setTimeout(resolve, 5));
    await db.case.updateMany({ where: { id: { in: [first!, second!] } }, data: { firstResponseDueAt: due } });
    const wa = await row("whatsapp|nl");
    expect(wa).toMatchObject({ met60: 1, missed60: 1, serviceLevel: 0.5 });
    expect(wa!.underTarget[0]).toBe("service level 50% is below the 80% target");
  });

  it("shows the board to planners and supervisors only, with under-target rows in words", async () => {
    const page = await (await planner.get("/capacity")).text();
    expect(page).toContain("Under target");
    expect(page).toContain("WhatsApp, Dutch");
    expect((await supervisor.get("/capacity")).status).toBe(200);
    expect((await agentVisitor.get("/capacity")).status).toBe(403);
    expect((await signIn("agent").then((v) => v.get("/capacity"))).status).toBe(403);
    expect((await signIn("volunteer").then((v) => v.get("/capacity/history"))).status).toBe(403);
  });

  it("rolls the hour up for history, handling times and the daily report", async () => {
    expect(await rollupCapacity()).toBeGreaterThan(0);
    const hour = new Date(Math.floor(Date.now() / 3_600_000) * 3_600_000);
    const rolled = await db.capacityHour.findUniqueOrThrow({ where: { hour_channelId_language: { hour, channelId: "whatsapp", language: "nl" } } });
    expect(rolled).toMatchObject({ arrivals: 3, resolved: 1, handled: 1, closed: 1, agentsOnline: 1 });
    // Within the same minute nothing changes, so a second run writes nothing new.
    await rollupCapacity();
    expect(await db.capacityHour.count({ where: { hour, channelId: "whatsapp", language: "nl" } })).toBe(1);

    const day = hour.toISOString().slice(0, 10);
    const csv = await (await planner.get(`/capacity/report.csv?day=${day}`)).text();
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe("day,channel,language,arrivals,deflected,resolved,average_handling_minutes,first_replies_in_time,first_replies_late,service_level_percent,peak_agents_online,top_contact_reasons");
    const dutch = lines.find((l) => l.startsWith(`${day},whatsapp,nl,`))!;
    expect(dutch.split(",").slice(3, 6)).toEqual(["3", "0", "1"]);
    expect(dutch).toContain("refund (1)");
    expect(lines.some((l) => l.startsWith(`${day},whatsapp,all,3,`))).toBe(true);
    const history = await (await planner.get("/capacity/history?channel=whatsapp&language=nl")).text();
    expect(history).toContain("Arrivals per hour, WhatsApp, Dutch");
  });

  it("raises an alert on a supervisor's threshold, shows it to planners, and ends it with the breach", async () => {
    expect((await planner.post("/capacity/alerts", { intent: "add", metric: "backlog", channelId: "whatsapp", language: "", value: "1" })).status).toBe(403);
    expect((await supervisor.post("/capacity/alerts", { intent: "add", metric: "backlog", channelId: "whatsapp", language: "", value: "" })).status).toBe(400);
    expect((await supervisor.post("/capacity/alerts", { intent: "add", metric: "backlog", channelId: "whatsapp", language: "", value: "1" })).status).toBe(200);
    expect(await evaluateCapacityAlerts()).toMatchObject({ opened: 1, ended: 0 });
    // Evaluated again (another instance, the next run): still one alert.
    expect(await evaluateCapacityAlerts()).toMatchObject({ opened: 0, ended: 0 });
    const alert = await db.capacityAlert.findFirstOrThrow({ where: { endedAt: null } });
    expect(alert).toMatchObject({ metric: "backlog", channelId: "whatsapp", limit: 1, startValue: 2 });
    expect(await (await planner.get("/volunteers")).text()).toContain("Backlog above 1 open cases on WhatsApp, all languages");

    await db.case.updateMany({ where: { id: { in: caseIds.slice(1) } }, data: { status: "closed", closedAt: new Date() } });
    expect(await evaluateCapacityAlerts()).toMatchObject({ opened: 0, ended: 1 });
    const ended = await db.capacityAlert.findUniqueOrThrow({ where: { id: alert.id } });
    expect(ended.endedAt).not.toBeNull();
    const list = await (await planner.get("/capacity/alerts")).text();
    expect(list).not.toContain("going on");
    expect(await (await planner.get("/volunteers")).text()).not.toContain("Capacity alert");
  });
});
