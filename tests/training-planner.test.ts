// The planner's side of training over HTTP: the report's figures, who is
// stuck, and granting or revoking a skill by hand (with a reason, audited).
import type { Role, VolunteerOrigin, VolunteerStatus } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { signedIn, type Visitor } from "./support/app-client";

const db = getDb();
const PASSWORD = "training planner password";
const PLAN = ["console-basics", "case-lifecycle", "identity-checks", "written-tone", "refunds-and-vouchers", "rebooking-basics"];
const HOUR = 3_600_000;
const ids: Record<string, string> = {};
let planner: Visitor;
let supervisor: Visitor;
let volunteer: Visitor;

async function person(key: string, role: Role, volunteerProfile?: { origin: VolunteerOrigin; status: VolunteerStatus; startDate?: Date }) {
  const user = await db.user.create({
    data: {
      email: `${key}@report.test`,
      name: `Person ${key.toUpperCase()}`,
      role,
      status: volunteerProfile?.status === "released" ? "disabled" : "active",
      passwordHash: await hashPassword(PASSWORD),
    },
  });
  if (volunteerProfile) {
    await db.volunteer.create({ data: { userId: user.id, employeeNumber: `R-${key}`, ...volunteerProfile } });
  }
  ids[key] = user.id;
  return user;
}

async function passed(userId: string, moduleId: string, startedAt: Date, minutes: number) {
  await db.trainingProgress.create({
    data: { userId, moduleId, status: "passed", startedAt, passedAt: new Date(startedAt.getTime() + minutes * 60_000) },
  });
}

/** The cells of one table row, by their data-cell name. */
function row(html: string, attribute: string): Record<string, string> {
  const start = html.indexOf(`<tr ${attribute}>`);
  expect(start, attribute).toBeGreaterThanOrEqual(0);
  const rowHtml = html.slice(start, html.indexOf("</tr>", start));
  return Object.fromEntries([...rowHtml.matchAll(/data-cell="([^"]+)">([^<]*)</g)].map((match) => [match[1]!, match[2]!]));
}

beforeAll(async () => {
  const now = Date.now();
  await person("planner", "planner");
  await person("supervisor", "supervisor");
  await person("agent", "agent");
  // Pilots: one halfway through the first modules, one who never started (enrolled two days ago).
  await person("p1", "volunteer", { origin: "pilot", status: "training" });
  await passed(ids.p1!, "console-basics", new Date(now - 3 * HOUR), 20);
  await db.trainingProgress.create({ data: { userId: ids.p1!, moduleId: "case-lifecycle", lastSection: "statuses" } });
  await person("p2", "volunteer", { origin: "pilot", status: "invited", startDate: new Date(now - 50 * HOUR) });
  // Ground staff: one failing the first quiz, one certified (every module took 10 minutes).
  await person("g1", "volunteer", { origin: "ground", status: "training" });
  await db.trainingProgress.create({ data: { userId: ids.g1!, moduleId: "console-basics" } });
  for (let i = 0; i < 3; i++) {
    await db.quizAttempt.create({ data: { userId: ids.g1!, moduleId: "console-basics", score: 1, passed: false, answers: {}, createdAt: new Date(now - (30 - i * 10) * 60_000) } });
  }
  await person("g2", "volunteer", { origin: "ground", status: "certified" });
  for (const [index, moduleId] of PLAN.entries()) await passed(ids.g2!, moduleId, new Date(now - (10 - index) * HOUR), 10);
  // Released volunteers are not in the report.
  await person("r1", "volunteer", { origin: "pilot", status: "released" });
  await passed(ids.r1!, "console-basics", new Date(now - 5 * HOUR), 500);

  await db.skill.createMany({
    data: [
      { id: "language:nl", kind: "language", name: "Language: nl" },
      { id: "topic:refunds", kind: "topic", name: "Refunds" },
    ],
    // The reference data migrations already hold these.
    skipDuplicates: true,
  });
  planner = await signedIn("planner@report.test", PASSWORD);
  supervisor = await signedIn("supervisor@report.test", PASSWORD);
  volunteer = await signedIn("p2@report.test", PASSWORD);
});

describe("the training report", () => {
  it("shows completion per module and per cohort, the average time, and who is stuck", async () => {
    const response = await planner.get("/training/report");
    expect(response.status).toBe(200);
    const html = await response.text();

    expect(row(html, 'data-module="console-basics"')).toEqual({
      assigned: "4",
      started: "3",
      passed: "2",
      completion: "50%",
      failed: "3",
      average: "15 min",
    });
    expect(row(html, 'data-module="case-lifecycle"')).toEqual({
      assigned: "4",
      started: "2",
      passed: "1",
      completion: "25%",
      failed: "0",
      average: "10 min",
    });
    expect(row(html, 'data-module="rebooking-basics"')).toMatchObject({ started: "1", passed: "1", completion: "25%" });
    // Pilots: 1 of 12 modules passed; ground staff: 6 of 12.
    expect(row(html, 'data-cohort="pilot"')).toEqual({ learners: "2", certified: "0", "not-started": "1", completion: "8%", average: "20 min" });
    expect(row(html, 'data-cohort="ground"')).toEqual({ learners: "2", certified: "1", "not-started": "0", completion: "50%", average: "10 min" });
    expect(html).not.toContain('data-cohort="office"');
    // (20 + 6 x 10) / 7 modules passed.
    expect(html).toMatch(/data-figure="average"><span class="figure">11 min<\/span>/);
    expect(html).toMatch(/data-figure="learners"><span class="figure">4<\/span>/);

    const stuck = [...html.matchAll(/data-stuck="([^"]+)"/g)].map((match) => match[1]);
    expect(stuck.sort()).toEqual(["g1@report.test", "p2@report.test"]);
    expect(html).toContain("3 failed attempts at &quot;The volunteer console and its limits&quot;");
    expect(html).toMatch(/no progress for (49|50) hours/);
    expect(html).toContain('href="/training/skills?email=g1%40report.test"');
  });

  it("is for planners and supervisors only", async () => {
    expect((await supervisor.get("/training/report")).status).toBe(200);
    expect((await volunteer.get("/training/report")).status).toBe(403);
    expect((await (await signedIn("agent@report.test", PASSWORD)).get("/training/report")).status).toBe(403);
    // Planners read the report but do not take training.
    expect((await planner.get("/training")).status).toBe(403);
  });
});

describe("granting and revoking a skill by hand", () => {
  it("lets a planner grant a skill with a reason, logged, and revoke it with a reason, logged", async () => {
    const page = await planner.get("/training/skills?email=p2%40report.test");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Skills of Person P2");

    const noReason = await planner.post("/training/skills", { intent: "grant", userId: ids.p2!, skillId: "language:nl", reason: "  " });
    expect(noReason.status).toBe(400);
    expect(await noReason.text()).toContain("Write why");
    expect(await db.userSkill.count({ where: { userId: ids.p2! } })).toBe(0);

    const granted = await planner.post("/training/skills", { intent: "grant", userId: ids.p2!, skillId: "language:nl", reason: "Native Dutch speaker" });
    expect(granted.status).toBe(200);
    expect(await granted.text()).toContain("Granted language:nl to Person P2");
    expect(await db.userSkill.findUniqueOrThrow({ where: { userId_skillId: { userId: ids.p2!, skillId: "language:nl" } } })).toMatchObject({
      source: "planner",
      reason: "Native Dutch speaker",
      grantedById: ids.planner,
    });
    const grantAudit = await db.auditLog.findFirstOrThrow({ where: { action: "skill.granted", subjectId: ids.p2! } });
    expect(grantAudit.actorId).toBe(ids.planner);
    expect(grantAudit.data).toEqual({ skillId: "language:nl", reason: "Native Dutch speaker" });

    const twice = await planner.post("/training/skills", { intent: "grant", userId: ids.p2!, skillId: "language:nl", reason: "Native Dutch speaker" });
    expect(twice.status).toBe(409);
    expect((await planner.post("/training/skills", { intent: "grant", userId: ids.p2!, skillId: "topic:nothing", reason: "Because" })).status).toBe(404);

    const revokeNoReason = await planner.post("/training/skills", { intent: "revoke", userId: ids.p2!, skillId: "language:nl", reason: "" });
    expect(revokeNoReason.status).toBe(400);
    expect(await db.userSkill.count({ where: { userId: ids.p2! } })).toBe(1);

    const revoked = await planner.post("/training/skills", { intent: "revoke", userId: ids.p2!, skillId: "language:nl", reason: "Moved to the German queue" });
    expect(revoked.status).toBe(200);
    expect(await db.userSkill.count({ where: { userId: ids.p2! } })).toBe(0);
    const revokeAudit = await db.auditLog.findFirstOrThrow({ where: { action: "skill.revoked", subjectId: ids.p2! } });
    expect(revokeAudit).toMatchObject({ actorId: ids.planner, data: { skillId: "language:nl", reason: "Moved to the German queue", previousSource: "planner" } });
    expect((await planner.post("/training/skills", { intent: "revoke", userId: ids.p2!, skillId: "language:nl", reason: "Once more please" })).status).toBe(404);
  });

  it("can revoke a skill that came from training", async () => {
    await db.userSkill.create({ data: { userId: ids.g2!, skillId: "topic:refunds", source: "training" } });
    const revoked = await planner.post("/training/skills", { intent: "revoke", userId: ids.g2!, skillId: "topic:refunds", reason: "Complaints about refund answers" });
    expect(revoked.status).toBe(200);
    expect(await db.userSkill.count({ where: { userId: ids.g2!, skillId: "topic:refunds" } })).toBe(0);
  });

  it("refuses volunteers, supervisors, and grants to staff who are not volunteers or agents", async () => {
    for (const visitor of [volunteer, supervisor]) {
      expect((await visitor.get("/training/skills")).status).toBe(403);
      expect((await visitor.post("/training/skills", { intent: "grant", userId: ids.p2!, skillId: "language:nl", reason: "I want it" })).status).toBe(403);
      expect((await visitor.post("/training/skills", { intent: "revoke", userId: ids.g2!, skillId: "language:nl", reason: "I want it" })).status).toBe(403);
    }
    expect((await planner.post("/training/skills", { intent: "grant", userId: ids.supervisor!, skillId: "language:nl", reason: "Speaks Dutch" })).status).toBe(403);
    expect(await db.userSkill.count({ where: { userId: { in: [ids.p2!, ids.supervisor!] } } })).toBe(0);
    expect(await db.auditLog.count({ where: { actorId: { in: [ids.p2!, ids.supervisor!] }, action: { startsWith: "skill." } } })).toBe(0);
  });
});
