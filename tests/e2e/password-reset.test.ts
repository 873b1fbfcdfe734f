// An admin starts a password reset on People with the keyboard; the person
// sets the new password on the reset page; their other browser is signed out.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;

async function signIn(account: { email: string; password: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(`${app.baseUrl}/`);
  return page;
}

describe("password reset in a browser", () => {
  it("admin makes a one-time link with the keyboard; the person sets a new password; their old session ends", async () => {
    const oldSession = await signIn(agent);
    const adminPage = await signIn(admin);
    await adminPage.goto(`${app.baseUrl}/users?role=agent`);
    const button = adminPage.getByRole("button", { name: `Reset the password of ${agent.name}` });
    await button.focus();
    await adminPage.keyboard.press("Enter");
    const notice = adminPage.getByRole("status").filter({ hasText: "Password reset for" });
    await expect.poll(() => notice.count()).toBe(1);
    const link = (await adminPage.locator("#reset-link code.copy-link").textContent())!;
    expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{40,}$/);

    const owner = await (await browser.newContext()).newPage();
    await owner.goto(link);
    await expect.poll(() => owner.locator("h1").textContent()).toBe(`Choose a new password, ${agent.name}`);
    await owner.getByLabel("New password", { exact: true }).fill("a new password from the browser");
    await owner.getByLabel("Type the password again").fill("a new password from the browser");
    await owner.getByLabel("Type the password again").press("Enter");
    await owner.waitForURL(`${app.baseUrl}/`);
    await expect.poll(() => owner.locator("h1").textContent()).toBe(`Welcome, ${agent.name}`);

    await oldSession.reload();
    expect(new URL(oldSession.url()).pathname).toBe("/login");
  });
});
