// The HTTP layer (app/server/http.server.ts): only GET, HEAD and POST reach
// the app; a form posted from another site gets a clear 403; behind a proxy
// the configured public origin is the app's address. Plus: unknown ids in
// actions are 404s, not 500s.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";
import { rawRequest, startHttpServer, type HttpServer } from "./support/http-server";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
let server: HttpServer;
let behindProxy: HttpServer;
let visitor: Visitor;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  server = await startHttpServer();
  behindProxy = await startHttpServer({ publicOrigin: new URL("https://surge.example.org") });
  visitor = await signedIn(admin.email, admin.password);
});
afterAll(async () => {
  await server.close();
  await behindProxy.close();
});

/** A form as the signed-in admin's browser would post it, with its cookies and token. */
async function formRequest(target: HttpServer, method: string, pathname: string, fields: Record<string, string>, headers: Record<string, string> = {}) {
  const body = new URLSearchParams({ csrf: await visitor.csrfToken(), ...fields }).toString();
  return rawRequest(target, method, pathname, {
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: visitor.cookieHeader(), ...headers },
    body,
  });
}

describe("HTTP methods", () => {
  it("answers TRACE and other unknown methods with 405", async () => {
    for (const method of ["TRACE", "OPTIONS", "PROPFIND"]) {
      const response = await rawRequest(server, method, "/");
      expect(response.status, method).toBe(405);
      expect(response.headers.allow).toBe("GET, HEAD, POST");
    }
  });

  it("answers PUT, PATCH and DELETE with 405 without running the route's action", async () => {
    const before = await db.user.count();
    for (const method of ["PUT", "PATCH", "DELETE"]) {
      const response = await formRequest(server, method, "/users", {
        intent: "create",
        name: `Put Person ${method}`,
        email: `put-${method.toLowerCase()}@surge.test`,
        role: "volunteer",
      });
      expect(response.status, method).toBe(405);
    }
    expect(await db.user.count()).toBe(before);
    // The same form as a POST is accepted: the 405s were about the method.
    const posted = await formRequest(server, "POST", "/users", { intent: "create", name: "Post Person", email: "post@surge.test", role: "volunteer" });
    expect(posted.status).toBe(200);
    expect(await db.user.count()).toBe(before + 1);
  });
});

describe("Origin of posted forms", () => {
  it("refuses a form posted from another site with a clear 403 and changes nothing", async () => {
    const before = await db.user.count();
    const response = await formRequest(
      server,
      "POST",
      "/users",
      { intent: "create", name: "Evil Person", email: "evil@surge.test", role: "admin" },
      { Origin: "https://evil.example" },
    );
    expect(response.status).toBe(403);
    expect(response.body).toContain("sent from another site");
    expect(await db.user.count()).toBe(before);
    // Also when the other site forges a forwarded host to match its Origin.
    const forged = await rawRequest(server, "POST", "/login", {
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: "https://evil.example", "X-Forwarded-Host": "evil.example" },
      body: "email=a%40b.c&password=x",
    });
    expect(forged.status).toBe(403);
  });

  it("accepts a form from its own origin", async () => {
    const response = await formRequest(
      server,
      "POST",
      "/users",
      { intent: "create", name: "Same Site", email: "same-site@surge.test", role: "volunteer" },
      { Origin: server.url },
    );
    expect(response.status).toBe(200);
  });

  it("behind a proxy, takes the configured public origin as its address (forms and links)", async () => {
    const response = await formRequest(
      behindProxy,
      "POST",
      "/users",
      { intent: "create", name: "Proxied Person", email: "proxied@surge.test", role: "volunteer" },
      { Origin: "https://surge.example.org" },
    );
    expect(response.status).toBe(200);
    expect(response.body).toContain("https://surge.example.org/invite/");
    const internal = await formRequest(behindProxy, "POST", "/login", { email: "a@b.c", password: "x" }, { Origin: behindProxy.url });
    expect(internal.status).toBe(403);
  });
});

describe("unknown ids in actions", () => {
  it("answers revoking an unknown integration with 404", async () => {
    const response = await visitor.post("/integrations", { intent: "revoke", id: "no-such-integration" });
    expect(response.status).toBe(404);
  });
});
