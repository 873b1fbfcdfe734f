// Every request body is read through one limit that counts bytes as they
// stream (app/server/request-body.server.ts): a body without Content-Length
// is stopped at the limit with 413, and nothing past it is read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "../app/db/db.server";
import { MAX_FORM_BYTES } from "../app/server/request-body.server";
import { DEMO_INTEGRATION } from "../app/cases/cases-demo.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { signedIn, Visitor } from "./support/app-client";
import { startHttpServer, streamChunkedUntilAnswered, type HttpServer } from "./support/http-server";

const db = getDb();
const admin = DEMO_ACCOUNTS.find((a) => a.role === "admin")!;
const CHUNK = 16 * 1024;
let server: HttpServer;

beforeAll(async () => {
  await seedDemoData(db, { cases: 0 });
  server = await startHttpServer();
});
afterAll(() => server.close());

/** A streamed body with no length: `prefix`, then `filler` repeated up to `total` bytes; counts what the server pulled. */
function streamedBody(total: number, filler: string, prefix = "") {
  const encoder = new TextEncoder();
  const first = encoder.encode(prefix);
  const piece = encoder.encode(filler.repeat(Math.max(1, Math.floor(CHUNK / filler.length))));
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (counter.pulled >= total) return controller.close();
        const next = counter.pulled === 0 && first.byteLength ? first : piece;
        counter.pulled += next.byteLength;
        controller.enqueue(next);
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

function post(visitor: Visitor, pathname: string, body: ReadableStream<Uint8Array>, headers: Record<string, string>) {
  return visitor.request(pathname, { method: "POST", headers, body, duplex: "half" } as RequestInit);
}

describe("request body limit", () => {
  it("stops a streamed sign-in form at the form limit with 413", async () => {
    const { stream, counter } = streamedBody(8 * 1024 * 1024, "x", "email=a%40b.c&password=");
    const response = await post(new Visitor(), "/login", stream, { "Content-Type": "application/x-www-form-urlencoded" });
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(MAX_FORM_BYTES + 2 * CHUNK);
  });

  it("stops the intake API at its limit while the body streams, not after reading it all", async () => {
    const limit = 12 * 1024 * 1024;
    const { stream, counter } = streamedBody(limit + 8 * 1024 * 1024, " ", '{"cases":[');
    const response = await post(new Visitor(), "/api/cases", stream, {
      "Content-Type": "application/json",
      Authorization: `Bearer ${DEMO_INTEGRATION.token}`,
    });
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeLessThanOrEqual(limit + 2 * CHUNK);
  });

  it("refuses endless text parts before the file of an enrolment upload with 413", async () => {
    const visitor = await signedIn(admin.email, admin.password);
    const boundary = "surgeboundary";
    const part = `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\n${"n".repeat(1000)}\r\n`;
    const { stream, counter } = streamedBody(4 * 1024 * 1024, part);
    const before = await db.enrolmentImport.count();
    const response = await post(visitor, "/volunteers/import", stream, { "Content-Type": `multipart/form-data; boundary=${boundary}` });
    expect(response.status).toBe(413);
    expect(counter.pulled).toBeLessThan(256 * 1024);
    expect(await db.enrolmentImport.count()).toBe(before);
  });

  it("answers a chunked sign-in body with no Content-Length over HTTP with 413 and closes the connection", async () => {
    const answer = await streamChunkedUntilAnswered(server, "/login", {
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      prefix: "email=a%40b.c&password=",
      chunk: "x".repeat(CHUNK),
      maxBytes: 150 * 1024 * 1024,
    });
    expect(answer.status).toBe(413);
    // The client stopped long before 150 MB: the server answered at the limit (socket buffers hold a few MB).
    expect(answer.bytesWritten).toBeLessThan(32 * 1024 * 1024);
  });
});
