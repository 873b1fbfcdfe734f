// `npm run db:seed` (runSeedCommand) must not put published demo passwords
// on a database that holds real accounts, unless forced.
import { describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, runSeedCommand } from "../prisma/seed";
import { Visitor } from "./support/app-client";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;

describe("demo seed on a database in use", () => {
  it("refuses, says why, and leaves the demo admin unable to sign in; --force adds it", async () => {
    await db.user.create({
      data: { email: "ops.lead@airline.example", name: "Real Admin", role: "admin", passwordHash: await hashPassword("a real admin password") },
    });
    const errors: string[] = [];
    const code = await runSeedCommand(db, { force: false, log: () => {}, error: (line) => errors.push(line) });
    expect(code).toBe(1);
    expect(errors.join("\n")).toMatch(/Refusing to add demo data: this database holds 1 account the demo did not create/);
    expect(errors.join("\n")).toContain("--force");
    expect(await db.user.count({ where: { email: admin.email } })).toBe(0);
    expect(await db.integration.count()).toBe(0);
    expect((await new Visitor().signIn(admin.email, admin.password)).status).toBe(401);

    const forced = await runSeedCommand(db, { force: true, log: () => {}, error: () => {} });
    expect(forced).toBe(0);
    expect((await new Visitor().signIn(admin.email, admin.password)).status).toBe(302);
  });

  it("tops up a database that holds only demo data without asking", async () => {
    const code = await runSeedCommand(db, { force: false, log: () => {}, error: () => {} });
    // The real admin from the first test is still there, so it is refused again.
    expect(code).toBe(1);
    await db.user.delete({ where: { email: "ops.lead@airline.example" } });
    expect(await runSeedCommand(db, { force: false, log: () => {}, error: () => {} })).toBe(0);
  });
});
