// The capacity board in Chromium: a planner watches it while cases arrive
// through the intake API; the new row appears without a reload, and the
// row under target is found by its words.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../../app/cases/cases-demo.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
let page: Page;
const planner = DEMO_ACCOUNTS.find((account) => account.role === "planner")!;
const problems: string[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" || /hydrat|did not match/i.test(message.text())) problems.push(`console: ${message.text()}`);
  });
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(planner.email);
  await page.getByLabel("Password").fill(planner.password);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(`${app.baseUrl}/`);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function intake(count: number) {
  const cases = Array.from({ length: count }, (_, i) => ({
    idempotencyKey: `capacity-e2e-${Date.now()}-${i}`,
    channelId: "kakaotalk",
    language: "ko",
    customerId: `CAP-E2E-${i}`,
    customerName: "Min-jun Kim",
    body: "When is my flight rebooked?",
  }));
  const response = await fetch(`${app.baseUrl}/api/cases`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_INTEGRATION.token}` },
    body: JSON.stringify({ cases }),
  });
  expect(response.status).toBe(201);
}

describe("the capacity board in a browser", () => {
  it("shows new cases without a reload and marks the row under target in words", async () => {
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Capacity" }).click();
    await page.waitForURL(`${app.baseUrl}/capacity`);
    await expect.poll(() => page.evaluate(() => Boolean((window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter?.state.initialized))).toBe(true);
    const row = page.locator('tr[data-row="kakaotalk|ko"]');
    const before = (await row.count()) ? Number(await row.locator('[data-metric="arrivals15"]').textContent()) : 0;
    // A mark on the window: it survives only if the page is not reloaded.
    await page.evaluate(() => ((window as unknown as { boardMark: string }).boardMark = "same page"));

    await intake(3);
    await expect.poll(async () => ((await row.count()) ? Number(await row.locator('[data-metric="arrivals15"]').textContent()) : 0)).toBe(before + 3);
    expect(await page.evaluate(() => (window as unknown as { boardMark?: string }).boardMark)).toBe("same page");

    // Nobody is online for KakaoTalk in Korean: the row says so in words, with the icon beside it.
    const underTarget = page.getByRole("row").filter({ hasText: "KakaoTalk, Korean" }).filter({ hasText: "Under target" }).first();
    await expect.poll(() => underTarget.count()).toBe(1);
    expect(await underTarget.getByRole("cell").filter({ hasText: "Under target" }).textContent()).toMatch(/⚠ Under target: .*short of \d+ agents?/);

    // The what-if answers for that row as the planner types.
    await page.getByRole("button", { name: "What if (KakaoTalk, Korean)" }).click();
    await page.getByLabel("Agents online").fill("5");
    await expect.poll(() => page.locator(".what-if-result").textContent()).toMatch(/^KakaoTalk, Korean with 5 more agents \(5\): service level \d+%/);
    expect(problems).toEqual([]);
  });
});
