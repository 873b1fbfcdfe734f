// The one text rule (app/forms/text-rule.ts): NUL, lone surrogates and
// control characters anywhere, and invisible or direction-changing characters
// in names, get a 400 — never a PostgreSQL 22021/22P05 server error.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_INTEGRATION } from "../app/cases/cases-demo.server";
import { DEFAULT_PRIORITY_RULE_SET } from "../app/cases/priority-rules";
import { loadRuleSet } from "../app/cases/rule-sets.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";
import { intakeCase } from "./support/case-fixtures";
import { rawRequest, startHttpServer, type HttpServer } from "./support/http-server";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
let server: HttpServer;
let visitor: Visitor;

beforeAll(async () => {
  await seedDemoData(db, { cases: 3 });
  server = await startHttpServer();
  visitor = await signedIn(admin.email, admin.password);
});
afterAll(() => server.close());

/** The intake body as raw JSON text, so escapes such as \u0000 and \ud800 reach the server as sent. */
function postIntakeJson(json: string) {
  return new Visitor().request("/api/cases", {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${DEMO_INTEGRATION.token}` },
    body: json,
  });
}

describe("text rule", () => {
  it.each(["/volunteers?q=%00", "/cases?channel=%00", "/cases/ab%00cd", "/cases/%ED%A0%80", "/audit?page=1%01"])(
    "answers %s with 400",
    async (url) => {
      const response = await rawRequest(server, "GET", url, { headers: { Cookie: visitor.cookieHeader() } });
      expect(response.status).toBe(400);
      expect(response.body).toMatch(/contains|not valid/);
    },
  );

  it.each([
    ["a NUL", "Eve\u0000Null"],
    ["a bidi override", "Eve \u202Egnissim"],
    ["a zero-width space", "Ad\u200Bmin"],
    ["a line break", "Eve\nAdmin"],
  ])("refuses a person's name with %s (400), creating nobody", async (_label, name) => {
    const before = await db.user.count();
    const response = await visitor.post("/users", { intent: "create", name, email: `text-${before}@surge.test`, role: "volunteer" });
    expect(response.status).toBe(400);
    expect(await db.user.count()).toBe(before);
  });

  it("refuses a NUL in any form field, such as a reason", async () => {
    const kase = await db.case.findFirstOrThrow();
    const response = await visitor.post("/rules/bot", { intent: "reopen", caseId: kase.id, reason: "because\u0000" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("NUL");
  });

  it("refuses rule JSON with a NUL inside a string (400), keeping the rules", async () => {
    const before = await loadRuleSet("priority");
    const ruleSet = structuredClone(DEFAULT_PRIORITY_RULE_SET);
    ruleSet.rules[0]!.name = "Departs\u0000soon";
    const response = await visitor.post("/rules/priority", { intent: "json", json: JSON.stringify(ruleSet), version: String(before.version) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("NUL");
    expect((await loadRuleSet("priority")).version).toBe(before.version);
  });

  it.each([
    ["a NUL in the body", { body: "help\u0000" }],
    ["a lone surrogate in the subject", { subject: "broken \ud800 text" }],
    ["a bidi override in the customer's name", { customerName: "Eva \u202Eseirv ed" }],
  ])("refuses intake JSON with %s (400), storing nothing", async (_label, overrides) => {
    const before = await db.case.count();
    const response = await postIntakeJson(JSON.stringify(intakeCase(overrides)));
    expect(response.status).toBe(400);
    expect(((await response.json()) as { problems: { path: string }[] }).problems.length).toBeGreaterThan(0);
    expect(await db.case.count()).toBe(before);
  });
});
