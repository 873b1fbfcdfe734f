// Bad input gets a clear 4xx and changes nothing; never a 500.
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
let visitor: Visitor;

beforeAll(async () => {
  await seedDemoData(db, { cases: 10 });
  visitor = await signedIn(admin.email, admin.password);
});

async function countUsers() {
  return db.user.count();
}

describe("bad input", () => {
  it("rejects a form in the wrong encoding with 415", async () => {
    const before = await countUsers();
    const response = await visitor.request("/users", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ intent: "create", name: "X", email: "x@surge.test", role: "volunteer" }),
    });
    expect(response.status).toBe(415);
    expect(await countUsers()).toBe(before);
  });

  it("rejects a malformed multipart body with 400", async () => {
    const response = await visitor.request("/users", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=zzz" },
      body: "this is not multipart at all",
    });
    expect(response.status).toBe(400);
  });

  it("refuses a form body over the size limit with 413", async () => {
    const response = await visitor.request("/users", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "Content-Length": String(1024 * 1024) },
      body: "a=" + "x".repeat(1024 * 1024 - 2),
    });
    expect(response.status).toBe(413);
  });

  it.each([
    ["an over-long name", { name: "N".repeat(500), email: "long@surge.test", role: "volunteer" }, "name", "at most 120 characters"],
    ["an invalid email", { name: "Valid Name", email: "not-an-email", role: "volunteer" }, "email", "valid email address"],
    ["an unknown role", { name: "Valid Name", email: "role@surge.test", role: "pilot-in-command" }, "role", "Choose a role"],
    ["a missing name", { email: "noname@surge.test", role: "volunteer" }, "name", "Enter the person's name"],
  ])("answers %s with 400 and the field's message, creating nothing", async (_label, fields, field, message) => {
    const before = await countUsers();
    const response = await visitor.post("/users", { intent: "create", ...fields });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain(message);
    expect(await countUsers()).toBe(before);
    expect(field).toBeTruthy();
  });

  it("answers an over-long password at sign-in with 400, not a hash of megabytes", async () => {
    const response = await new Visitor().post("/login", { email: admin.email, password: "p".repeat(5000) });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain("at most 200 characters");
  });

  it("answers an unknown case id with 404 and an unknown page with 404", async () => {
    expect((await visitor.get("/cases/does-not-exist")).status).toBe(404);
    expect((await visitor.get("/no-such-page")).status).toBe(404);
  });

  it("answers an unknown person id when re-issuing a link with 404", async () => {
    const response = await visitor.post("/users", { intent: "reissue", userId: "nobody" });
    expect(response.status).toBe(404);
  });

  it("answers a wrong method with 405", async () => {
    const response = await visitor.post("/cases", { anything: "x" });
    expect(response.status).toBe(405);
    expect((await visitor.get("/logout")).status).toBe(405);
  });

  it("treats nonsense page numbers and filters as the first page", async () => {
    const response = await visitor.get("/cases?page=-3&status=bogus&channel=%00&language=xx");
    expect(response.status).toBe(200);
    expect(await response.text()).toContain("Page <!-- -->1<!-- --> of");
  });

  it("answers an unknown intent with 400", async () => {
    const response = await visitor.post("/users", { intent: "drop-tables" });
    expect(response.status).toBe(400);
  });
});
