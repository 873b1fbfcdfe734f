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
