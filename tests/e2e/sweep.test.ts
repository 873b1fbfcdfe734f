import { createHash, randomBytes } from "node:crypto";
// The browser sweep: for every role, every page of the app's route list in
// Chromium with JavaScript on. A page must load and hydrate without a console
// error, page error, hydration warning, failed request or 5xx; axe-core finds
// nothing serious or critical; the page's main form, submitted empty, puts the
// focus on its error summary, and submitted as loaded (or with the valid
// values below) works and, for an edit, changes nothing in the database.
// New routes are covered without editing this file: the list comes from the
// build's manifest, and route parameters are filled with real rows.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import type { Browser, BrowserContext, Page } from "playwright-core";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULE_SET_KINDS } from "../../app/cases/rule-sets.server";
import { loadTrainingCatalog } from "../../app/training/modules.server";
import { DEMO_ACCOUNTS } from "../../prisma/seed";
import { root } from "../support/databases";
import { launchBrowser, startApp, type RunningApp } from "./browser";

interface ManifestRoute {
  id: string;
  parentId?: string;
  path?: string;
  index?: boolean;
}

interface PageRoute {
  id: string;
  /** "/volunteers/:volunteerId" */
  pattern: string;
  params: string[];
}

/** Every route with a screen (resource routes, which export no component, are not pages). */
function pageRoutes(): PageRoute[] {
  const buildDir = path.join(root, "public/build");
  const manifestFile = readdirSync(buildDir).find((name) => /^manifest-.*\.js$/.test(name));
  if (!manifestFile) throw new Error("no manifest in public/build: build the app first");
  const text = readFileSync(path.join(buildDir, manifestFile), "utf8");
  const manifest = JSON.parse(text.slice(text.indexOf("{"), text.lastIndexOf("}") + 1)) as { routes: Record<string, ManifestRoute> };
  const routes = manifest.routes;
  const fullPath = (route: ManifestRoute): string => {
    const parent = route.parentId ? routes[route.parentId] : undefined;
    const own = route.path ?? "";
    const prefix = parent ? fullPath(parent) : "";
    return [prefix, own].filter(Boolean).join("/").replace(/\/+/g, "/");
  };
  return Object.values(routes)
    .filter((route) => route.id !== "root")
    .filter((route) => /^export default/m.test(readFileSync(path.join(root, "app", `${route.id}.tsx`), "utf8")))
    .map((route) => {
      const pattern = `/${fullPath(route)}`.replace(/\/$/, "") || "/";
      return { id: route.id, pattern, params: [...pattern.matchAll(/:(\w+)/g)].map((m) => m[1]!) };
    })
    .sort((a, b) => a.params.length - b.params.length || a.pattern.localeCompare(b.pattern));
}

type Role = (typeof DEMO_ACCOUNTS)[number]["role"] | "signed out";

let app: RunningApp;
let browser: Browser;
let sql: pg.Client;
const routes = pageRoutes();
const trainingModules = new Map<string, string>();

beforeAll(async () => {
  app = await startApp();
  browser = await launchBrowser();
  sql = new pg.Client({ connectionString: app.databaseUrl });
  await sql.connect();
  const catalog = await loadTrainingCatalog();
  for (const role of ["agent", "volunteer"]) {
    const module = catalog.modules.find((m) => m.language === "en" && (m.roles as string[]).includes(role));
    if (module) trainingModules.set(role, module.id);
  }
});

afterAll(async () => {
  await sql?.end();
  await browser?.close();
  await app?.stop();
});

async function one(query: string, values: unknown[] = []): Promise<string | undefined> {
  const result = await sql.query<{ id: string }>(query, values);
  return result.rows[0]?.id;
}

/** A password-reset link for an account that has a password, as an admin would start it on People. */
async function passwordResetToken(email: string): Promise<string> {
  const token = randomBytes(32).toString("base64url");
  await sql.query(
    `INSERT INTO "Invitation" (id, "tokenHash", purpose, "userId", "expiresAt")
     SELECT $1, $2, 'password_reset', id, now() + interval '1 hour' FROM "User" WHERE email = $3`,
    [`sweep-reset-${Date.now()}`, createHash("sha256").update(token).digest("hex"), email],
  );
  return token;
}

/** The URLs for one route and role: parameters filled with rows the role may see. */
async function urlsFor(route: PageRoute, role: Role): Promise<string[]> {
  if (route.params.length === 0) return [route.pattern];
  // An invitation is for someone without an account yet.
  if (route.params.includes("token") && role !== "signed out") return [];
  let urls = [route.pattern];
  for (const param of route.params) {
    let values: (string | undefined)[];
    switch (param) {
      case "kind":
        values = [...RULE_SET_KINDS];
        break;
      case "caseId":
        values =
          role === "volunteer"
            ? [
                await one(`SELECT c.id FROM "Case" c JOIN "User" u ON u.id = c."assigneeId" WHERE u.email = $1 ORDER BY c.number LIMIT 1`, ["volunteer@surge.test"]),
                // The read-only view of a case they escalated.
                await one(
                  `SELECT c.id FROM "Case" c JOIN "Escalation" e ON e."caseId" = c.id JOIN "User" u ON u.id = e."raisedById" WHERE u.email = $1 ORDER BY c.number LIMIT 1`,
                  ["volunteer@surge.test"],
                ),
              ]
            : [await one(`SELECT id FROM "Case" ORDER BY number LIMIT 1`)];
        break;
      case "volunteerId":
        values = [await one(`SELECT id FROM "Volunteer" ORDER BY "createdAt", id LIMIT 1`)];
        break;
      case "importId":
        values = [await one(`SELECT id FROM "EnrolmentImport" ORDER BY "createdAt" DESC LIMIT 1`)];
        break;
      case "moduleId":
        values = [trainingModules.get(role) ?? trainingModules.get("volunteer")];
        break;
      case "token":
        values = [route.pattern.startsWith("/reset/") ? await passwordResetToken("planner@surge.test") : invitationToken];
        break;
      default:
        throw new Error(`The sweep does not know how to fill :${param} in ${route.pattern}; add it to urlsFor.`);
    }
    const present = values.filter((v): v is string => Boolean(v));
    if (present.length === 0) throw new Error(`No row to fill :${param} in ${route.pattern} for ${role}`);
    urls = urls.flatMap((url) => present.map((value) => url.replace(`:${param}`, encodeURIComponent(value))));
  }
  return urls;
}

let invitationToken: string | undefined;

interface Problems {
  list: string[];
  /** While a form is posted empty, its refusal (400, 409, 422) is what should happen. */
  expectRefusal: boolean;
}

/** Collects everything that went wrong on the page while `work` ran. */
function watch(page: Page): Problems {
  const problems: Problems = { list: [], expectRefusal: false };
  page.on("console", (message) => {
    const text = message.text();
    // Chromium's own line for a refused request; the response handler below judges those.
    if (/^Failed to load resource: the server responded with a status of/.test(text)) return;
    if (message.type() === "error" || /hydrat|did not match|Warning:/i.test(text)) problems.list.push(`console ${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => problems.list.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A navigation that replaces a pending one aborts it; that is not a failure.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.list.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    const status = response.status();
    const refusal = problems.expectRefusal && response.request().method() === "POST" && [400, 409, 422].includes(status);
    if (status >= 400 && !refusal) problems.list.push(`${status} from ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

async function hydrated(page: Page) {
  await page.waitForFunction(() => {
    const router = (window as unknown as { __remixRouter?: { state: { initialized: boolean; navigation: { state: string } } } }).__remixRouter;
    return router?.state.initialized && router.state.navigation.state === "idle";
  });
}

async function axe(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `axe ${v.impact} ${v.id}: ${v.help} (${v.nodes.length} nodes, first: ${v.nodes[0]?.target.join(" ")})`);
}

async function signIn(context: BrowserContext, account: (typeof DEMO_ACCOUNTS)[number]) {
  const page = await context.newPage();
  await page.goto(`${app.baseUrl}/login`);
  await page.getByLabel("Email").fill(account.email);
  await page.getByLabel("Password").fill(account.password);
  await page.getByLabel("Password").press("Enter");
  await page.waitForURL(`${app.baseUrl}/`);
  await page.close();
}

/** Fields a person fills in (not hidden inputs, buttons, or a table's row checkboxes). */
const FILLABLE = "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=checkbox]):not([type=radio]), select, textarea";

/**
 * The page's main form: the one marked data-main-form, else the first
 * validated form (noValidate: react-hook-form with the server's schema) that
 * posts and has a field to fill. Action buttons (go online, next case,
 * remove a rule) and filters are not forms to validate.
 */
async function mainForm(page: Page) {
  const marked = page.locator("main form[data-main-form]");
  if (await marked.count()) return marked.first();
  const forms = page.locator("main form[novalidate]");
  const count = await forms.count();
  for (let i = 0; i < count; i++) {
    const form = forms.nth(i);
    if ((await form.getAttribute("method"))?.toLowerCase() !== "post") continue;
    const fields = form.locator(FILLABLE);
    const fieldCount = await fields.count();
    for (let j = 0; j < fieldCount; j++) if (await fields.nth(j).isVisible()) return form;
  }
  return null;
}

/** Valid values for forms that start empty (create forms); edit forms are valid as loaded. */
const VALID: Record<string, (page: Page) => Promise<void>> = {
  "/users": async (page) => {
    await page.getByLabel("Full name").fill(`Sweep Person ${Date.now()}`);
    await page.getByLabel("Work email").fill(`sweep-${Date.now()}@surge.test`);
  },
  "/volunteers/new": async (page) => {
    const form = (await mainForm(page))!;
    await form.locator("[name=name]").fill("Sweep Volunteer");
    await form.locator("[name=email]").fill(`sweep-volunteer-${Date.now()}@airline.example`);
    await form.locator("[name=employeeNumber]").fill(`S${Date.now() % 1_000_000}`);
    await form.locator("[name=origin]").selectOption({ index: 1 });
    await form.locator("[name=homeBase]").fill("AMS");
    await form.locator("[name='languages.0.code']").selectOption("en");
    await form.locator("[name='languages.0.proficiency']").selectOption({ index: 1 });
    await form.locator("[name=channels]").first().check();
    await form.locator("[name=timeZone]").fill("Europe/Amsterdam");
    await form.locator("[name=availability]").fill("Weekdays");
    await form.locator("[name=startDate]").fill("2026-01-05");
  },
  "/volunteers/import": async (page) => {
    await page.getByLabel("CSV or Excel file").setInputFiles(path.join(root, "tests/fixtures/enrolment/volunteers-good.csv"));
  },
  "/cases/import": async (page) => {
    const csv = `idempotencyKey,channelId,language,customerId,customerName,body\nsweep-${Date.now()},whatsapp,en,C-SWEEP,Sam Sweep,Where is my bag?\n`;
    await page.locator("main input[type=file]").setInputFiles({ name: "sweep.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
  },
  "/login": async (page) => {
    await page.getByLabel("Email").fill("agent@surge.test");
    await page.getByLabel("Password").fill("surge-agent-demo");
  },
  "/invite/:token": async (page) => {
    await page.getByLabel("New password").fill("a sweep of the whole app");
    await page.getByLabel("Type the password again").fill("a sweep of the whole app");
  },
  "/reset/:token": async (page) => {
    await page.getByLabel("New password", { exact: true }).fill("a sweep of the whole app");
    await page.getByLabel("Type the password again").fill("a sweep of the whole app");
  },
  "/capacity/alerts": async (page) => {
    await page.getByLabel("Watch").selectOption("backlog");
    await page.getByLabel("Threshold").fill("1000000");
  },
  "/integrations": async (page) => {
    await page.getByLabel("Name", { exact: true }).fill(`sweep-${Date.now()}`);
  },
};

/** A fingerprint of every table but the sign-in bookkeeping (sessions, attempts), the capacity rollup and the job claims, which background jobs rewrite on their own. */
async function databaseFingerprint(): Promise<Record<string, string>> {
  const tables = await sql.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' AND table_name NOT IN ('Session', 'LoginAttempt', '_prisma_migrations', 'CapacityHour', 'CapacityRollupHour', 'RecurringJobRun') ORDER BY 1`,
  );
  const result: Record<string, string> = {};
  for (const { name } of tables.rows) {
    const row = await sql.query<{ digest: string | null; n: string }>(`SELECT md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest, count(*) AS n FROM "${name}" t`);
    result[name] = `${row.rows[0]!.n}:${row.rows[0]!.digest ?? ""}`;
  }
  return result;
}

async function submit(page: Page, form: ReturnType<Page["locator"]>) {
  await form.locator("button[type=submit]:not([disabled]), button:not([type]):not([disabled])").first().click();
  await page.waitForLoadState();
  await hydrated(page);
}

/**
 * Empty: every field cleared, submitted; the focus must land on the error
 * summary (role=alert). Then as loaded (or with VALID's values): no error,
 * and a save without changes leaves the database as it was.
 */
async function checkMainForm(page: Page, route: PageRoute, url: string, problems: Problems) {
  let form = await mainForm(page);
  if (!form) return;
  const fields = form.locator(FILLABLE);
  for (let i = 0; i < (await fields.count()); i++) {
    const field = fields.nth(i);
    if (!(await field.isVisible()) || !(await field.isEditable())) continue;
    const tag = await field.evaluate((el) => el.tagName);
    const type = await field.getAttribute("type");
    if (tag === "SELECT") {
      const values = await field.locator("option").evaluateAll((options) => options.map((o) => (o as HTMLOptionElement).value));
      if (values.includes("")) await field.selectOption("");
    } else if (type === "file") {
      await field.setInputFiles([]);
    } else {
      await field.fill("");
    }
  }
  for (const box of await form.locator("input[type=checkbox]:checked").all()) if (await box.isVisible()) await box.uncheck();
  problems.expectRefusal = true;
  await submit(page, form);
  problems.expectRefusal = false;
  const focusInSummary = await page
    .waitForFunction(() => Boolean(document.activeElement?.closest("[role=alert]")), undefined, { timeout: 5_000 })
    .then(() => true)
    .catch(() => false);
  if (!focusInSummary) {
    const focused = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120));
    problems.list.push(`${url}: after an empty submit the focus is on ${focused}, not on the error summary`);
  }

  await page.goto(`${app.baseUrl}${url}`);
  await hydrated(page);
  form = await mainForm(page);
  if (!form) return;
  const before = await databaseFingerprint();
  const fill = VALID[route.pattern];
  if (fill) await fill(page);
  await submit(page, form);
  const errorsShown = await page.locator("main [role=alert]").allTextContents();
  expect(errorsShown.filter((text) => text.trim()), `${url}: the form as loaded${fill ? " with valid values" : ""} was refused`).toEqual([]);
  if (!fill) expect(await databaseFingerprint(), `${url}: saving without changes changed the database`).toEqual(before);
  if (route.pattern === "/users") invitationToken = (await page.locator("main code").first().textContent())?.split("/invite/")[1]?.trim();
}

const VISITORS: [Role, (typeof DEMO_ACCOUNTS)[number] | null][] = [...DEMO_ACCOUNTS.map((a) => [a.role, a] as [Role, typeof a]), ["signed out", null]];

describe.each(VISITORS)("as %s", (role, account) => {
  let context: BrowserContext;
  const allowed = new Set<string>();
  const linked = new Set<string>();
  let navigation: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    if (account) await signIn(context, account);
  });
  afterAll(async () => context?.close());

  it.each(routes.map((route) => [route.pattern, route] as const))("%s", async (_pattern, route) => {
    for (const url of await urlsFor(route, role)) {
      // Signed out, each page starts afresh: signing in on /login must not carry over.
      const page = account ? await context.newPage() : await (await browser.newContext({ viewport: { width: 1366, height: 900 } })).newPage();
      const problems = watch(page);
      const response = await page.goto(`${app.baseUrl}${url}`);
      const status = response?.status() ?? 0;
      const landed = new URL(page.url()).pathname;
      if (status === 403 || (route.pattern === "/login") !== (landed === "/login")) {
        // Not this role's page.
        await (account ? page.close() : page.context().close());
        continue;
      }
      expect(status, `${url} answered ${status}; the server said:\n${app.output().slice(-3000)}`).toBe(200);
      await hydrated(page);
      allowed.add(route.pattern);
      navigation = await page.locator("nav[aria-label=Main] a").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      for (const href of await page.locator("a[href]").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))) linked.add(href);
      problems.list.push(...(await axe(page)));
      expect(problems.list, url).toEqual([]);
      await checkMainForm(page, route, url, problems);
      expect(problems.list, url).toEqual([]);
      await (account ? page.close() : page.context().close());
    }
  });

  it("offers in the navigation only pages the role may use, and links every page it may use", () => {
    for (const href of navigation) expect(allowed, `${href} is in ${role}'s navigation`).toContain(routes.find((r) => r.pattern === href)?.pattern);
    for (const pattern of allowed) {
      if (pattern.includes(":") || pattern === "/login") continue;
      expect(linked, `${pattern} is not linked from any page ${role} sees`).toContain(pattern);
    }
  });
});
