// The local "customer channel": a tiny HTTP server standing in for the
// WhatsApp/e-mail connector at the other end of a delivery webhook, for the
// demo (`npm run sink`), the tests and the benchmark. It does what a real
// receiver must: verify the signature over the raw body, drop repeats by
// idempotency key (answering 200 so the sender stops), and keep what arrived.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { parseWebhookMessage, type WebhookMessage } from "./webhook-payload";
import { SIGNATURE_HEADER, verifyWebhookSignature } from "./webhook-signature";

export interface ReceivedMessage extends WebhookMessage {
  receivedAt: string;
}

export interface CustomerSinkOptions {
  port?: number;
  host?: string;
  /** The webhook secret the sender signs with. */
  secret: string;
  /** Tests: an HTTP status to answer instead of accepting (e.g. 503 to force a retry); undefined accepts. */
  respond?: (message: WebhookMessage, attempt: number) => number | undefined;
}

export interface CustomerSink {
  url: string;
  /** Messages accepted, once each, in arrival order. */
  received(): ReceivedMessage[];
  /** Posts per idempotency key (accepted, repeated or refused by `respond`). */
  posts(): Map<string, number>;
  /** Posts of a key already accepted (dropped). */
  repeats(): number;
  /** Posts refused for a missing or wrong signature. */
  rejected(): number;
  stop(): Promise<void>;
}

const MAX_BODY_BYTES = 256 * 1024;

function readRawBody(request: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(null);
        request.destroy();
      } else chunks.push(chunk);
    });
    request.on("end", () => resolve(Buffer.concat(chunks)));
    request.on("error", reject);
  });
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function listPage(messages: readonly ReceivedMessage[]): string {
  const rows = messages
    .slice()
    .reverse()
    .map(
      (m) =>
        `<tr><td>${escapeHtml(m.receivedAt)}</td><td>${escapeHtml(m.caseId)}</td><td>${escapeHtml(m.kind)}</td><td>${escapeHtml(m.sender)}</td>` +
        `<td>${escapeHtml(m.language)}</td><td>${escapeHtml(m.body)}</td></tr>`
    )
    .join("");
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Customer channel sink</title></head><body>
<h1>Customer channel sink</h1><p>${messages.length} messages received (newest first). JSON: <a href="/messages.json">/messages.json</a></p>
<table><thead><tr><th>Received</th><th>Case</th><th>Kind</th><th>Sender</th><th>Language</th><th>Body</th></tr></thead><tbody>${rows}</tbody></table>
</body></html>`;
}

export async function startCustomerSink(options: CustomerSinkOptions): Promise<CustomerSink> {
  const received: ReceivedMessage[] = [];
  const accepted = new Set<string>();
  const posts = new Map<string, number>();
  let repeats = 0;
  let rejected = 0;

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const reply = (status: number, body: string, type = "application/json") => {
      response.writeHead(status, { "Content-Type": type });
      response.end(body);
    };
    if (request.method === "GET") {
      if (request.url === "/messages.json") return reply(200, JSON.stringify(received));
      return reply(200, listPage(received), "text/html; charset=utf-8");
    }
    if (request.method !== "POST") return reply(405, JSON.stringify({ error: "GET or POST" }));
    const raw = await readRawBody(request);
    if (!raw) return reply(413, JSON.stringify({ error: "body too large" }));
    const signature = request.headers[SIGNATURE_HEADER.toLowerCase()];
    if (!verifyWebhookSignature(options.secret, raw, typeof signature === "string" ? signature : null)) {
      rejected++;
      return reply(401, JSON.stringify({ error: "bad signature" }));
    }
    const message = parseWebhookMessage(raw.toString("utf8"));
    const key = request.headers["idempotency-key"];
    if (!message || key !== message.idempotencyKey) return reply(400, JSON.stringify({ error: "not a Surge message" }));
    const attempt = (posts.get(key) ?? 0) + 1;
    posts.set(key, attempt);
    if (accepted.has(key)) {
      repeats++;
      return reply(200, JSON.stringify({ duplicate: true }));
    }
    const status = options.respond?.(message, attempt);
    if (status !== undefined) return reply(status, JSON.stringify({ error: "refused by the test" }));
    accepted.add(key);
    received.push({ ...message, receivedAt: new Date().toISOString() });
    return reply(200, JSON.stringify({ ok: true }));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500);
      response.end();
    });
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, options.host ?? "127.0.0.1", resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://${options.host ?? "127.0.0.1"}:${address.port}/`,
    received: () => received,
    posts: () => posts,
    repeats: () => repeats,
    rejected: () => rejected,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
