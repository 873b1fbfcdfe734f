// The console in a real Chromium at 1366x768: the demo volunteer opens a case
// they hold, checks the customer's identity, replies from a template, adds an
// internal note, and resolves with a contact reason, mostly by keyboard.
import type { Browser, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../../app/cases/cases-demo.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
let page: Page;
const volunteer = DEMO_ACCOUNTS.find((account) => account.role === "volunteer")!;
const problems: string[] = [];

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  page.on("pageerror", (error) => problems.push(`page error: ${error.message}`));
  // Failed loads are judged by their responses below (a refused form is a 400 on purpose).
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`console: ${message.text()}`);
  });
  page.on("response", (response) => {
    const status = response.status();
    if (status >= 500 || (status === 404 && !response.url().endsWith("/favicon.ico"))) problems.push(`${status} ${response.url()}`);
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

const NON_DISCLOSING = ["Thanks, we are on it", "Bedankt, we kijken ernaar"];

describe("the console in a browser", () => {
  it("works a case from first reply to resolved", async () => {
    await page.goto(`${app.baseUrl}/cases?status=assigned`);
    const first = page.locator("main a[href^='/cases/c'], main a[href^='/cases/']").filter({ hasNotText: "Next" }).first();
    await first.click();
    await page.waitForURL(/\/cases\/[^/?]+$/);
    const caseUrl = page.url();
    // Focus moves to the case heading when it opens.
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("case-title");
    expect(await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth)).toBeLessThanOrEqual(0);
    await expect.poll(() => page.getByRole("heading", { name: "Shortcuts" }).count()).toBe(1);

    // The identity check, when the channel does not authenticate the customer.
    if (await page.getByRole("heading", { name: "Identity check" }).count()) {
      await page.getByLabel(/The customer gave booking reference/).check();
      await page.getByRole("button", { name: "Confirm identity" }).click();
      await expect.poll(() => page.locator(".notice[role=status]").textContent()).toContain("Identity checked");
    }

    // "r" focuses the template list; choose a template in the case's language.
    await page.locator("h1").click();
    await page.keyboard.press("r");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("templateId");
    const options = await page.locator("select[name=templateId] option").evaluateAll((items) =>
      items.map((item) => ({ value: (item as HTMLOptionElement).value, label: item.textContent ?? "" })),
    );
    const choice = options.find((option) => NON_DISCLOSING.some((name) => option.label.startsWith(name)) && !option.label.includes("not the case's language"));
    expect(choice, JSON.stringify(options)).toBeDefined();
    await page.selectOption("select[name=templateId]", choice!.value);
    await expect.poll(() => page.locator(".template-preview").textContent()).toContain("Vera");
    await page.getByRole("button", { name: "Send reply" }).click();
    await expect.poll(() => page.locator(".notice[role=status]").textContent()).toContain("Reply queued");
    await expect.poll(() => page.locator(".entry-reply").count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator(".entry-reply").last().textContent()).toContain("queued for delivery");

    // "i" focuses the note; a note is labelled as never sent.
    await page.locator("h1").click();
    await page.keyboard.press("i");
    await page.keyboard.type("Customer was friendly. @agent FYI.");
    await page.getByRole("button", { name: "Save internal note" }).click();
    await expect.poll(() => page.locator(".notice[role=status]").textContent()).toContain("Internal note saved");
    expect(await page.locator(".entry-note").last().textContent()).toContain("not sent to the customer");

    // A resolve without a reason is refused with the focus on the error.
    await page.getByRole("button", { name: "Resolve" }).click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.getAttribute("role"))).toBe("alert");
    expect(await page.getByRole("alert").textContent()).toContain("Choose at least one contact reason");

    // "e" jumps to the contact reasons; resolve and ask for the next case.
    await page.locator("h1").click();
    await page.keyboard.press("e");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("name"))).toBe("reasons");
    await page.getByLabel("Rebooking").check();
    await page.getByLabel("Then give me the next case").check();
    await page.getByRole("button", { name: "Resolve" }).click();
    await page.waitForURL((url) => url.href !== caseUrl);
    await expect.poll(() => page.locator(".notice[role=status]").textContent()).toMatch(/Resolved/);

    await page.goto(caseUrl);
    expect(await page.locator(".case-summary").textContent()).toMatch(/^resolved/);
    expect(problems).toEqual([]);
  });
});

describe("live updates in the console", () => {
  it("shows a customer's follow-up on the open case without a reload, and announces it", async () => {
    const sql = new pg.Client({ connectionString: app.databaseUrl });
    await sql.connect();
    try {
      const { rows } = await sql.query<{ id: string; customerId: string; bookingReference: string; channelId: string; language: string }>(
        `SELECT c.id, c."customerId", c."bookingReference", c."channelId", c.language FROM "Case" c JOIN "User" u ON u.id = c."assigneeId"
         WHERE u.email = $1 AND c.status = 'assigned' AND c."bookingReference" IS NOT NULL ORDER BY c.number LIMIT 1`,
        [volunteer.email],
      );
      const kase = rows[0]!;
      await page.goto(`${app.baseUrl}/cases/${kase.id}`);
      await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("case-title");
      // Let the event stream open before the message arrives.
      await page.waitForTimeout(1000);
      const body = `Live follow-up ${Date.now()}`;
      const response = await fetch(`${app.baseUrl}/api/cases`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_INTEGRATION.token}` },
        body: JSON.stringify({
          idempotencyKey: `live-${Date.now()}`,
          channelId: kase.channelId,
          language: kase.language,
          customerId: kase.customerId,
          customerName: "Live Customer",
          bookingReference: kase.bookingReference,
          subject: "Re: my booking",
          body,
          topics: [],
        }),
      });
      expect(response.status).toBe(201);
      const started = Date.now();
      await page.getByText(body).waitFor({ timeout: 10_000 });
      // Within the 2 s the issue asks for, with headroom for this shared CI machine.
      expect(Date.now() - started).toBeLessThan(5_000);
      await expect.poll(() => page.locator(".visually-hidden[role=status]").first().textContent()).toContain("New message from the customer");
    } finally {
      await sql.end();
    }
  });
});
