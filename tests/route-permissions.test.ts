// Every page x every role: who gets the page, who gets 403, who is sent to sign-in.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
type Who = "signed_out" | (typeof DEMO_ACCOUNTS)[number]["role"];
const visitors = new Map<Who, Visitor>();
let volunteerCaseId = "";
let otherCaseId = "";

beforeAll(async () => {
  await seedDemoData(db, { cases: 30 });
  visitors.set("signed_out", new Visitor());
  for (const account of DEMO_ACCOUNTS) visitors.set(account.role, await signedIn(account.email, account.password));
  const volunteer = await db.user.findUniqueOrThrow({ where: { email: "volunteer@surge.test" } });
  volunteerCaseId = (await db.case.findFirstOrThrow({ where: { assigneeId: volunteer.id } })).id;
  otherCaseId = (await db.case.findFirstOrThrow({ where: { assigneeId: null, status: "open" } })).id;
});

const ok = 200;
const login = 302;
const no = 403;

// [page, signed out, admin, supervisor, planner, agent, volunteer]
const PAGES: [string | (() => string), Record<Who, number>][] = [
  ["/", { signed_out: login, admin: ok, supervisor: ok, planner: ok, agent: ok, volunteer: ok }],
  ["/cases", { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: ok, volunteer: ok }],
  [() => `/cases/${volunteerCaseId}`, { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: ok, volunteer: ok }],
  // A case a volunteer may not see answers like one that does not exist.
  [() => `/cases/${otherCaseId}`, { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: ok, volunteer: 404 }],
  ["/users", { signed_out: login, admin: ok, supervisor: ok, planner: ok, agent: no, volunteer: no }],
  ["/audit", { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: no, volunteer: no }],
  // Escalation: my escalations, the help inbox, the planners' rates, the supervisors' reasons.
  ["/escalations", { signed_out: login, admin: ok, supervisor: no, planner: no, agent: ok, volunteer: ok }],
  ["/help", { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: ok, volunteer: no }],
  ["/escalations/report", { signed_out: login, admin: ok, supervisor: ok, planner: ok, agent: no, volunteer: no }],
  ["/escalations/reasons", { signed_out: login, admin: ok, supervisor: ok, planner: no, agent: no, volunteer: no }],
];

const cells = PAGES.flatMap(([page, expected]) =>
  (Object.keys(expected) as Who[]).map((who) => ({ page, who, status: expected[who] })),
);

describe("pages by role", () => {
  it.each(cells.map((c) => [typeof c.page === "string" ? c.page : c.page().replace(/[a-z0-9]{20,}/, ":id"), c.who, c.status, c] as const))(
    "GET %s as %s -> %i",
    async (_label, who, status, cell) => {
      const path = typeof cell.page === "string" ? cell.page : cell.page();
      const response = await visitors.get(who)!.get(path);
      expect(response.status).toBe(status);
      const body = await response.text();
      if (status === login) expect(response.headers.get("Location")).toMatch(/^\/login\?redirectTo=/);
      if (status === no) {
        // A refusal carries no data from the page it guards.
        expect(body).not.toMatch(/<caption>|Case #\d+:/);
      }
    },
  );
});

describe("actions by role", () => {
  const createVolunteer = { intent: "create", name: "Role Probe", role: "volunteer" };
  it.each([
    ["signed_out", 302],
    ["volunteer", 403],
    ["agent", 403],
    ["supervisor", 403],
    ["planner", 200],
    ["admin", 200],
  ] as const)("POST /users (create a volunteer) as %s -> %i", async (who, status) => {
    const email = `probe-${who}@surge.test`;
    const response = await visitors.get(who)!.post("/users", { ...createVolunteer, email });
    expect(response.status).toBe(status);
    expect(await db.user.count({ where: { email } })).toBe(status === 200 ? 1 : 0);
  });

  it("shows each role only the navigation it may use", async () => {
    const nav = async (who: Who) => {
      const html = await (await visitors.get(who)!.get("/")).text();
      const navHtml = /<nav aria-label="Main">([\s\S]*?)<\/nav>/.exec(html)?.[1] ?? "";
      return [...navHtml.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
    };
    expect(await nav("admin")).toEqual([
      "/", "/cases", "/inbox", "/escalations", "/help", "/settings", "/users", "/volunteers", "/volunteers/pipeline", "/capacity", "/training",
      "/training/report", "/escalations/report",
    ]);
    expect(await nav("supervisor")).toEqual([
      "/", "/cases", "/inbox", "/help", "/settings", "/users", "/volunteers", "/capacity", "/training/report", "/escalations/report",
    ]);
    expect(await nav("planner")).toEqual(["/", "/users", "/volunteers", "/volunteers/pipeline", "/capacity", "/training/report", "/escalations/report"]);
    expect(await nav("agent")).toEqual(["/", "/cases", "/cases/next", "/inbox", "/escalations", "/help", "/presence", "/training"]);
    expect(await nav("volunteer")).toEqual(["/", "/cases", "/cases/next", "/inbox", "/escalations", "/presence", "/training"]);
    // The set-up pages are one click further, on Settings, for the roles that may use them.
    const settingsOf = async (who: Who) => {
      const response = await visitors.get(who)!.get("/settings");
      if (response.status !== 200) return response.status;
      return [...(await response.text()).matchAll(/<main[\s\S]*?<\/main>/g)].flatMap((m) => [...m[0].matchAll(/href="([^"]+)"/g)].map((h) => h[1]));
    };
    expect(await settingsOf("admin")).toEqual(["/rules", "/templates", "/topics", "/routing", "/channels", "/integrations", "/cases/import", "/escalations/reasons", "/audit", "/permissions"]);
    expect(await settingsOf("supervisor")).toEqual(["/rules", "/templates", "/topics", "/routing", "/integrations", "/cases/import", "/escalations/reasons", "/audit", "/permissions"]);
    expect(await settingsOf("planner")).toBe(403);
  });

  it("lists only a volunteer's own cases", async () => {
    const html = await (await visitors.get("volunteer")!.get("/cases")).text();
    const volunteer = await db.user.findUniqueOrThrow({ where: { email: "volunteer@surge.test" } });
    // The cases they hold, and (read-only) the ones they escalated.
    const mine = await db.case.count({ where: { OR: [{ assigneeId: volunteer.id }, { escalations: { some: { raisedById: volunteer.id } } }] } });
    expect(mine).toBeGreaterThan(0);
    expect(html).toContain(`<caption>${mine}<!-- --> cases`);
    expect(html).not.toContain(otherCaseId);
  });
});
