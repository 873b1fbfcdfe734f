// Training in a real Chromium, on a phone-sized screen: the demo volunteer
// reads every module and passes each quiz with the keyboard only.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadTrainingCatalog, type TrainingModule } from "../../app/training/modules.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
let page: Page;
let plan: TrainingModule[];
/** Content-Security-Policy violations and script errors the pages report. */
const pageProblems: string[] = [];
const volunteer = DEMO_ACCOUNTS.find((account) => account.role === "volunteer")!;

beforeAll(async () => {
  const catalog = await loadTrainingCatalog();
  plan = catalog.modules.filter((module) => module.language === "en" && module.roles.includes("volunteer"));
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 360, height: 740 } });
  // The modules render under the strict CSP (no 'unsafe-eval'): any blocked eval or script shows up here.
  page.on("console", (message) => {
    if (message.type() === "error" || /Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
  });
  page.on("pageerror", (error) => pageProblems.push(error.message));
  await page.exposeFunction("reportViolation", (text: string) => pageProblems.push(`CSP violation: ${text}`));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) =>
      (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI} ${event.sourceFile}:${event.lineNumber}:${event.columnNumber} ${event.sample}`),
    );
  });
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(volunteer.email);
  await page.getByLabel("Password").fill(volunteer.password);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(`${app.baseUrl}/`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

/** Moves the keyboard focus forward with Tab until `selector` has it. */
async function tabTo(selector: string, limit = 200) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press("Tab");
    if (await page.evaluate((wanted) => document.activeElement?.matches(wanted) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

/** Answers the quiz right, with Tab, the arrow keys, Space and Enter only, in the (shuffled) order the page shows. */
async function answerWithKeyboard(module: TrainingModule) {
  // Question and choice order change per attempt: read them from the page.
  const shown = await page
    .locator('input[name^="answer."]')
    .evaluateAll((inputs) => inputs.map((input) => [(input as HTMLInputElement).name.slice(7), (input as HTMLInputElement).value] as const));
  const order: { id: string; choices: string[] }[] = [];
  for (const [questionId, choiceId] of shown) {
    if (order.at(-1)?.id !== questionId) order.push({ id: questionId, choices: [] });
    order.at(-1)!.choices.push(choiceId);
  }
  await tabTo(`input[name="answer.${order[0]!.id}"]`);
  for (const { id, choices } of order) {
    const question = module.quiz.questions.find((candidate) => candidate.id === id)!;
    const multiple = question.correct.length > 1;
    if (multiple) {
      for (const [index, choice] of choices.entries()) {
        if (question.correct.includes(choice)) await page.keyboard.press("Space");
        if (index < choices.length - 1) await page.keyboard.press("Tab");
      }
    } else {
      const target = choices.indexOf(question.correct[0]!);
      if (target === 0) await page.keyboard.press("Space");
      for (let i = 0; i < target; i++) await page.keyboard.press("ArrowDown");
    }
    await page.keyboard.press("Tab");
  }
  expect(await page.evaluate(() => document.activeElement?.textContent)).toMatch(/^Send my answers/);
  await page.keyboard.press("Enter");
}

describe("training in a browser", () => {
  it("compiled the modules at start-up", () => {
    expect(app.output()).toContain("Training: 6 module(s)");
    expect(app.output()).not.toContain("[training] ");
  });

  it("lists the plan in the menu and on the training page", async () => {
    await page.getByRole("link", { name: "Training", exact: true }).click();
    await page.waitForURL(`${app.baseUrl}/training`);
    // The URL changes before React renders the new route: wait for its heading.
    await expect.poll(() => page.locator("h1").textContent()).toBe("Your training");
    expect(await page.locator("[data-module]").evaluateAll((items) => items.map((item) => item.getAttribute("data-module")))).toEqual(
      plan.map((module) => module.id),
    );
  });

  it("renders all six modules readably on a 360 px screen and passes each quiz with the keyboard only", async () => {
    expect(plan).toHaveLength(6);
    for (const module of plan) {
      await page.goto(`${app.baseUrl}/training/${module.id}`);
      expect(await page.locator("h1").textContent()).toBe(module.title);
      expect(await page.locator("h1").count()).toBe(1);
      const headings = await page.locator(".training-content h2").evaluateAll((items) => items.map((item) => item.id));
      expect(headings).toEqual(module.sections.map((section) => section.id));
      const images = await page.locator("img").evaluateAll((items) => items.map((item) => (item as HTMLImageElement).alt.trim()));
      for (const alt of images) expect(alt.length).toBeGreaterThan(10);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${module.id} scrolls sideways`).toBeLessThanOrEqual(0);

      await answerWithKeyboard(module);
      const result = page.getByTestId("quiz-result");
      await expect.poll(() => result.locator("h3").textContent()).toBe("Passed");
      // The result takes the focus, so a screen reader reads it next.
      expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("quiz-result");
      expect(await result.textContent()).toContain(module.quiz.questions[0]!.explanation);
    }
    await page.goto(`${app.baseUrl}/training`);
    expect(await page.locator("label[for=training-progress]").textContent()).toBe("6 of 6 modules passed");
    expect(await page.locator("[data-state=passed]").count()).toBe(6);
    expect(pageProblems).toEqual([]);
  });

  it("records the section the learner scrolled to, and resumes there", async () => {
    const module = plan.find((candidate) => candidate.id === "console-basics")!;
    const section = module.sections[3]!;
    // A fresh module for this learner would be needed to see "Continue"; check the stored place instead.
    await page.goto(`${app.baseUrl}/training/${module.id}`);
    const saved = page.waitForResponse((response) => response.request().method() === "POST" && response.url().includes(`/training/${module.id}`));
    await page.locator(`#${section.id}`).scrollIntoViewIfNeeded();
    await page.evaluate((id) => document.getElementById(id)!.scrollIntoView({ block: "start" }), section.id);
    expect((await saved).status()).toBe(200);
    await page.goto(`${app.baseUrl}/training/${module.id}`);
    expect(await page.locator(`.training-toc a[aria-current=location]`).getAttribute("href")).toBe(`#${section.id}`);
    expect(pageProblems).toEqual([]);
  });
});
