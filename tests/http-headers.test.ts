// Security headers (helmet in app/server/http.server.ts) and cookies: a
// strict Content-Security-Policy with a per-response script nonce, HSTS when
// cookies are Secure, no caching of signed-in pages, a session cookie that
// ends with the session.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";
import { rawRequest, startHttpServer, type HttpServer } from "./support/http-server";

const db = getDb();
const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;
let server: HttpServer;

beforeAll(async () => {
  await seedDemoData(db, { cases: 5 });
  server = await startHttpServer();
});
afterAll(() => server.close());

function directives(header: string | string[] | undefined): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const part of String(header ?? "").split(";")) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) map.set(name, values);
  }
  return map;
}

describe("security headers", () => {
  it("sends a strict Content-Security-Policy whose nonce is on every script of the page, new for each response", async () => {
    const first = await rawRequest(server, "GET", "/login");
    const second = await rawRequest(server, "GET", "/login");
    expect(first.status).toBe(200);
    const csp = directives(first.headers["content-security-policy"]);
    expect(csp.get("default-src")).toEqual(["'self'"]);
    expect(csp.get("object-src")).toEqual(["'none'"]);
    expect(csp.get("frame-ancestors")).toEqual(["'none'"]);
    const scriptSrc = csp.get("script-src")!;
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    // Nor eval: training modules are rendered from data (app/training/module-tree.server.ts).
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    const nonce = /^'nonce-(.+)'$/.exec(scriptSrc.find((v) => v.startsWith("'nonce-"))!)![1]!;
    expect(nonce.length).toBeGreaterThanOrEqual(16);
    const scripts = [...first.body.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    // Nor inline style attributes, which style-src 'self' would block.
    expect(first.body).not.toMatch(/<[^>]+\sstyle="/);
    expect(directives(second.headers["content-security-policy"]).get("script-src")).not.toContain(`'nonce-${nonce}'`);
    expect(first.headers["x-content-type-options"]).toBe("nosniff");
    expect(first.headers["x-frame-options"]).toBe("DENY");
    expect(first.headers["referrer-policy"]).toBe("same-origin");
  });

  it("sends HSTS only when cookies are Secure (served over HTTPS)", async () => {
    expect((await rawRequest(server, "GET", "/login")).headers["strict-transport-security"]).toBeUndefined();
    const saved = process.env.SURGE_COOKIE_SECURE;
    process.env.SURGE_COOKIE_SECURE = "1";
    const secure = await startHttpServer();
    process.env.SURGE_COOKIE_SECURE = saved;
    try {
      const response = await rawRequest(secure, "GET", "/login");
      expect(response.headers["strict-transport-security"]).toMatch(/max-age=31536000/);
      expect(directives(response.headers["content-security-policy"]).has("upgrade-insecure-requests")).toBe(true);
    } finally {
      await secure.close();
    }
  });

  it("marks signed-in pages and their data requests no-store", async () => {
    const visitor = await signedIn(supervisor.email, supervisor.password);
    const headers = { Cookie: visitor.cookieHeader() };
    const page = await rawRequest(server, "GET", "/cases", { headers });
    expect(page.status).toBe(200);
    expect(page.headers["cache-control"]).toBe("no-store");
    const data = await rawRequest(server, "GET", "/cases.data", { headers });
    expect(data.status).toBe(200);
    expect(data.headers["cache-control"]).toBe("no-store");
  });
});

describe("session cookie", () => {
  it("lives as long as the session (12 h), not 400 days", async () => {
    const visitor = new Visitor();
    const response = await visitor.signIn(supervisor.email, supervisor.password);
    expect(response.status).toBe(302);
    const cookie = response.headers.getSetCookie().find((line) => line.startsWith("surge_session="))!;
    expect(cookie).toMatch(/Max-Age=43200(;|$)/i);
  });
});
