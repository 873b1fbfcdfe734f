// Issue 13's promise on a database with no demo data: a planner enrols
// volunteers (form and CSV), they sign up, pass the required modules and
// "Next case" gives them a case, with no hand grant. Training decides what
// they are routed: certification first, topics by module, basic languages
// simple cases only.
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { nextCaseFor } from "../app/cases/routing.server";
import { getDb } from "../app/db/db.server";
import { signedIn, Visitor } from "./support/app-client";
import { createAgent, insertOpenCases } from "./support/case-fixtures";
import { enrolByCsv, enrolByForm, nextCase, passModule, requiredModuleIds, signUp } from "./support/first-case-path";

const db = getDb();
let planner: Visitor;
let required: string[];

beforeAll(async () => {
  // Nothing from the demo seed: the reference data (channels, language and topic skills) comes from migrations.
  expect(await db.user.count()).toBe(0);
  expect(await db.skill.count({ where: { kind: "language" } })).toBeGreaterThanOrEqual(180);
  await db.user.create({ data: { email: "planner@airline.test", name: "Pia Planner", role: "planner", passwordHash: await hashPassword("planner password 1") } });
  planner = await signedIn("planner@airline.test", "planner password 1");
  required = await requiredModuleIds();
  expect(required.length).toBeGreaterThan(1);
});

describe("from enrolment to the first case", () => {
  let formVolunteer: Visitor;
  let formVolunteerId: string;

  it("turns the languages and channels of the enrolment form into pending skills, and refuses cases before training with the modules left", async () => {
    const link = await enrolByForm(planner, {
      name: "Noor Haddad",
      email: "noor@crew.test",
      employeeNumber: "E100",
      languages: [["nl", "native"], ["en", "fluent"]],
      channels: ["whatsapp"],
    });
    const user = await db.user.findUniqueOrThrow({ where: { email: "noor@crew.test" }, include: { skills: true } });
    formVolunteerId = user.id;
    expect(user.skills.map((s) => [s.skillId, s.source, s.proficiency]).sort()).toEqual([
      ["channel:whatsapp", "enrolment", null],
      ["language:en", "enrolment", "fluent"],
      ["language:nl", "enrolment", "native"],
    ]);
    const profile = await db.volunteer.findUniqueOrThrow({ where: { userId: user.id } });
    const page = await (await planner.get(`/volunteers/${profile.id}`)).text();
    expect(page).toContain("Routing skills (pending until certified)");
    expect(page).toContain("language:nl native (enrolment)");
    formVolunteer = new Visitor();
    await signUp(formVolunteer, link);
    await insertOpenCases(db, [{ language: "nl", subject: "Waiting for a volunteer" }]);

    const refused = await nextCase(formVolunteer);
    expect(refused.status).toBe(403);
    expect(refused.html).toContain("Modules still to pass");
    for (const moduleId of required) expect(refused.html).toContain(`href="/training/${moduleId}"`);
    const home = await (await formVolunteer.get("/")).text();
    expect(home).toMatch(/required modules? to pass before your first case/);
  });

  it("gives the certified volunteer a case after the last required module, with no hand grant", async () => {
    for (const [index, moduleId] of required.entries()) {
      await passModule(formVolunteer, moduleId);
      if (index < required.length - 1) expect((await nextCase(formVolunteer)).status).toBe(403);
    }
    const taken = await nextCase(formVolunteer);
    expect(taken.status).toBe(302);
    const kase = await db.case.findUniqueOrThrow({ where: { id: taken.caseId! } });
    expect(kase).toMatchObject({ assigneeId: formVolunteerId, language: "nl", channelId: "whatsapp", status: "assigned" });
    expect(await db.userSkill.count({ where: { userId: formVolunteerId, source: "planner" } })).toBe(0);
    expect(await (await formVolunteer.get("/")).text()).toContain("Take your next case");
  });

  it("gives a refund case only once the refunds module is passed, at once", async () => {
    const [refund] = await insertOpenCases(db, [{ language: "en", priorityTier: 1, topics: ["refund-status"], subject: "Where is my refund?" }]);
    const [plain] = await insertOpenCases(db, [{ language: "en", priorityTier: 5, topics: ["flight-status"], subject: "Is my flight on time?" }]);
    // The refund case is more urgent, but the volunteer lacks topic:refunds.
    expect((await nextCase(formVolunteer)).caseId).toBe(plain);
    expect(await db.case.findUniqueOrThrow({ where: { id: refund! } })).toMatchObject({ status: "open" });
    for (const prerequisite of ["case-lifecycle", "identity-checks"]) expect(required).toContain(prerequisite);
    await passModule(formVolunteer, "refunds-and-vouchers");
    expect((await nextCase(formVolunteer)).caseId).toBe(refund);
    const home = await (await formVolunteer.get("/")).text();
    expect(home).toContain("You can now take refund questions");
  });

  it("enrols from a CSV whose languages have no proficiency, with the default chosen on the import screen", async () => {
    const links = await enrolByCsv(
      planner,
      "Name,Email,Employee number,Origin,Languages,Channels\nPiet Pilot,piet@crew.test,P200,pilot,\"nl, en, fr\",whatsapp\n",
      "basic",
    );
    const user = await db.user.findUniqueOrThrow({ where: { email: "piet@crew.test" }, include: { skills: true, volunteer: { include: { languages: true } } } });
    expect(user.volunteer!.languages.map((l) => `${l.language}:${l.proficiency}`).sort()).toEqual(["en:basic", "fr:basic", "nl:basic"]);
    expect(user.skills.filter((s) => s.skillId.startsWith("language:")).every((s) => s.proficiency === "basic" && s.source === "enrolment")).toBe(true);

    const piet = new Visitor();
    await signUp(piet, links.get("piet@crew.test")!);
    expect((await nextCase(piet)).status).toBe(403);
    for (const moduleId of required) await passModule(piet, moduleId);
    const [french] = await insertOpenCases(db, [{ language: "fr", topics: ["baggage-status"] }]);
    expect((await nextCase(piet)).caseId).toBe(french);
    expect(await db.userSkill.count({ where: { userId: user.id, source: "planner" } })).toBe(0);
  });

  it("updates the skills when the enrolment is edited, and keeps hand grants", async () => {
    const volunteer = await db.volunteer.findUniqueOrThrow({ where: { userId: formVolunteerId } });
    await db.userSkill.create({ data: { userId: formVolunteerId, skillId: "channel:email", source: "planner", reason: "Did email before" } });
    const edit = await planner.post(`/volunteers/${volunteer.id}`, {
      intent: "update",
      name: "Noor Haddad",
      email: "noor@crew.test",
      employeeNumber: "E100",
      origin: "cabin_crew",
      homeBase: "AMS",
      "languages.0.code": "en",
      "languages.0.proficiency": "basic",
      channels: ["messenger"],
      timeZone: "Europe/Amsterdam",
      availability: "",
      startDate: "",
      endDate: "",
      notes: "",
    });
    expect(edit.status, (await edit.text()).slice(0, 500)).toBeLessThan(400);
    const skills = await db.userSkill.findMany({ where: { userId: formVolunteerId, skill: { kind: { in: ["language", "channel"] } } }, orderBy: { skillId: "asc" } });
    expect(skills.map((s) => [s.skillId, s.source, s.proficiency])).toEqual([
      ["channel:email", "planner", null],
      ["channel:messenger", "enrolment", null],
      ["language:en", "enrolment", "basic"],
    ]);
  });
});

describe("the pipeline", () => {
  it("counts the volunteers per language and channel and re-invites from a cell", async () => {
    await enrolByForm(planner, { name: "Late Starter", email: "late@crew.test", employeeNumber: "E300", languages: [["nl", "fluent"]], channels: ["whatsapp"] });
    const html = await (await planner.get("/volunteers/pipeline")).text();
    const row = /<tr data-cell="nl\|whatsapp">([\s\S]*?)<\/tr>/.exec(html)![1]!;
    const count = (stage: string) => new RegExp(`data-stage="${stage}">(?:<a [^>]*>)?(\\d+)`).exec(row)![1];
    // Noor (certified, edited to English since), Piet (nl basic, certified) and the late starter.
    expect(count("enrolled")).toBe("2");
    expect(count("signedUp")).toBe("1");
    expect(count("certified")).toBe("1");
    expect(count("stuck")).toBe("0");
    const reinvited = await planner.post("/volunteers/pipeline?language=nl&channel=whatsapp&stage=enrolled", { intent: "reinvite", language: "nl", channel: "whatsapp", stage: "enrolled" });
    const text = await reinvited.text();
    expect(text).toContain("1 new links; 1 skipped");
    expect(text).toMatch(/late@crew\.test&gt;: <code class="copy-link">http[^<]+\/invite\//);
  });
});

describe("basic proficiency", () => {
  it("limits a language spoken at basic level to simple cases", async () => {
    const agent = await createAgent(db, { role: "agent", skills: ["channel:line", "language:ja", "language:ko"] });
    await db.userSkill.update({ where: { userId_skillId: { userId: agent.id, skillId: "language:ja" } }, data: { proficiency: "basic" } });
    const [complexJapanese, complexKorean, simpleJapanese] = await insertOpenCases(db, [
      { channelId: "line", language: "ja", complexity: "complex", priorityTier: 1 },
      { channelId: "line", language: "ko", complexity: "complex", priorityTier: 2 },
      { channelId: "line", language: "ja", complexity: "simple", priorityTier: 3 },
    ]);
    const first = await nextCaseFor(agent.id, { rescore: false });
    const second = await nextCaseFor(agent.id, { rescore: false });
    expect([first, second].map((r) => (r.ok ? r.caseId : null))).toEqual([complexKorean, simpleJapanese]);
    expect(await db.case.findUniqueOrThrow({ where: { id: complexJapanese! } })).toMatchObject({ status: "open", assigneeId: null });
  });
});
