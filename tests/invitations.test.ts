import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
const planner = DEMO_ACCOUNTS.find((a) => a.role === "planner")!;
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;

beforeAll(async () => {
  await seedDemoData(db, { cases: 10 });
});

async function invite(email: string, role = "volunteer", as = planner) {
  const staff = await signedIn(as.email, as.password);
  const response = await staff.post("/users", { intent: "create", name: "Noor Janssen", email, role });
  const html = await response.text();
  const link = /class="copy-link">([^<]+)</.exec(html)?.[1];
  return { response, link, staff, html };
}

function pathOf(link: string) {
  return new URL(link).pathname;
}

describe("invitations", () => {
  it("lets a planner create a volunteer and hands back a one-time link that sets a password and signs in", async () => {
    const { response, link } = await invite("noor.janssen@crew.surge.test");
    expect(response.status).toBe(200);
    expect(link).toMatch(/\/invite\/[A-Za-z0-9_-]{40,}$/);
    const user = await db.user.findUniqueOrThrow({ where: { email: "noor.janssen@crew.surge.test" } });
    expect(user.role).toBe("volunteer");
    expect(user.passwordHash).toBeNull();
    // Only a hash of the token is stored.
    const stored = await db.invitation.findFirstOrThrow({ where: { userId: user.id } });
    expect(link).not.toContain(stored.tokenHash);

    const person = new Visitor();
    const page = await person.get(pathOf(link!));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Welcome to Surge, Noor Janssen");
    const accepted = await person.post(pathOf(link!), { password: "a long enough pass", confirm: "a long enough pass" });
    expect(accepted.status).toBe(302);
    expect(person.cookies.get("surge_session")).toBeTruthy();
    expect((await person.get("/")).status).toBe(200);
    // The new password works for a normal sign-in.
    expect((await new Visitor().signIn("noor.janssen@crew.surge.test", "a long enough pass")).status).toBe(302);
    expect(await db.auditLog.count({ where: { subjectId: user.id, action: { in: ["user.created", "invitation.issued", "invitation.accepted"] } } })).toBe(3);
  });

  it("works once: a reused link is refused and the password is not changed", async () => {
    const { link } = await invite("reuse@crew.surge.test");
    const first = new Visitor();
    expect((await first.post(pathOf(link!), { password: "first password!!", confirm: "first password!!" })).status).toBe(302);
    const hashAfterFirst = (await db.user.findUniqueOrThrow({ where: { email: "reuse@crew.surge.test" } })).passwordHash;
    const again = new Visitor();
    const page = await again.get(pathOf(link!));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("already been used");
    const post = await again.post(pathOf(link!), { password: "second password!!", confirm: "second password!!" });
    expect(post.status).toBe(410);
    expect(again.cookies.has("surge_session")).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { email: "reuse@crew.surge.test" } })).passwordHash).toBe(hashAfterFirst);
  });

  it("expires after 72 hours", async () => {
    const { link } = await invite("late@crew.surge.test");
    const user = await db.user.findUniqueOrThrow({ where: { email: "late@crew.surge.test" } });
    const invitation = await db.invitation.findFirstOrThrow({ where: { userId: user.id } });
    expect(invitation.expiresAt.getTime() - invitation.createdAt.getTime()).toBeCloseTo(72 * 3_600_000, -4);
    await db.invitation.update({ where: { id: invitation.id }, data: { expiresAt: new Date(Date.now() - 1000) } });
    const visitor = new Visitor();
    const page = await visitor.get(pathOf(link!));
    expect(page.status).toBe(410);
    expect(await page.text()).toContain("has expired");
    expect((await visitor.post(pathOf(link!), { password: "too late password", confirm: "too late password" })).status).toBe(410);
    expect((await db.user.findUniqueOrThrow({ where: { id: user.id } })).passwordHash).toBeNull();
  });

  it("re-issuing a link replaces the earlier one", async () => {
    const { link, staff } = await invite("again@crew.surge.test");
    const user = await db.user.findUniqueOrThrow({ where: { email: "again@crew.surge.test" } });
    const reissued = await staff.post("/users", { intent: "reissue", userId: user.id });
    expect(reissued.status).toBe(200);
    const newLink = /class="copy-link">([^<]+)</.exec(await reissued.text())?.[1];
    expect(newLink).toBeTruthy();
    expect(newLink).not.toBe(link);
    expect((await new Visitor().get(pathOf(link!))).status).toBe(410);
    expect((await new Visitor().get(pathOf(newLink!))).status).toBe(200);
  });

  it("rejects unknown links and a mismatched confirmation without changing anything", async () => {
    expect((await new Visitor().get("/invite/not-a-real-token")).status).toBe(410);
    const { link } = await invite("typo@crew.surge.test");
    const response = await new Visitor().post(pathOf(link!), { password: "one long password", confirm: "another password" });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("The two passwords are not the same.");
    expect((await db.user.findUniqueOrThrow({ where: { email: "typo@crew.surge.test" } })).passwordHash).toBeNull();
  });

  it("does not let a planner create an admin, and refuses a duplicate email", async () => {
    const { response } = await invite("sneaky@surge.test", "admin");
    expect(response.status).toBe(403);
    expect(await db.user.count({ where: { email: "sneaky@surge.test" } })).toBe(0);
    const duplicate = await invite(planner.email, "volunteer", admin);
    expect(duplicate.response.status).toBe(409);
    expect(duplicate.html).toContain("already has an account");
  });
});

describe("an invitation is only for an account that never set a password", () => {
  const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;
  const supervisor = DEMO_ACCOUNTS.find((a) => a.role === "supervisor")!;

  it.each([
    ["a planner", planner, agent],
    ["an admin", admin, supervisor],
  ])("%s asking a new link for a signed-up person gets 409 and no link", async (_who, as, target) => {
    const staff = await signedIn(as.email, as.password);
    const person = await db.user.findUniqueOrThrow({ where: { email: target.email } });
    const linksBefore = await db.invitation.count({ where: { userId: person.id } });
    const response = await staff.post("/users", { intent: "reissue", userId: person.id });
    expect(response.status).toBe(409);
    const html = await response.text();
    expect(html).not.toContain("/invite/");
    expect(html).toContain("already set a password");
    expect(await db.invitation.count({ where: { userId: person.id } })).toBe(linksBefore);
    expect((await new Visitor().signIn(target.email, target.password)).status).toBe(302);
  });

  it("refuses to accept an invitation once the account has a password, and changes nothing", async () => {
    const { link } = await invite("raced@crew.surge.test");
    // The person set a password some other way after the link was issued.
    const first = new Visitor();
    const other = await invite("raced-helper@crew.surge.test");
    expect((await first.post(pathOf(other.link!), { password: "helper password!", confirm: "helper password!" })).status).toBe(302);
    const helperHash = (await db.user.findUniqueOrThrow({ where: { email: "raced-helper@crew.surge.test" } })).passwordHash;
    await db.user.update({ where: { email: "raced@crew.surge.test" }, data: { passwordHash: helperHash } });
    const attacker = new Visitor();
    expect((await attacker.get(pathOf(link!))).status).toBe(410);
    const post = await attacker.post(pathOf(link!), { password: "attacker password", confirm: "attacker password" });
    expect(post.status).toBe(410);
    expect(attacker.cookies.has("surge_session")).toBe(false);
    expect((await db.user.findUniqueOrThrow({ where: { email: "raced@crew.surge.test" } })).passwordHash).toBe(helperHash);
  });
});

describe("password reset", () => {
  const agent = DEMO_ACCOUNTS.find((a) => a.role === "agent")!;

  async function startReset(as: { email: string; password: string }, email: string) {
    const staff = await signedIn(as.email, as.password);
    const person = await db.user.findUniqueOrThrow({ where: { email } });
    const response = await staff.post("/users", { intent: "reset", userId: person.id });
    const html = await response.text();
    const link = /class="copy-link">([^<]+)</.exec(html)?.[1];
    return { response, link, person, html };
  }

  it("may be started only by an admin", async () => {
    for (const role of ["planner", "supervisor"] as const) {
      const account = DEMO_ACCOUNTS.find((a) => a.role === role)!;
      const { response, person } = await startReset(account, agent.email);
      expect(response.status).toBe(403);
      expect(await db.invitation.count({ where: { userId: person.id, purpose: "password_reset" } })).toBe(0);
    }
  });

  it("is audited, completed by the person, and ends every session they had", async () => {
    const oldSession = await signedIn(agent.email, agent.password);
    const { response, link, person } = await startReset(admin, agent.email);
    expect(response.status).toBe(200);
    expect(link).toMatch(/\/reset\/[A-Za-z0-9_-]{40,}$/);
    expect(await db.auditLog.count({ where: { subjectId: person.id, action: "password_reset.issued" } })).toBe(1);
    // Starting a reset changes nothing yet.
    expect((await oldSession.get("/")).status).toBe(200);
    // A reset link is not an invitation link.
    expect((await new Visitor().get(`/invite/${pathOf(link!).split("/").pop()}`)).status).toBe(410);

    const owner = new Visitor();
    const page = await owner.get(pathOf(link!));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Choose a new password, Amira Agent");
    const done = await owner.post(pathOf(link!), { password: "a brand new password", confirm: "a brand new password" });
    expect(done.status).toBe(302);
    expect((await owner.get("/")).status).toBe(200);
    // The session from before the reset is gone; the old password no longer works.
    expect((await oldSession.get("/")).status).toBe(302);
    expect(await db.session.count({ where: { userId: person.id } })).toBe(1);
    expect((await new Visitor().signIn(agent.email, agent.password)).status).toBe(401);
    expect((await new Visitor().signIn(agent.email, "a brand new password")).status).toBe(302);
    expect(await db.auditLog.count({ where: { subjectId: person.id, action: "password_reset.completed" } })).toBe(1);
    // Works once.
    expect((await new Visitor().post(pathOf(link!), { password: "yet another password", confirm: "yet another password" })).status).toBe(410);
  });

  it("is refused for an account that never set a password (send an invitation instead)", async () => {
    await invite("no-password-yet@crew.surge.test");
    const { response, person, html } = await startReset(admin, "no-password-yet@crew.surge.test");
    expect(response.status).toBe(409);
    expect(html).toContain("send a new invitation link instead");
    expect(await db.invitation.count({ where: { userId: person.id, purpose: "password_reset" } })).toBe(0);
  });
});
