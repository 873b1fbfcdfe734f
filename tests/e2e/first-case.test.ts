// Issue 13 in a real Chromium: the planner imports a file whose languages
// have no proficiency (choosing a default on the import screen), the new
// volunteer signs up with the link, trains, and reaches their first case.
import { readFileSync } from "node:fs";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../../app/cases/cases-demo.server";
import { loadTrainingCatalog, type TrainingModule } from "../../app/training/modules.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
let required: TrainingModule[];
const planner = DEMO_ACCOUNTS.find((account) => account.role === "planner")!;
let inviteLink = "";

beforeAll(async () => {
  const catalog = await loadTrainingCatalog();
  required = catalog.modules.filter((m) => m.language === "en" && m.roles.includes("volunteer") && m.required).sort((a, b) => a.order - b.order);
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function heading(page: Page, text: string | RegExp) {
  await expect.poll(() => page.locator("h1").textContent(), { timeout: 15_000 }).toMatch(text);
}

describe("from an import to the first case, in a browser", () => {
  it("imports a file whose languages have no proficiency, with a default chosen on the import screen", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("Email").fill(planner.email);
    await page.getByLabel("Password").fill(planner.password);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${app.baseUrl}/`);
    await page.goto(`${app.baseUrl}/volunteers/import`);
    await page.getByLabel("CSV or Excel file").setInputFiles({
      name: "pilots.csv",
      mimeType: "text/csv",
      buffer: Buffer.from("Name,Email,Employee number,Origin,Languages,Channels\nPim Pilot,pim.pilot@crew.test,P9001,pilot,\"nl, en\",whatsapp\n"),
    });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/volunteers\/import\/[\w-]+$/);
    await page.getByLabel(/Proficiency for languages listed without one/).selectOption("fluent");
    await page.getByRole("button", { name: /Check every row/ }).click();
    await page.getByRole("button", { name: "Import", exact: true }).waitFor();
    await page.getByRole("button", { name: "Import", exact: true }).click();
    await expect.poll(() => page.locator("[role=status]").allTextContents(), { timeout: 20_000 }).toContainEqual(expect.stringContaining("1 volunteers enrolled"));
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: /Download invitation links/ }).click();
    const csv = readFileSync((await (await download).path())!, "utf8");
    inviteLink = csv.trim().split("\n")[1]!.split(",")[2]!;
    expect(inviteLink).toMatch(/\/invite\//);
    await page.close();
  });

  it("lets the volunteer sign up, shows training as the next step, and gives the first case after the required modules", async () => {
    const intake = await fetch(`${app.baseUrl}/api/cases`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_INTEGRATION.token}` },
      body: JSON.stringify({
        idempotencyKey: "e2e-first-case",
        channelId: "whatsapp",
        language: "nl",
        customerId: "E2E-1",
        customerName: "Eva de Vries",
        loyaltyTier: "none",
        subject: "Vertrekt mijn vlucht op tijd?",
        body: "Is mijn vlucht van morgen op tijd?",
        topics: ["flight-status"],
      }),
    });
    expect(intake.status).toBeLessThan(300);

    const page = await browser.newPage({ viewport: { width: 360, height: 740 } });
    await page.goto(new URL(new URL(inviteLink).pathname, app.baseUrl).toString());
    await page.getByLabel("New password").fill("pim pilot password");
    await page.getByLabel("Type the password again").fill("pim pilot password");
    await page.getByLabel("Type the password again").press("Enter");
    await page.waitForURL(`${app.baseUrl}/`);
    await expect.poll(() => page.locator("#next-step-title").textContent()).toBe("Your next step");
    expect(await page.locator(".next-step").textContent()).toContain(`${required.length} required modules to pass before your first case`);

    await page.goto(`${app.baseUrl}/cases/next`);
    expect(await page.getByRole("list", { name: "Modules still to pass" }).getByRole("link").allTextContents()).toEqual(required.map((m) => m.title));

    for (const module of required) {
      await page.goto(`${app.baseUrl}/training/${module.id}`);
      await heading(page, module.title);
      for (const question of module.quiz.questions) {
        for (const choiceId of question.correct) {
          await page.locator(`input[name="answer.${question.id}"][value="${choiceId}"]`).check();
        }
      }
      await page.getByRole("button", { name: /^Send my answers/ }).click();
      await expect.poll(() => page.getByTestId("quiz-result").locator("h3").textContent(), { timeout: 15_000 }).toBe("Passed");
    }

    await page.goto(`${app.baseUrl}/`);
    await page.getByRole("link", { name: "Take your next case" }).click();
    await heading(page, "Next case");
    await page.getByRole("button", { name: "Give me the next case" }).click();
    await page.waitForURL((url) => /^\/cases\/[\w-]+$/.test(url.pathname) && url.pathname !== "/cases/next", { timeout: 15_000 });
    await expect.poll(() => page.locator("h1").textContent()).toMatch(/Case \d+|Vertrekt|\w/);
    await page.close();
  });
});
