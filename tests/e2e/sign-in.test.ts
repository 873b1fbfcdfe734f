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

const NAV: Record<string, string[]> = {
  admin: ["Home", "Cases", "Mentions", "My escalations", "Help inbox", "Settings", "People", "Volunteers", "Pipeline", "Capacity", "Training", "Training report", "Escalation rates"],
  supervisor: ["Home", "Cases", "Mentions", "Help inbox", "Settings", "People", "Volunteers", "Capacity", "Training report", "Escalation rates"],
  planner: ["Home", "People", "Volunteers", "Pipeline", "Capacity", "Training report", "Escalation rates"],
  agent: ["Home", "Cases", "Next case", "Mentions", "My escalations", "Help inbox", "Presence", "Training"],
  volunteer: ["Home", "Cases", "Next case", "Mentions", "My escalations", "Presence", "Training"],
};

describe("in a browser", () => {
  it("prints the demo sign-ins on start", () => {
    for (const account of DEMO_ACCOUNTS) expect(app.output()).toContain(`${account.email}`);
  });

  it.each(DEMO_ACCOUNTS)("signs in as $role with the keyboard, sees that role's home and menu, and signs out", async (account) => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    // The skip link is the first thing the keyboard reaches.
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Skip to main content");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${app.baseUrl}/`);
    await expect.poll(() => page.locator("h1").textContent()).toBe(`Welcome, ${account.name}`);
    const header = await page.locator("header").textContent();
    expect(header).toContain(account.name);
    expect(await page.locator("nav[aria-label=Main] a").allTextContents()).toEqual(NAV[account.role]);
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login$/);
    await page.close();
  });

  it("shows the field errors from the shared schema before posting, announced next to the field", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByRole("button", { name: "Sign in" }).click();
    const email = page.getByLabel("Email");
    await expect.poll(() => email.getAttribute("aria-invalid")).toBe("true");
    const describedBy = (await email.getAttribute("aria-describedby"))!;
    expect(await page.locator(`[id="${describedBy}"]`).textContent()).toBe("Enter your email address.");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.close();
  });

  it("tells a wrong password clearly", async () => {
    const page = await browser.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("Email").fill("agent@surge.test");
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect.poll(() => page.getByRole("alert").textContent()).toContain("do not match an account");
    await page.close();
  });

  it("works under the Content-Security-Policy: scripts run (client-side navigation) and nothing is blocked", async () => {
    const page = await browser.newPage();
    const violations: string[] = [];
    page.on("console", (message) => {
      if (/Content Security Policy|Refused to/i.test(message.text())) violations.push(message.text());
    });
    await page.exposeFunction("reportViolation", (text: string) => violations.push(text));
    await page.addInitScript(() => {
      document.addEventListener("securitypolicyviolation", (event) =>
        (window as unknown as { reportViolation(text: string): void }).reportViolation(`${event.violatedDirective} ${event.blockedURI}`),
      );
    });
    const response = await page.goto(`${app.baseUrl}/login`);
    expect(response!.headers()["content-security-policy"]).toContain("'nonce-");
    const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
    await page.getByLabel("Email").fill(admin.email);
    await page.getByLabel("Password").fill(admin.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.waitForURL(`${app.baseUrl}/`);
    // A marker on window survives only a client-side navigation, which needs the app's scripts to have run.
    await page.evaluate(() => ((window as unknown as { surgeMarker: number }).surgeMarker = 1));
    for (const label of ["Cases", "Settings", "Volunteers", "Training"]) {
      await page.locator("nav[aria-label=Main]").getByRole("link", { name: label, exact: true }).click();
      await page.waitForURL(new RegExp(`/${label.toLowerCase()}$`));
      await expect.poll(() => page.locator("h1").count()).toBeGreaterThan(0);
    }
    expect(await page.evaluate(() => (window as unknown as { surgeMarker?: number }).surgeMarker)).toBe(1);
    // Stylesheets load too (style-src 'self'): the header is laid out by styles.css.
    expect(await page.locator("header").evaluate((el) => getComputedStyle(el).display)).not.toBe("inline");
    expect(violations).toEqual([]);
    await page.close();
  });
});
