import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { LOGIN_LIMITS } from "../app/auth/login-rate-limit.server";
import { hashPassword } from "../app/auth/password.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;
const ROLE_LABEL = { admin: "Administrator", supervisor: "Supervisor", planner: "Planner", agent: "Experienced agent", volunteer: "Volunteer" };

beforeAll(async () => {
  await seedDemoData(db, { cases: 40 });
});

describe("sign-in", () => {
  it.each(DEMO_ACCOUNTS)("signs in as the demo $role and shows a home page for that role", async (account) => {
    const visitor = new Visitor();
    const response = await visitor.signIn(account.email, account.password);
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    const session = visitor.cookies.get("surge_session");
    expect(session).toBeTruthy();
    const cookie = response.headers.getSetCookie().find((c) => c.startsWith("surge_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    const home = await visitor.get("/");
    expect(home.status).toBe(200);
    const html = await home.text();
    expect(html).toContain(account.name);
    expect(html).toContain(`role-badge">${ROLE_LABEL[account.role]}`);
    expect(await db.session.count({ where: { id: session } })).toBe(1);
  });

  it("marks the session cookie Secure unless the demo turns it off", async () => {
    process.env.SURGE_COOKIE_SECURE = "1";
    try {
      const response = await new Visitor().signIn(admin.email, admin.password);
      const cookie = response.headers.getSetCookie().find((c) => c.startsWith("surge_session="))!;
      expect(cookie).toMatch(/Secure/);
    } finally {
      process.env.SURGE_COOKIE_SECURE = "0";
    }
  });

  it("gives the same answer for an unknown email and a wrong password", async () => {
    const unknown = await new Visitor().signIn("nobody@surge.test", "whatever-password");
    const wrong = await new Visitor().signIn(agent.email, "not-the-password");
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    const message = (html: string) => /role="alert"[^>]*>(?:<p>)?([^<]+)</.exec(html)?.[1];
    const unknownMessage = message(await unknown.text());
    expect(unknownMessage).toContain("do not match an account");
    expect(message(await wrong.text())).toBe(unknownMessage);
  });

  it("sends a signed-out visitor to sign-in and back to the page they asked for", async () => {
    const response = await new Visitor().get("/cases?status=open");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login?redirectTo=%2Fcases%3Fstatus%3Dopen");
    const visitor = new Visitor();
    await visitor.csrfToken();
    const back = await visitor.post("/login", { email: agent.email, password: agent.password, redirectTo: "/cases?status=open" });
    expect(back.headers.get("Location")).toBe("/cases?status=open");
  });

  it.each([
    "//evil.example/x",
    "/\t/evil.example",
    "/\\evil.example",
    "/.//evil.example",
    "https://evil.example/",
    "/\n/evil.example",
    "/cases\r\nSet-Cookie: stolen=1",
  ])("never redirects off-site after sign-in (redirectTo %j), and never fails", async (redirectTo) => {
    const visitor = new Visitor();
    const response = await visitor.post("/login", { email: agent.email, password: agent.password, redirectTo });
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/");
    expect(visitor.cookies.get("surge_session")).toBeTruthy();
  });

  it("keeps a same-origin redirectTo as the path it resolves to", async () => {
    const visitor = new Visitor();
    const response = await visitor.post("/login", { email: agent.email, password: agent.password, redirectTo: "/training/../cases?status=open" });
    expect(response.headers.get("Location")).toBe("/cases?status=open");
  });
});

describe("sign-out and sessions", () => {
  it("signs out: the session is deleted and the old cookie no longer works", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    const oldCookie = visitor.cookieHeader();
    const sessionId = visitor.cookies.get("surge_session")!;
    const response = await visitor.post("/logout", {});
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toBe("/login");
    expect(visitor.cookies.has("surge_session")).toBe(false);
    expect(await db.session.count({ where: { id: sessionId } })).toBe(0);
    const replay = new Visitor();
    for (const part of oldCookie.split("; ")) {
      const [name, value] = part.split("=");
      replay.cookies.set(name!, value!);
    }
    expect((await replay.get("/")).status).toBe(302);
  });

  it("refuses GET /logout (signing out changes state)", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    const response = await visitor.get("/logout");
    expect(response.status).toBe(405);
    expect((await visitor.get("/")).status).toBe(200);
  });

  it("treats an expired session as signed out", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    const sessionId = visitor.cookies.get("surge_session")!;
    await db.session.update({ where: { id: sessionId }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const response = await visitor.get("/");
    expect(response.status).toBe(302);
    expect(response.headers.get("Location")).toMatch(/^\/login/);
    expect(await db.session.count({ where: { id: sessionId } })).toBe(0);
  });

  it("renews a session past half its life and extends it in the database", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    const sessionId = visitor.cookies.get("surge_session")!;
    const soon = new Date(Date.now() + 60 * 60_000);
    await db.session.update({ where: { id: sessionId }, data: { expiresAt: soon } });
    const response = await visitor.get("/");
    expect(response.status).toBe(200);
    expect(response.headers.getSetCookie().some((c) => c.startsWith(`surge_session=${sessionId}`))).toBe(true);
    const renewed = await db.session.findUniqueOrThrow({ where: { id: sessionId } });
    expect(renewed.expiresAt.getTime()).toBeGreaterThan(soon.getTime() + 60 * 60_000);
  });

  it("ends every session of a disabled account at its next request", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    await db.user.update({ where: { email: agent.email }, data: { status: "disabled" } });
    try {
      expect((await visitor.get("/")).status).toBe(302);
      expect((await new Visitor().signIn(agent.email, agent.password)).status).toBe(401);
    } finally {
      await db.user.update({ where: { email: agent.email }, data: { status: "active" } });
    }
  });
});

describe("CSRF protection", () => {
  it("rejects a sign-in post without the token and creates no session", async () => {
    const before = await db.session.count();
    const response = await new Visitor().post("/login", { email: admin.email, password: admin.password }, { csrf: null });
    expect(response.status).toBe(403);
    expect(await db.session.count()).toBe(before);
  });

  it("rejects a token that does not belong to this browser's cookie", async () => {
    const other = new Visitor();
    const foreignToken = await other.csrfToken();
    const visitor = await signedIn(admin.email, admin.password);
    const response = await visitor.post(
      "/users",
      { intent: "create", name: "Mallory", email: "mallory@surge.test", role: "volunteer" },
      { csrf: foreignToken },
    );
    expect(response.status).toBe(403);
    expect(await db.user.count({ where: { email: "mallory@surge.test" } })).toBe(0);
  });

  it("renews the token at sign-in: a token from before, even one planted with its cookie, is refused after", async () => {
    // An attacker gets a token and its cookie, and plants the cookie in the victim's browser.
    const attacker = new Visitor();
    const planted = await attacker.csrfToken();
    const victim = new Visitor();
    victim.cookies.set("surge_csrf", attacker.cookies.get("surge_csrf")!);
    expect((await victim.post("/login", { email: admin.email, password: admin.password }, { csrf: planted })).status).toBe(302);
    const renewed = await victim.csrfToken();
    expect(renewed).not.toBe(planted);
    const forged = await victim.post("/users", { intent: "create", name: "Mallory", email: "mallory2@surge.test", role: "admin" }, { csrf: planted });
    expect(forged.status).toBe(403);
    expect(await db.user.count({ where: { email: "mallory2@surge.test" } })).toBe(0);
    expect((await victim.post("/logout", {}, { csrf: renewed })).status).toBe(302);
  });

  it("binds the token to the session: it stops working when that session ends", async () => {
    const visitor = await signedIn(agent.email, agent.password);
    const first = await visitor.csrfToken();
    expect((await visitor.post("/logout", {}, { csrf: first })).status).toBe(302);
    expect((await visitor.signIn(agent.email, agent.password)).status).toBe(302);
    const second = await visitor.csrfToken();
    expect(second).not.toBe(first);
    expect((await visitor.post("/logout", {}, { csrf: first })).status).toBe(403);
    // Another session of the same person has its own token.
    const elsewhere = await signedIn(agent.email, agent.password);
    expect((await elsewhere.post("/logout", {}, { csrf: second })).status).toBe(403);
    expect((await visitor.get("/")).status).toBe(200);
  });

  it("rejects sign-out without the token (a cross-site page cannot sign people out)", async () => {
    const visitor = await signedIn(admin.email, admin.password);
    const response = await visitor.post("/logout", {}, { csrf: null });
    expect(response.status).toBe(403);
    expect((await visitor.get("/")).status).toBe(200);
  });
});

describe("login limits", () => {
  async function freshAccount(email: string, password: string) {
    await db.user.create({ data: { email, name: "Limit Tester", role: "agent", passwordHash: await hashPassword(password) } });
  }
  const statuses = (responses: Response[]) => responses.map((r) => r.status);

  it("lets at most the account's free attempts through when 30 sign-ins race (29 wrong, 1 right)", async () => {
    await freshAccount("race@surge.test", "the right password");
    const attempts = Array.from({ length: 30 }, (_, i) => (i === 17 ? "the right password" : `wrong-${i}`));
    // Thirty browsers on thirty addresses: only the account's limit applies.
    const visitors = attempts.map(() => new Visitor());
    await Promise.all(visitors.map((v) => v.csrfToken()));
    const responses = await Promise.all(visitors.map((v, i) => v.post("/login", { email: "race@surge.test", password: attempts[i]! })));
    const checked = statuses(responses).filter((status) => status === 401 || status === 302);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(LOGIN_LIMITS.account.freeFailures);
    expect(statuses(responses).filter((status) => status === 429).length).toBe(30 - checked.length);
  });

  it("slows down one client spraying many accounts, but not other clients", async () => {
    const sprayer = new Visitor();
    for (let i = 0; i < LOGIN_LIMITS.client.freeFailures; i++) {
      expect((await sprayer.signIn(`sprayed-${i}@surge.test`, "Summer2026!")).status).toBe(401);
    }
    const blocked = await sprayer.signIn(agent.email, agent.password);
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get("Retry-After"))).toBeGreaterThan(0);
    expect(await blocked.text()).toContain("Too many failed sign-in attempts");
    // The account itself is not held back: from another client the right password works.
    expect((await new Visitor().signIn(agent.email, agent.password)).status).toBe(302);
  });

  it("delays an account with growing waits, capped at a minute, instead of locking it out", async () => {
    const email = "target@surge.test";
    await freshAccount(email, "the right password");
    const passTime = () => db.loginThrottle.update({ where: { key: `account:${email}` }, data: { nextAttemptAt: new Date(Date.now() - 1000) } });
    for (let i = 0; i < LOGIN_LIMITS.account.freeFailures; i++) {
      expect((await new Visitor().signIn(email, `wrong-${i}`)).status).toBe(401);
    }
    const waits: number[] = [];
    for (let i = 0; i < 3; i++) {
      const refused = await new Visitor().signIn(email, "the right password");
      expect(refused.status).toBe(429);
      waits.push(Number(refused.headers.get("Retry-After")));
      await passTime();
      expect((await new Visitor().signIn(email, `still-wrong-${i}`)).status).toBe(401);
    }
    expect(waits[0]).toBeLessThanOrEqual(LOGIN_LIMITS.account.firstDelaySeconds);
    expect(waits[1]).toBeGreaterThan(waits[0]!);
    expect(waits[2]).toBeGreaterThan(waits[1]!);
    // However many failures, the wait stays short.
    await db.loginThrottle.update({ where: { key: `account:${email}` }, data: { failures: 500 } });
    await passTime();
    expect((await new Visitor().signIn(email, "wrong again")).status).toBe(401);
    const capped = await new Visitor().signIn(email, "the right password");
    expect(capped.status).toBe(429);
    expect(Number(capped.headers.get("Retry-After"))).toBeLessThanOrEqual(LOGIN_LIMITS.account.maxDelaySeconds);
    expect(LOGIN_LIMITS.account.maxDelaySeconds).toBeLessThanOrEqual(60);
    // Once the wait is over, the right password works.
    await passTime();
    expect((await new Visitor().signIn(email, "the right password")).status).toBe(302);
  });
});
