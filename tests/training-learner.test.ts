// The learner's side of training over HTTP: the plan, opening a module,
// resuming, quiz attempts, retries, skills and certification.
import type { Role, VolunteerStatus } from "@prisma/client";
import { beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { loadTrainingCatalog, type TrainingModule } from "../app/training/modules.server";
import { signedIn, type Visitor } from "./support/app-client";

const db = getDb();
const PASSWORD = "training test password";
const VOLUNTEER_PLAN = ["console-basics", "case-lifecycle", "identity-checks", "written-tone", "refunds-and-vouchers", "rebooking-basics"];
/** The modules certification needs; the last two only open topics (required: false). */
const REQUIRED = VOLUNTEER_PLAN.slice(0, 4);
let english: Map<string, TrainingModule>;
let dutchConsole: TrainingModule;

async function account(email: string, role: Role, options: { status?: VolunteerStatus; locale?: string; languages?: string[] } = {}) {
  const user = await db.user.create({
    data: { email, name: email.split("@")[0]!, role, locale: options.locale ?? "en", passwordHash: await hashPassword(PASSWORD) },
  });
  if (role === "volunteer") {
    await db.volunteer.create({
      data: {
        userId: user.id,
        employeeNumber: `T-${email}`,
        origin: "cabin_crew",
        status: options.status ?? "invited",
        languages: { create: (options.languages ?? ["en"]).map((language) => ({ language, proficiency: "fluent" as const })) },
      },
    });
  }
  return { user, visitor: await signedIn(email, PASSWORD) };
}

/** Form fields answering a module's quiz, all right or all wrong. */
function answers(module: TrainingModule, right: boolean): Record<string, string[]> {
  return Object.fromEntries(
    module.quiz.questions.map((question) => {
      const wrong = question.choices.find((choice) => !question.correct.includes(choice.id))!;
      return [`answer.${question.id}`, right ? question.correct : [wrong.id]];
    }),
  );
}

/** Text as React writes it into HTML. */
function html(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#x27;");
}

function moduleOrder(html: string): { id: string; state: string }[] {
  return [...html.matchAll(/data-module="([^"]+)" data-state="([^"]+)"/g)].map((match) => ({ id: match[1]!, state: match[2]! }));
}

async function pass(visitor: Visitor, moduleId: string) {
  const response = await visitor.post(`/training/${moduleId}`, { intent: "quiz", ...answers(english.get(moduleId)!, true) });
  expect(response.status).toBe(200);
  return response.text();
}

async function statusOf(userId: string) {
  return (await db.volunteer.findUniqueOrThrow({ where: { userId } })).status;
}

beforeAll(async () => {
  const catalog = await loadTrainingCatalog();
  expect(catalog.problems).toEqual([]);
  english = new Map(catalog.modules.filter((module) => module.language === "en").map((module) => [module.id, module]));
  dutchConsole = catalog.modules.find((module) => module.id === "console-basics" && module.language === "nl")!;
});

describe("the learner's plan", () => {
  it("lists the modules for the learner's role in order, locked until their prerequisites are passed", async () => {
    const { visitor } = await account("plan@crew.test", "volunteer");
    const response = await visitor.get("/training");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(moduleOrder(html)).toEqual([
      { id: "console-basics", state: "available" },
      { id: "case-lifecycle", state: "locked" },
      { id: "identity-checks", state: "locked" },
      { id: "written-tone", state: "locked" },
      { id: "refunds-and-vouchers", state: "locked" },
      { id: "rebooking-basics", state: "locked" },
    ]);
    const total = VOLUNTEER_PLAN.reduce((sum, id) => sum + english.get(id)!.estimatedMinutes, 0);
    expect(html).toContain(`About ${total} minutes left.`);
    expect(html).toContain("0 of 6 modules passed");
    expect(html).toContain(`Pass ${english.get("console-basics")!.title} first.`);
    expect(html).toMatch(/href="\/training\/console-basics"[^>]*>Start: /);

    const { visitor: agent } = await account("plan-agent@surge.test", "agent");
    expect(moduleOrder(await (await agent.get("/training")).text()).map((step) => step.id)).toEqual([
      "console-basics",
      "identity-checks",
      "written-tone",
    ]);
  });

  it("gives a Dutch-speaking learner the Dutch version where there is one, English otherwise", async () => {
    const { visitor } = await account("nl@crew.test", "volunteer", { locale: "nl", languages: ["nl", "en"] });
    const plan = await (await visitor.get("/training")).text();
    expect(plan).toContain(dutchConsole.title);
    expect(plan).toContain(english.get("case-lifecycle")!.title);
    const page = await (await visitor.get("/training/console-basics")).text();
    expect(page).toContain(`<h1 id="module-title">${dutchConsole.title}</h1>`);
    expect(page).toContain('lang="nl"');
  });

  it("refuses a locked module, a module of another role and an unknown one, on the server", async () => {
    const { user, visitor } = await account("locked@crew.test", "volunteer");
    const page = await visitor.get("/training/rebooking-basics");
    expect(page.status).toBe(403);
    expect(await page.text()).toContain("This module is locked. Pass");
    const post = await visitor.post("/training/rebooking-basics", { intent: "quiz", ...answers(english.get("rebooking-basics")!, true) });
    expect(post.status).toBe(403);
    const progress = await visitor.post("/training/case-lifecycle", { intent: "progress", section: english.get("case-lifecycle")!.sections[0]!.id });
    expect(progress.status).toBe(403);
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.trainingProgress.count({ where: { userId: user.id } })).toBe(0);
    expect(await db.userSkill.count({ where: { userId: user.id } })).toBe(0);
    expect((await visitor.get("/training/no-such-module")).status).toBe(404);

    const { visitor: agent } = await account("other-role@surge.test", "agent");
    expect((await agent.get("/training/rebooking-basics")).status).toBe(403);
  });
});

describe("reading a module", () => {
  it("records that the learner started, where they left off, and sends them back there", async () => {
    const { user, visitor } = await account("resume@crew.test", "volunteer", { status: "invited" });
    const response = await visitor.get("/training/console-basics");
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain(`<h1 id="module-title">${english.get("console-basics")!.title}</h1>`);
    const progress = await db.trainingProgress.findUniqueOrThrow({ where: { userId_moduleId: { userId: user.id, moduleId: "console-basics" } } });
    expect(progress.status).toBe("in_progress");
    expect(progress.lastSection).toBeNull();
    // An invited volunteer who starts training is now in training.
    expect(await statusOf(user.id)).toBe("training");
    expect(await db.auditLog.count({ where: { subjectId: user.id, action: "volunteer.status_changed" } })).toBe(1);

    const section = english.get("console-basics")!.sections[2]!;
    expect(html).toContain(`id="${section.id}"`);
    const saved = await visitor.post("/training/console-basics", { intent: "progress", section: section.id });
    expect(saved.status).toBe(200);
    expect((await db.trainingProgress.findUniqueOrThrow({ where: { userId_moduleId: { userId: user.id, moduleId: "console-basics" } } })).lastSection).toBe(
      section.id,
    );
    expect((await visitor.post("/training/console-basics", { intent: "progress", section: "not-a-heading" })).status).toBe(400);

    const plan = await (await visitor.get("/training")).text();
    expect(plan).toContain(`href="/training/console-basics#${section.id}"`);
    expect(plan).toMatch(/data-testid="resume"[^>]*>Continue: /);
    // Opening again keeps the place.
    await visitor.get("/training/console-basics");
    expect((await db.trainingProgress.findUniqueOrThrow({ where: { userId_moduleId: { userId: user.id, moduleId: "console-basics" } } })).lastSection).toBe(
      section.id,
    );
  });

  it("never sends the answer key or the explanations before the learner answers", async () => {
    const { visitor } = await account("nokey@crew.test", "volunteer");
    const page = await (await visitor.get("/training/console-basics")).text();
    const quiz = english.get("console-basics")!.quiz;
    for (const question of quiz.questions) {
      expect(page.includes(html(question.prompt)), question.id).toBe(true);
      expect(page.includes(html(question.explanation)) || page.includes(question.explanation), question.id).toBe(false);
    }
    // Neither as an object key nor as a serialised key (the streamed loader data lists keys as strings).
    expect(/correct(ChoiceIds)?\\?"?\s*:/.test(page)).toBe(false);
    expect(page.includes('\\"correct\\"') || page.includes('"correct"')).toBe(false);
    expect(page.includes("explanation")).toBe(false);
    // Keyboard-usable quiz: one fieldset with a legend per question, radios or checkboxes with labels.
    expect(page.match(/<fieldset/g)?.length).toBe(quiz.questions.length);
    expect(page).toContain('type="checkbox" name="answer.what-volunteers-cannot-do"');
    expect(page).toContain('type="radio" name="answer.escalate-button"');
    expect(page).toContain('<label for="answer-escalate-button-any-time"');
  });
});

describe("the quiz", () => {
  it("records every attempt, explains each answer, grants nothing on a fail and waits before a retry", async () => {
    const { user, visitor } = await account("quiz@crew.test", "volunteer");
    const module = english.get("console-basics")!;
    await visitor.get("/training/console-basics");

    const incomplete = await visitor.post("/training/console-basics", { intent: "quiz", [`answer.${module.quiz.questions[0]!.id}`]: [module.quiz.questions[0]!.correct[0]!] });
    expect(incomplete.status).toBe(400);
    expect(await incomplete.text()).toContain("Answer every question");
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(0);

    const failed = await visitor.post("/training/console-basics", { intent: "quiz", ...answers(module, false) });
    expect(failed.status).toBe(200);
    const failedHtml = await failed.text();
    expect(failedHtml).toContain("Not passed yet");
    expect(failedHtml).toContain(`You answered 0 of ${module.quiz.questions.length} questions correctly`);
    for (const question of module.quiz.questions) expect(failedHtml.includes(html(question.explanation)), question.id).toBe(true);
    expect(failedHtml).toContain("You can try again at");
    expect(await db.userSkill.count({ where: { userId: user.id } })).toBe(0);
    const attempt = await db.quizAttempt.findFirstOrThrow({ where: { userId: user.id } });
    expect(attempt).toMatchObject({ moduleId: "console-basics", score: 0, passed: false });
    expect(attempt.answers).toEqual(Object.fromEntries(module.quiz.questions.map((q) => [q.id, answers(module, false)[`answer.${q.id}`]])));

    // Too early: refused with the time, nothing recorded.
    const early = await visitor.post("/training/console-basics", { intent: "quiz", ...answers(module, true) });
    expect(early.status).toBe(429);
    const earlyHtml = await early.text();
    expect(earlyHtml).toMatch(/You can take the quiz again at \d\d:\d\d \(UTC\), in [1-5] minutes?/);
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(1);
    // The page says so too.
    expect(await (await visitor.get("/training/console-basics")).text()).toMatch(/You can take the quiz again at \d\d:\d\d/);

    // After the wait the retry counts.
    await db.quizAttempt.update({ where: { id: attempt.id }, data: { createdAt: new Date(Date.now() - (module.quiz.retryAfterMinutes * 60_000 + 1000)) } });
    const passed = await visitor.post("/training/console-basics", { intent: "quiz", ...answers(module, true) });
    expect(passed.status).toBe(200);
    const passedHtml = await passed.text();
    expect(passedHtml).toContain("Passed");
    expect(passedHtml).toContain("Attempt 2.");
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(2);
    const progress = await db.trainingProgress.findUniqueOrThrow({ where: { userId_moduleId: { userId: user.id, moduleId: "console-basics" } } });
    expect(progress.status).toBe("passed");
    expect(progress.passedAt).not.toBeNull();
    const skills = await db.userSkill.findMany({ where: { userId: user.id } });
    expect(skills.map((skill) => [skill.skillId, skill.source])).toEqual(module.grantsSkills.map((id) => [id, "training"]));

    // Passing unlocks the next modules.
    const plan = moduleOrder(await (await visitor.get("/training")).text());
    expect(plan.slice(0, 4)).toEqual([
      { id: "console-basics", state: "passed" },
      { id: "case-lifecycle", state: "available" },
      { id: "identity-checks", state: "available" },
      { id: "written-tone", state: "available" },
    ]);
    // Once passed there is no more quiz: nothing is recorded or granted twice.
    const again = await visitor.post("/training/console-basics", { intent: "quiz", ...answers(module, true) });
    expect(again.status).toBe(409);
    expect(await db.quizAttempt.count({ where: { userId: user.id } })).toBe(2);
    expect(await db.userSkill.count({ where: { userId: user.id } })).toBe(module.grantsSkills.length);
  });

  it("keeps a skill the learner already holds as it is (granting is idempotent)", async () => {
    const { user, visitor } = await account("holder@crew.test", "volunteer");
    const planner = await db.user.create({ data: { email: "grants@surge.test", name: "Grants", role: "planner" } });
    const skillId = english.get("console-basics")!.grantsSkills[0]!;
    await db.skill.upsert({ where: { id: skillId }, create: { id: skillId, kind: "task", name: "Console basics" }, update: {} });
    await db.userSkill.create({ data: { userId: user.id, skillId, source: "planner", reason: "Former agent", grantedById: planner.id } });
    await pass(visitor, "console-basics");
    const skill = await db.userSkill.findUniqueOrThrow({ where: { userId_skillId: { userId: user.id, skillId } } });
    expect(skill).toMatchObject({ source: "planner", reason: "Former agent" });
  });

  it("certifies a volunteer once every required module is passed, not before", async () => {
    const { user, visitor } = await account("certify@crew.test", "volunteer", { status: "invited" });
    for (const [index, moduleId] of VOLUNTEER_PLAN.entries()) {
      const html = await pass(visitor, moduleId);
      const lastRequired = index === REQUIRED.length - 1;
      expect(await statusOf(user.id)).toBe(index >= REQUIRED.length - 1 ? "certified" : "training");
      expect(html.includes("you are now certified")).toBe(lastRequired);
    }
    const granted = (await db.userSkill.findMany({ where: { userId: user.id }, select: { skillId: true } })).map((row) => row.skillId).sort();
    expect(granted).toEqual([...new Set(VOLUNTEER_PLAN.flatMap((id) => english.get(id)!.grantsSkills))].sort());
    const plan = await (await visitor.get("/training")).text();
    expect(plan).toContain("6 of 6 modules passed");
    expect(plan).toContain("you are certified");
    expect(await db.auditLog.count({ where: { subjectId: user.id, action: "training.passed" } })).toBe(6);
    expect(await db.auditLog.findFirst({ where: { subjectId: user.id, action: "volunteer.status_changed", data: { path: ["to"], equals: "certified" } } })).not.toBeNull();
  });

  it("does not change the status of a volunteer who is already active", async () => {
    const { user, visitor } = await account("active@crew.test", "volunteer", { status: "active" });
    for (const moduleId of VOLUNTEER_PLAN) await pass(visitor, moduleId);
    expect(await statusOf(user.id)).toBe("active");
  });
});
