// The screens issue 12 found broken in Chromium (hydration, client bundles,
// focus, accessible names), each tried as a person would.
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { launchBrowser, startApp, type RunningApp } from "./browser";

let app: RunningApp;
let browser: Browser;
let sql: pg.Client;
const contexts = new Map<string, BrowserContext>();

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  sql = new pg.Client({ connectionString: app.databaseUrl });
  await sql.connect();
});

afterAll(async () => {
  await sql?.end();
  await browser?.close();
  await app?.stop();
});

/** A page signed in as the demo account of `role`, with its errors collected. */
async function pageAs(role: string): Promise<{ page: Page; errors: string[] }> {
  let context = contexts.get(role);
  if (!context) {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
    const page = await context.newPage();
    await page.goto(`${app.baseUrl}/login`);
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Password").fill(account.password);
    await page.getByLabel("Password").press("Enter");
    await page.waitForURL(`${app.baseUrl}/`);
    await page.close();
    contexts.set(role, context);
  }
  const page = await context.newPage();
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(`page error: ${error.message}`));
  page.on("console", (message) => {
    if (message.type() === "error") errors.push(`console: ${message.text()}`);
  });
  return { page, errors };
}

async function open(page: Page, path: string) {
  await page.goto(`${app.baseUrl}${path}`);
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { initialized: boolean } } }).__remixRouter;
    return router?.state.initialized === true;
  });
}

async function one(query: string, values: unknown[] = []) {
  return (await sql.query(query, values)).rows[0];
}

describe("broken screens, fixed", () => {
  it("1: the priority rule editor hydrates and shows each rule's keywords", async () => {
    const { page, errors } = await pageAs("supervisor");
    await open(page, "/rules/priority");
    const keywords = page.getByLabel(/Keywords, one line per language/).first();
    await page.locator("summary").filter({ hasText: "Edit" }).first().click();
    await expect.poll(async () => (await page.locator("textarea[name^=condition]").count()) > 0).toBe(true);
    expect(await keywords.inputValue()).toMatch(/^[a-z]{2}: /m);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(["/volunteers", "/volunteers/new"])("2: “Enrol many from a file” on %s opens the upload page", async (from) => {
    const { page, errors } = await pageAs("planner");
    await open(page, from);
    await page.getByRole("link", { name: /Enrol many from a file/ }).click();
    await page.waitForURL(/\/volunteers\/import$/);
    await expect.poll(() => page.locator("h1").textContent()).toBe("Enrol volunteers from a file");
    expect(errors).toEqual([]);
    await page.close();
  });

  it("3: editing only a volunteer's notes keeps their channels", async () => {
    const channelsOf = async (id: string) =>
      (await sql.query<{ id: string }>(`SELECT "A" AS id FROM "_ChannelToVolunteer" WHERE "B" = $1 ORDER BY 1`, [id])).rows.map((r) => r.id);
    const volunteer = await one(
      `SELECT v.id FROM "Volunteer" v JOIN "_ChannelToVolunteer" c ON c."B" = v.id WHERE v.status <> 'released' GROUP BY v.id HAVING count(*) BETWEEN 1 AND 3 ORDER BY v.id LIMIT 1`,
    );
    volunteer.channels = await channelsOf(volunteer.id);
    const { page, errors } = await pageAs("planner");
    await open(page, `/volunteers/${volunteer.id}`);
    const ticked = await page.locator("form[data-main-form] input[name=channels]:checked").evaluateAll((boxes) => boxes.map((b) => (b as HTMLInputElement).value));
    expect(ticked.sort()).toEqual(volunteer.channels);
    await page.locator("form[data-main-form] [name=notes]").fill("Prefers early shifts (browser test)");
    await page.getByRole("button", { name: "Save changes" }).click();
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("Saved: notes.");
    expect(await channelsOf(volunteer.id)).toEqual(volunteer.channels);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("4: a file with no valid row offers no Import and records no commit", async () => {
    const { page, errors } = await pageAs("planner");
    await open(page, "/volunteers/import");
    // Every column is there; every row has a broken email address.
    const csv = [
      "Name,Email,Employee number,Origin,Home base,Languages,Channels,Time zone,Availability,Start date,End date,Notes",
      'No Email,not-an-email,E990001,Cabin crew,AMS,"nl:native",whatsapp,Europe/Amsterdam,Early shifts,2026-03-16,2026-05-31,',
      'Also Wrong,also@wrong,E990002,Pilot,AMS,"en:fluent",email,Europe/Amsterdam,Weekdays,2026-03-16,2026-05-31,',
    ].join("\n");
    await page.getByLabel("CSV or Excel file").setInputFiles({ name: "all-wrong.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.getByRole("button", { name: "Upload and preview" }).click();
    await page.waitForURL(/\/volunteers\/import\/\w+$/);
    await page.getByRole("button", { name: /Check every row/ }).click();
    await expect.poll(() => page.locator("main").textContent()).toContain("Nothing to import");
    expect(await page.getByRole("button", { name: "Import" }).count()).toBe(0);
    const importId = new URL(page.url()).pathname.split("/").pop();
    expect((await one(`SELECT status FROM "EnrolmentImport" WHERE id = $1`, [importId])).status).toBe("dry_run");
    expect((await one(`SELECT count(*)::int AS n FROM "AuditLog" WHERE action = 'enrolment_import.committed' AND "subjectId" = $1`, [importId])).n).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("5: a failed submit puts the focus on the error summary", async () => {
    const { page } = await pageAs("planner");
    await open(page, "/volunteers/new");
    await page.getByRole("button", { name: /Enrol/ }).last().click();
    await expect.poll(() => page.evaluate(() => document.activeElement?.closest("[role=alert]")?.textContent ?? "")).toMatch(/fields? needs? attention/);
    await page.close();
  });

  it("5: “New link” and “Copy link” are named after their visible text", async () => {
    const { page } = await pageAs("planner");
    await open(page, "/users");
    const onPeople = await new AxeBuilder({ page }).withRules(["label-content-name-mismatch"]).analyze();
    expect(onPeople.violations).toEqual([]);
    await page.getByRole("button", { name: /^New link for / }).first().click();
    await open(page, "/volunteers/new");
    const form = page.locator("form[data-main-form]");
    await form.locator("[name=name]").fill("Copy Link Test");
    await form.locator("[name=email]").fill("copy.link@airline.example");
    await form.locator("[name=employeeNumber]").fill("E909090");
    await form.locator("[name=origin]").selectOption({ index: 1 });
    await form.locator("[name=homeBase]").fill("AMS");
    await form.locator("[name='languages.0.code']").selectOption("en");
    await form.locator("[name='languages.0.proficiency']").selectOption({ index: 1 });
    await form.locator("[name=channels]").first().check();
    await form.locator("[name=timeZone]").fill("Europe/Amsterdam");
    await form.locator("[name=availability]").fill("Weekdays");
    await form.locator("[name=startDate]").fill("2026-01-05");
    await form.getByRole("button").last().click();
    await expect.poll(() => page.getByRole("button", { name: /^Copy link for Copy Link Test$/ }).count()).toBe(1);
    const afterEnrol = await new AxeBuilder({ page }).withRules(["label-content-name-mismatch"]).analyze();
    expect(afterEnrol.violations).toEqual([]);
    await page.close();
  });
});

describe("smaller things", () => {
  it("6: the navigation offers only what the role may do, including presence, case import and integrations", async () => {
    const expected: Record<string, string[]> = {
      admin: ["/settings"],
      supervisor: ["/settings"],
      agent: ["/cases/next", "/presence"],
    };
    for (const [role, mustHave] of Object.entries(expected)) {
      const { page, errors } = await pageAs(role);
      await open(page, "/");
      const hrefs = await page.locator("nav[aria-label=Main] a").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
      for (const href of mustHave) expect(hrefs, role).toContain(href);
      if (role === "admin") expect(hrefs).not.toContain("/cases/next");
      // Case import and integrations are on Settings.
      if (role !== "agent") {
        await open(page, "/settings");
        const settings = await page.locator("main a").evaluateAll((links) => links.map((a) => a.getAttribute("href")!));
        expect(settings, role).toContain("/cases/import");
        if (role === "admin") expect(settings).toContain("/integrations");
        await open(page, "/");
      }
      // Every entry opens for this role.
      for (const href of hrefs) expect((await page.request.get(`${app.baseUrl}${href}`)).status(), `${role} ${href}`).toBe(200);
      // One line at 1366 px.
      const tops = await page.locator("nav[aria-label=Main] li").evaluateAll((items) => items.map((li) => li.getBoundingClientRect().top));
      expect(new Set(tops).size, `${role}'s navigation wraps`).toBe(1);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it.each([
    ["admin", "an administrator"],
    ["agent", "an experienced agent"],
    ["planner", "a planner"],
  ])("6: the home page of the %s says “%s”", async (role, words) => {
    const { page } = await pageAs(role);
    await open(page, "/");
    expect(await page.locator("main").textContent()).toContain(`You are signed in as ${words}.`);
    await page.close();
  });

  it("6: every page has a favicon that loads", async () => {
    const { page } = await pageAs("agent");
    const failed: string[] = [];
    page.on("response", (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await open(page, "/");
    const href = await page.locator("link[rel=icon]").getAttribute("href");
    expect((await page.request.get(`${app.baseUrl}${href}`)).status()).toBe(200);
    expect(failed).toEqual([]);
    await page.close();
  });

  it("6: the permissions screen speaks in words and shows money limits in euros", async () => {
    const volunteer = await one(`SELECT id FROM "User" WHERE email = 'volunteer@surge.test'`);
    const { page } = await pageAs("supervisor");
    await open(page, `/permissions?user=${volunteer.id}`);
    const text = (await page.locator("main").textContent())!;
    expect(text).not.toMatch(/assigneeId|channelId|this user/);
    expect(text).toContain("assigned to them");
    expect(text).toMatch(/meal or restaurant voucher: €\d+\.\d\d per case/);
    await page.close();
  });

  it("6: the audit log names people and subjects, shows details and filters", async () => {
    const { page } = await pageAs("planner");
    await open(page, "/volunteers/import");
    await page.close();
    const { page: audit, errors } = await pageAs("admin");
    await open(audit, "/audit");
    const firstRow = (await audit.locator("tbody tr").first().textContent())!;
    expect(firstRow).not.toMatch(/\bc[a-z0-9]{20,}\b/);
    await audit.getByLabel("Action").selectOption({ label: "Volunteer updated" });
    await audit.getByRole("button", { name: "Show" }).click();
    await audit.waitForURL(/action=volunteer.updated/);
    const rows = () => audit.locator("tbody tr").allTextContents();
    await expect.poll(async () => (await rows()).length > 0 && (await rows()).every((row) => /Volunteer updated.*Volunteer: .+changes: /.test(row))).toBe(true);
    expect(errors).toEqual([]);
    await audit.close();
  });
});
