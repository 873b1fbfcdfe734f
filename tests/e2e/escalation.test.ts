// Escalation in a real Chromium, three people in three browser sessions: the
// volunteer's gesture is refused and they escalate with it prefilled, a
// supervisor gives the case to an experienced agent, who hands it back with
// advice; the volunteer reads the advice in "My escalations" and resolves.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
const contexts: BrowserContext[] = [];
const problems: string[] = [];
const account = (role: string) => DEMO_ACCOUNTS.find((a) => a.role === role)!;

async function signedInPage(role: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 } });
  contexts.push(context);
  const page = await context.newPage();
  page.on("pageerror", (error) => problems.push(`${role} page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error" && !message.text().startsWith("Failed to load resource")) problems.push(`${role} console: ${message.text()}`);
  });
  page.on("response", (response) => {
    const status = response.status();
    // The refused gesture is a 403 on purpose (the panel reads it and offers escalation).
    if (status >= 500 || (status === 404 && !response.url().endsWith("/favicon.ico"))) problems.push(`${role}: ${status} ${response.url()}`);
  });
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(account(role).email);
  await page.getByLabel("Password").fill(account(role).password);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(`${app.baseUrl}/`);
  return page;
}

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  for (const context of contexts) await context.close();
  await browser?.close();
  await app?.stop();
});

describe("escalation in a browser", () => {
  it("volunteer escalates -> expert hands back with advice -> volunteer sees it and resolves", async () => {
    const [volunteer, supervisor, agent] = [await signedInPage("volunteer"), await signedInPage("supervisor"), await signedInPage("agent")];

    // The volunteer is online (the hand-back returns the case to them) and opens a case they hold.
    await volunteer.goto(`${app.baseUrl}/presence`);
    if (await volunteer.getByRole("button", { name: "Go online" }).count()) {
      await volunteer.getByRole("button", { name: "Go online" }).click();
      await expect.poll(() => volunteer.getByRole("button", { name: "Go offline" }).count()).toBe(1);
    }
    await volunteer.goto(`${app.baseUrl}/cases?status=assigned`);
    await volunteer.locator("main a[href^='/cases/']").filter({ hasNotText: "Next" }).first().click();
    await volunteer.waitForURL(/\/cases\/[^/?]+$/);
    const caseUrl = volunteer.url();
    const caseId = caseUrl.split("/").at(-1)!;

    // A gesture above the limit is refused, with the offer to escalate it instead.
    await volunteer.getByLabel("Gesture to give").selectOption("miles");
    await volunteer.getByLabel("Amount to give").fill("9000");
    await volunteer.getByLabel("Reason for the gesture").fill("Missed the connection after a five-hour delay");
    await volunteer.getByRole("button", { name: "Give gesture" }).click();
    await volunteer.getByRole("link", { name: "Escalate the case instead" }).click();
    await volunteer.waitForURL(/gestureType=miles/);
    // The escalate form has the gesture and the reason prefilled.
    await expect.poll(() => volunteer.locator("#escalate").textContent()).toContain("the gesture you could not give: miles 9000");
    expect(await volunteer.getByLabel("Reason", { exact: true }).inputValue()).toBe("compensation_above_limit");
    await volunteer.getByLabel("Note for the expert").fill("Customer asks for 9000 miles for the missed connection; my limit is 2000.");
    await volunteer.getByRole("button", { name: "Escalate the case" }).click();

    // The volunteer lands on "My escalations": the case waits for an expert.
    await volunteer.waitForURL(/\/escalations\?/);
    await expect.poll(() => volunteer.locator("main").textContent()).toContain("Waiting for an expert");

    // A supervisor gives the escalated case to the experienced agent.
    await supervisor.goto(caseUrl);
    await supervisor.getByLabel("Assign to").selectOption({ label: "Amira Agent (agent, offline)" });
    await supervisor.getByRole("button", { name: "Save assignment" }).click();
    await expect.poll(() => supervisor.locator(".case-summary").textContent()).toContain("assigned to Amira Agent");

    // The expert sees the reason, the note and the gesture asked for, and hands back with advice.
    await agent.goto(caseUrl);
    const hops = agent.locator(".escalation-hops");
    await expect.poll(() => hops.textContent()).toContain("Compensation above my limit");
    expect(await hops.textContent()).toContain("my limit is 2000");
    expect(await hops.textContent()).toContain("9,000 miles");
    await agent.getByLabel("Advice for the colleague who escalated").fill("Give 2000 miles and a meal voucher; I added the rest as a fee waiver.");
    await agent.getByRole("button", { name: "Hand back with advice" }).click();
    await expect.poll(() => agent.locator(".notice[role=status]").first().textContent()).toContain("Handed back to the colleague who escalated it");

    // The volunteer sees the outcome and the advice, opens the case and resolves it.
    await volunteer.goto(`${app.baseUrl}/escalations`);
    await expect.poll(() => volunteer.locator("main").textContent()).toContain("Handed back with advice by Amira Agent");
    expect(await volunteer.locator("main blockquote").first().textContent()).toContain("Give 2000 miles and a meal voucher");
    await volunteer.locator(`main a[href='/cases/${caseId}']`).first().click();
    await volunteer.waitForURL(caseUrl);
    await expect.poll(() => volunteer.locator(".conversation").textContent()).toContain("Advice from Amira Agent");
    await volunteer.getByLabel("Rebooking").check();
    await volunteer.getByRole("button", { name: "Resolve", exact: true }).click();
    await expect.poll(() => volunteer.locator(".case-summary").textContent()).toMatch(/^resolved/);
    expect(problems).toEqual([]);
  });
});
