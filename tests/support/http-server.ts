// The real Express app (app/server/http.server.ts: helmet, method and origin
// checks, compression) on a local port, over the same database as the test
// file, for what only the HTTP layer sees: methods Node's fetch refuses to
// send, chunked bodies, response headers.
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { HealthChecks } from "../../app/server/health.server";
import { createHttpApp } from "../../app/server/http.server";

const root = path.resolve(import.meta.dirname, "../..");

export interface HttpServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

export async function startHttpServer(options: { publicOrigin?: URL | null; health?: HealthChecks } = {}): Promise<HttpServer> {
  const build = (await import(pathToFileURL(path.join(root, "build/index.js")).href)) as ServerBuild;
  const server = createHttpApp(build, root, { publicOrigin: options.publicOrigin ?? null, health: options.health }).listen(0, "127.0.0.1");
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request with node:http (any method, any header). */
export function rawRequest(
  server: HttpServer,
  method: string,
  pathname: string,
  options: { headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request({ host: "127.0.0.1", port: server.port, method, path: pathname, headers: options.headers }, (response) => {
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body }));
    });
    request.on("error", reject);
    request.end(options.body);
  });
}

/**
 * Sends a chunked body (no Content-Length) of `chunk` repeated until the
 * server answers or `maxBytes` have been written; returns the answer and how
 * much was written before it came.
 */
export function streamChunkedUntilAnswered(
  server: HttpServer,
  pathname: string,
  options: { headers?: Record<string, string>; prefix?: string; chunk: string; maxBytes: number },
): Promise<RawResponse & { bytesWritten: number }> {
  return new Promise((resolve, reject) => {
    let written = 0;
    let answered = false;
    const request = http.request(
      { host: "127.0.0.1", port: server.port, method: "POST", path: pathname, headers: { ...options.headers, "Transfer-Encoding": "chunked" } },
      (response) => {
        answered = true;
        let body = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => (body += chunk));
        response.on("end", () => {
          request.destroy();
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, bytesWritten: written });
        });
      },
    );
    // The server may close the connection after answering while we still write.
    request.on("error", (error) => {
      if (!answered) reject(error);
    });
    let prefixed = !options.prefix;
    const write = () => {
      if (!prefixed) {
        prefixed = true;
        written += Buffer.byteLength(options.prefix!);
        request.write(options.prefix);
      }
      while (!answered && written < options.maxBytes) {
        written += Buffer.byteLength(options.chunk);
        if (!request.write(options.chunk)) return void request.once("drain", write);
      }
      if (!answered) request.end();
    };
    write();
  });
}
