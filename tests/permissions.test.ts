// Permissions over HTTP against the real routes: every actor x the pages and
// actions that matter x own / another's / escalated case and a released
// user; crafted posts for hidden actions; hidden fields; packed rules; the
// gestures toolkit and the supervisor screen.
import type { Role } from "@prisma/client";
import { decode } from "turbo-stream";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { evaluatePriority } from "../app/cases/priority-model";
import { DEFAULT_PRIORITY_RULE_SET } from "../app/cases/priority-rules";
import { defineAbilityFor, packAbility } from "../app/permissions/ability";
import { loadAbilityFacts } from "../app/permissions/ability-facts.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
type Who = "signed_out" | Role | "paused" | "released";
const visitors = new Map<Who, Visitor>();
const ids = { volunteer: "", agent: "", released: "", volunteerCase: "", secondVolunteerCase: "", thirdVolunteerCase: "", agentCase: "", escalatedCase: "", escalatedByVolunteer: "" };
const PASSWORD = "permissions-test-password";

async function volunteerAccount(email: string, status: "paused" | "released", employeeNumber: string) {
  return db.user.create({
    data: {
      email,
      name: `A ${status} volunteer`,
      role: "volunteer",
      // Still "active" as an account: the volunteer status alone must take everything away.
      status: "active",
      passwordHash: await hashPassword(PASSWORD),
      volunteer: { create: { employeeNumber, origin: "cabin_crew", status } },
      skills: { create: [{ skillId: "channel:whatsapp", source: "training" }, { skillId: "language:en", source: "training" }] },
    },
  });
}

beforeAll(async () => {
  await seedDemoData(db, { cases: 30 });
  await volunteerAccount("paused@crew.surge.test", "paused", "PAUSED1");
  ids.released = (await volunteerAccount("released@crew.surge.test", "released", "RELEASED1")).id;
  visitors.set("signed_out", new Visitor());
  for (const account of DEMO_ACCOUNTS) visitors.set(account.role, await signedIn(account.email, account.password));
  visitors.set("paused", await signedIn("paused@crew.surge.test", PASSWORD));
  visitors.set("released", await signedIn("released@crew.surge.test", PASSWORD));
  ids.volunteer = (await db.user.findUniqueOrThrow({ where: { email: "volunteer@surge.test" } })).id;
  ids.agent = (await db.user.findUniqueOrThrow({ where: { email: "agent@surge.test" } })).id;
  // Three cases of the volunteer's own, on a channel and in a language they are certified for.
  const extra = await db.case.findMany({ where: { assigneeId: null, status: "open" }, orderBy: { number: "asc" }, take: 3 });
  await db.case.updateMany({
    where: { id: { in: extra.map((c) => c.id) } },
    data: { assigneeId: ids.volunteer, status: "assigned", channelId: "whatsapp", language: "en" },
  });
  const mine = await db.case.findMany({ where: { assigneeId: ids.volunteer }, orderBy: { number: "asc" }, take: 3 });
  [ids.volunteerCase, ids.secondVolunteerCase, ids.thirdVolunteerCase] = mine.map((c) => c.id) as [string, string, string];
  ids.agentCase = (await db.case.findFirstOrThrow({ where: { assigneeId: ids.agent } })).id;
  // Escalated by someone else (the escalation job): not the volunteer's to read.
  ids.escalatedCase = (await db.case.findFirstOrThrow({ where: { status: "escalated", escalations: { none: { raisedById: ids.volunteer } } } })).id;
  ids.escalatedByVolunteer = (await db.case.findFirstOrThrow({ where: { status: "escalated", escalations: { some: { raisedById: ids.volunteer } } } })).id;
});

/** Everything a refused request must leave untouched. */
async function snapshot() {
  const [cases, gestures, audit, escalations, events, skills, users, limits, ruleSets, volunteers] = await Promise.all([
    db.case.findMany({ select: { id: true, assigneeId: true, status: true, complexity: true }, orderBy: { id: "asc" } }),
    db.gesture.count(),
    db.auditLog.count(),
    db.escalation.count(),
    db.caseEvent.count(),
    db.userSkill.count(),
    db.user.count(),
    db.gestureLimit.findMany({ orderBy: [{ role: "asc" }, { type: "asc" }] }),
    db.ruleSet.findMany({ select: { kind: true, version: true }, orderBy: { kind: "asc" } }),
    db.volunteer.findMany({ select: { id: true, status: true }, orderBy: { id: "asc" } }),
  ]);
  return JSON.stringify({ cases, gestures, audit, escalations, events, skills, users, limits, ruleSets, volunteers });
}

const OK = 200;
const LOGIN = 302;
const NO = 403;
// A case the actor may not see answers like one that does not exist.
const GONE = 404;
const ALL_ACTORS: Who[] = ["signed_out", "admin", "supervisor", "planner", "agent", "volunteer", "paused", "released"];
const expectFor = (allowed: Partial<Record<Who, number>>, otherwise = NO): Record<Who, number> =>
  Object.fromEntries(ALL_ACTORS.map((who) => [who, who === "signed_out" ? LOGIN : (allowed[who] ?? otherwise)])) as Record<Who, number>;

describe("pages: every actor x own / another's / escalated case and a released user", () => {
  const PAGES: [string, () => string, Record<Who, number>][] = [
    ["/cases", () => "/cases", expectFor({ admin: OK, supervisor: OK, agent: OK, volunteer: OK })],
    ["the volunteer's own case", () => `/cases/${ids.volunteerCase}`, expectFor({ admin: OK, supervisor: OK, agent: OK, volunteer: OK })],
    ["the agent's case", () => `/cases/${ids.agentCase}`, expectFor({ admin: OK, supervisor: OK, agent: OK, volunteer: GONE })],
    ["an escalated case", () => `/cases/${ids.escalatedCase}`, expectFor({ admin: OK, supervisor: OK, agent: OK, volunteer: GONE })],
    // Read-only from "My escalations".
    ["a case the volunteer escalated", () => `/cases/${ids.escalatedByVolunteer}`, expectFor({ admin: OK, supervisor: OK, agent: OK, volunteer: OK })],
    ["/permissions", () => "/permissions", expectFor({ admin: OK, supervisor: OK })],
    ["the released user's permissions", () => `/permissions?user=${ids.released}`, expectFor({ admin: OK, supervisor: OK })],
    ["/audit", () => "/audit", expectFor({ admin: OK, supervisor: OK })],
    ["/users", () => "/users", expectFor({ admin: OK, supervisor: OK, planner: OK })],
  ];
  const cells = PAGES.flatMap(([label, path, expected]) => ALL_ACTORS.map((who) => [label, who, expected[who], path] as const));
  it.each(cells)("GET %s as %s -> %i", async (_label, who, status, path) => {
    const response = await visitors.get(who)!.get(path());
    expect(response.status).toBe(status);
    const body = await response.text();
    if (status === NO || status === GONE) expect(body).not.toMatch(/<caption>|Case #\d+:|The rules that apply/);
  });
});

describe("gesture posts: every actor x own / another's case", () => {
  // Admins may work any case; agents and volunteers only the ones they hold.
  const POSTS: [string, () => string, Record<Who, number>][] = [
    ["the volunteer's own case", () => ids.volunteerCase, expectFor({ admin: 201, volunteer: 201 })],
    ["the agent's case", () => ids.agentCase, expectFor({ admin: 201, agent: 201, volunteer: GONE })],
    ["an escalated case", () => ids.escalatedCase, expectFor({ admin: 201, volunteer: GONE })],
  ];
  const cells = POSTS.flatMap(([label, caseId, expected]) => ALL_ACTORS.map((who) => [label, who, expected[who], caseId] as const));
  it.each(cells)("POST 100 miles on %s as %s -> %i", async (_label, who, status, caseId) => {
    const before = await db.gesture.count({ where: { caseId: caseId() } });
    const response = await visitors.get(who)!.post(`/cases/${caseId()}/gestures`, { type: "miles", amount: "100", reason: "Delay of five hours" });
    expect(response.status).toBe(status);
    expect(await db.gesture.count({ where: { caseId: caseId() } })).toBe(before + (status === 201 ? 1 : 0));
  });
});

describe("a volunteer's crafted posts for hidden actions", () => {
  const CRAFTED: [string, () => string, Record<string, string>][] = [
    ["assign their case to themselves", () => `/cases/${ids.agentCase}/assign`, { assigneeId: "__volunteer__" }],
    ["return their case to the queue", () => `/cases/${ids.volunteerCase}/assign`, { assigneeId: "" }],
    ["reclassify their case", () => `/cases/${ids.volunteerCase}/reclassify`, { complexity: "complex", reason: "Looks hard" }],
    ["edit the priority rules", () => "/rules/priority", { intent: "save", rules: "[]" }],
    ["give a gesture above their limit", () => `/cases/${ids.volunteerCase}/gestures`, { type: "miles", amount: "5000", reason: "Big delay" }],
    ["give money (not in their toolkit)", () => `/cases/${ids.volunteerCase}/gestures`, { type: "money", amount: "10", reason: "Taxi" }],
    ["create a user", () => "/users", { intent: "create", name: "Sneaky", email: "sneaky@surge.test", role: "volunteer" }],
    ["grant themselves a skill", () => "/training/skills", { intent: "grant", userId: "__volunteer__", skillId: "channel:email", reason: "Because" }],
    ["raise their own gesture limit", () => "/permissions", { intent: "limit", role: "volunteer", type: "miles", perCaseLimit: "99999", dailyBudget: "99999" }],
  ];
  const ON_HIDDEN_CASES: typeof CRAFTED = [
    ["give a gesture on someone else's case", () => `/cases/${ids.agentCase}/gestures`, { type: "miles", amount: "100", reason: "Delay" }],
    ["escalate someone else's case", () => `/cases/${ids.agentCase}/gestures`, { intent: "escalate", type: "miles", amount: "100", reason: "Delay" }],
  ];
  const cells = [...CRAFTED.map((c) => [...c, NO] as const), ...ON_HIDDEN_CASES.map((c) => [...c, GONE] as const)];
  it.each(cells)("%s -> refused, nothing changed", async (_label, path, fields, status) => {
    const volunteer = visitors.get("volunteer")!;
    const values = Object.fromEntries(Object.entries(fields).map(([k, v]) => [k, v === "__volunteer__" ? ids.volunteer : v]));
    const before = await snapshot();
    const response = await volunteer.post(path(), values);
    expect(response.status).toBe(status);
    // Refused by the permissions, not by a stale CSRF token.
    expect(await response.text()).not.toMatch(/did not come from Surge/);
    expect(await snapshot()).toBe(before);
  });

  it.each([
    ["read another's case", () => `/cases/${ids.agentCase}`, GONE],
    ["read an escalated case", () => `/cases/${ids.escalatedCase}`, GONE],
    ["read the audit log", () => "/audit", NO],
    ["open the permissions screen", () => "/permissions", NO],
  ])("%s -> %i", async (_label, path, status) => {
    const response = await visitors.get("volunteer")!.get(path());
    expect(response.status).toBe(status);
    expect(await response.text()).not.toMatch(/<caption>|Case #\d+:/);
  });

  it("answers the same for a case that exists but is not theirs and for one that does not exist", async () => {
    const volunteer = visitors.get("volunteer")!;
    const answer = async (response: Response) => ({ status: response.status, body: await response.text() });
    const hidden = await answer(await volunteer.get(`/cases/${ids.agentCase}`));
    const missing = await answer(await volunteer.get("/cases/no-such-case-id"));
    expect(hidden.status).toBe(404);
    expect(hidden).toEqual(missing);
    const gesture = { type: "miles", amount: "100", reason: "Delay of five hours" };
    const hiddenPost = await answer(await volunteer.post(`/cases/${ids.agentCase}/gestures`, gesture));
    const missingPost = await answer(await volunteer.post("/cases/no-such-case-id/gestures", gesture));
    expect(hiddenPost.status).toBe(404);
    expect(hiddenPost).toEqual(missingPost);
  });
});

describe("the restricted console", () => {
  it("shows a volunteer only the actions their ability allows", async () => {
    const html = await (await visitors.get("volunteer")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(html).toContain("Give gesture");
    expect(html).toContain("Frequent-flyer miles");
    // No money in a volunteer's toolkit, so it is not offered.
    expect(html).not.toContain("Money (compensation)");
  });

  it("shows no gesture form to a supervisor, who may not give gestures", async () => {
    const html = await (await visitors.get("supervisor")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(html).not.toContain("Give gesture");
  });

  it("does not send a volunteer the hidden customer fields, but sends them to an agent", async () => {
    const row = await db.case.findUniqueOrThrow({ where: { id: ids.volunteerCase } });
    expect(row.customerId).toMatch(/^CUST/);
    const volunteerHtml = await (await visitors.get("volunteer")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(volunteerHtml).toContain(row.subject.replace(/'/g, "&#x27;"));
    expect(volunteerHtml).not.toContain(row.customerId);
    expect(volunteerHtml).not.toContain(row.threadKey!);
    const adminHtml = await (await visitors.get("admin")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(adminHtml).toContain(row.customerId);
    // The loader data itself (what client navigations receive) has no such keys.
    const caseData = async (who: Who) => {
      const response = await visitors.get(who)!.get(`/cases/${ids.volunteerCase}.data`);
      const value = (await decode(response.body!)).value as Record<string, { data: { case: Record<string, unknown> } }>;
      return value["routes/cases.$caseId"]!.data.case;
    };
    const seenByVolunteer = await caseData("volunteer");
    expect(seenByVolunteer.subject).toBe(row.subject);
    for (const hidden of ["customerId", "threadKey", "paymentLinkUnpaid"]) {
      expect(seenByVolunteer).not.toHaveProperty(hidden);
      expect(await caseData("agent")).toHaveProperty(hidden);
    }
  });
});

describe("text derived from hidden fields", () => {
  const caseData = async (who: Who) => {
    const response = await visitors.get(who)!.get(`/cases/${ids.volunteerCase}.data`);
    const value = (await decode(response.body!)).value as Record<string, { data: { case: Record<string, unknown> } }>;
    return value["routes/cases.$caseId"]!.data.case;
  };

  it("does not tell a volunteer the priority reason or rule that read the payment state, but tells an agent", async () => {
    const row = await db.case.findUniqueOrThrow({ where: { id: ids.volunteerCase } });
    const fields = { ...row, departureAt: null, flightNumber: null, liveConversation: false, loyaltyTier: "none" as const, paymentLinkUnpaid: true };
    const priority = evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, new Date());
    expect(priority.ruleId).toBe("payment-link-unpaid");
    await db.case.update({
      where: { id: row.id },
      data: { ...fields, priorityTier: priority.tier, priorityRuleId: priority.ruleId, priorityReason: priority.reason },
    });
    const volunteerHtml = await (await visitors.get("volunteer")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(volunteerHtml).toMatch(new RegExp(`Tier (<!-- -->)?${priority.tier}`));
    expect(volunteerHtml).not.toContain("payment-link-unpaid");
    expect(volunteerHtml).not.toContain(priority.reason.split(" (rule")[0]);
    expect(volunteerHtml).not.toMatch(/Payment link/i);
    const seen = await caseData("volunteer");
    for (const derived of ["priorityReason", "priorityRuleId"]) expect(seen).not.toHaveProperty(derived);
    const agentHtml = await (await visitors.get("agent")!.get(`/cases/${ids.volunteerCase}`)).text();
    expect(agentHtml).toContain("payment-link-unpaid");
    expect(await caseData("agent")).toMatchObject({ priorityRuleId: "payment-link-unpaid", priorityReason: priority.reason });
  });

  it("still tells a volunteer a reason that only read columns they see (a rule before the payment rule)", async () => {
    const departureAt = new Date(Date.now() + 2 * 3_600_000);
    const row = await db.case.findUniqueOrThrow({ where: { id: ids.volunteerCase } });
    const fields = { ...row, flightNumber: "KL1234", departureAt };
    const priority = evaluatePriority(fields, DEFAULT_PRIORITY_RULE_SET, new Date());
    expect(priority.ruleId).toBe("departs-within-4h");
    await db.case.update({ where: { id: row.id }, data: { ...fields, priorityRuleId: priority.ruleId, priorityReason: priority.reason } });
    expect(await caseData("volunteer")).toMatchObject({ priorityRuleId: "departs-within-4h", priorityReason: priority.reason });
  });
});

describe("packed rules", () => {
  it.each(["admin", "supervisor", "planner", "agent", "volunteer", "paused"] as const)(
    "the root loader sends %s the same rules the server checks",
    async (who) => {
      const response = await visitors.get(who)!.get("/_root.data");
      expect(response.status).toBe(OK);
      const decoded = (await decode(response.body!)).value as Record<string, { data: { rules: unknown; user: { id: string } } }>;
      const root = decoded.root!.data;
      const user = await db.user.findUniqueOrThrow({ where: { id: root.user.id } });
      const server = defineAbilityFor({ ...user, ...(await loadAbilityFacts(user.id, user.role)) });
      expect(root.rules).toEqual(JSON.parse(JSON.stringify(packAbility(server))));
      if (who === "paused") expect(root.rules).toEqual([]);
      if (who === "volunteer") expect(JSON.stringify(root.rules)).toContain("whatsapp");
    },
  );
});

describe("gestures toolkit", () => {
  it("logs a gesture with who, what, how much and why", async () => {
    const response = await visitors.get("volunteer")!.post(`/cases/${ids.secondVolunteerCase}/gestures`, {
      type: "meal_voucher",
      amount: "12.50",
      reason: "Five-hour delay at the gate",
    });
    expect(response.status).toBe(201);
    const { gestureId } = (await response.json()) as { gestureId: string };
    const gesture = await db.gesture.findUniqueOrThrow({ where: { id: gestureId } });
    expect(gesture).toMatchObject({ caseId: ids.secondVolunteerCase, userId: ids.volunteer, type: "meal_voucher", amount: 1250, reason: "Five-hour delay at the gate" });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "gesture.give", subjectId: gestureId } });
    expect(audit.actorId).toBe(ids.volunteer);
    expect(audit.data).toMatchObject({ caseId: ids.secondVolunteerCase, type: "meal_voucher", amount: 1250, reason: "Five-hour delay at the gate" });
  });

  it("refuses more than the per-case limit in total and offers to escalate", async () => {
    // €12.50 given above; the volunteer's per-case limit is €15.
    const response = await visitors.get("volunteer")!.post(`/cases/${ids.secondVolunteerCase}/gestures`, { type: "meal_voucher", amount: "5", reason: "Dinner too" });
    expect(response.status).toBe(403);
    const body = (await response.json()) as { reason: string; error: string; escalate: { caseId: string } };
    expect(body.reason).toBe("over_case_limit");
    expect(body.error).toContain("€2.50 left");
    expect(body.escalate.caseId).toBe(ids.secondVolunteerCase);
  });

  it("applies a supervisor's new limit on the user's next request, audited", async () => {
    const admin = visitors.get("admin")!;
    const saved = await admin.post("/permissions", { intent: "limit", role: "volunteer", type: "meal_voucher", perCaseLimit: "15", dailyBudget: "20" });
    expect(saved.status).toBe(200);
    const limit = await db.gestureLimit.findUniqueOrThrow({ where: { role_type: { role: "volunteer", type: "meal_voucher" } } });
    expect(limit).toMatchObject({ perCaseLimit: 1500, dailyBudget: 2000 });
    const audit = await db.auditLog.findFirstOrThrow({ where: { action: "gesture_limit.update", subjectId: "volunteer:meal_voucher" }, orderBy: { createdAt: "desc" } });
    expect(audit.data).toMatchObject({ before: { perCaseLimit: 1500, dailyBudget: 10000 }, after: { perCaseLimit: 1500, dailyBudget: 2000 } });
    // €12.50 spent today; €10 more would pass the per-case limit but not the €20 budget.
    const response = await visitors.get("volunteer")!.post(`/cases/${ids.thirdVolunteerCase}/gestures`, { type: "meal_voucher", amount: "10", reason: "Hotel dinner" });
    expect(response.status).toBe(403);
    expect(((await response.json()) as { reason: string }).reason).toBe("over_daily_budget");

    // The supervisor may change limits too; a bad value is refused with a message.
    const bad = await visitors.get("supervisor")!.post("/permissions", { intent: "limit", role: "volunteer", type: "meal_voucher", perCaseLimit: "15", dailyBudget: "5" });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("at least the per-case limit");
  });

  it("escalates the case instead when asked", async () => {
    const response = await visitors.get("volunteer")!.post(`/cases/${ids.thirdVolunteerCase}/gestures`, {
      intent: "escalate",
      type: "meal_voucher",
      amount: "10",
      reason: "Hotel dinner",
    });
    expect(response.status).toBe(200);
    const escalated = await db.case.findUniqueOrThrow({ where: { id: ids.thirdVolunteerCase }, include: { escalations: true } });
    expect(escalated.status).toBe("escalated");
    expect(escalated.escalations[0]).toMatchObject({ reasonCode: "compensation_above_limit", gestureType: "meal_voucher", gestureAmount: 1000, toLevel: 1 });
    expect(escalated.escalations[0]!.note).toContain("Hotel dinner");
    expect(await db.auditLog.count({ where: { action: "case.escalate", subjectId: ids.thirdVolunteerCase } })).toBe(1);
  });

  it("validates the form", async () => {
    const response = await visitors.get("volunteer")!.post(`/cases/${ids.volunteerCase}/gestures`, { type: "miles", amount: "-3", reason: "x" });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { fieldErrors: Record<string, string> };
    expect(Object.keys(body.fieldErrors)).toContain("reason");
  });
});

describe("status changes apply on the next request", () => {
  it("takes everything away from a volunteer paused mid-session, and gives it back", async () => {
    const volunteer = visitors.get("volunteer")!;
    expect((await volunteer.get("/cases")).status).toBe(OK);
    await db.volunteer.update({ where: { userId: ids.volunteer }, data: { status: "paused" } });
    try {
      expect((await volunteer.get("/cases")).status).toBe(NO);
      expect((await volunteer.get(`/cases/${ids.volunteerCase}`)).status).toBe(NO);
    } finally {
      await db.volunteer.update({ where: { userId: ids.volunteer }, data: { status: "active" } });
    }
    expect((await volunteer.get("/cases")).status).toBe(OK);
  });

  it("lets a volunteer reply-check follow a skill revoked mid-session", async () => {
    const root = async () =>
      JSON.stringify(((await decode((await visitors.get("volunteer")!.get("/_root.data")).body!)).value as { root: { data: { rules: unknown } } }).root.data.rules);
    expect(await root()).toContain("messenger");
    await db.userSkill.delete({ where: { userId_skillId: { userId: ids.volunteer, skillId: "channel:messenger" } } });
    expect(await root()).not.toContain("messenger");
  });
});

describe("the supervisor screen", () => {
  it("shows what a volunteer may do and why", async () => {
    const html = await (await visitors.get("supervisor")!.get(`/permissions?user=${ids.volunteer}`)).text();
    expect(html).toContain("The rules that apply");
    expect(html).toContain("assigned to them");
    expect(html).toContain("channel is one of whatsapp");
    expect(html).toContain("customer account id, earlier-contact key, payment state");
    expect(html).toContain("volunteer limit for frequent-flyer miles: 2,000 miles per case");
    // The screen speaks in words, not column names (the page's own packed rules in its scripts aside).
    expect(html.replace(/<script[\s\S]*?<\/script>/g, "")).not.toMatch(/assigneeId|channelId/);
  });

  it("says why a released volunteer may do nothing", async () => {
    const html = await (await visitors.get("admin")!.get(`/permissions?user=${ids.released}`)).text();
    expect(html).toContain("The volunteer is released: no rules apply");
  });

  it("finds people by name", async () => {
    const html = await (await visitors.get("supervisor")!.get("/permissions?q=vera")).text();
    expect(html).toContain("Vera Volunteer");
    expect(html).not.toContain("Amira Agent");
  });
});
