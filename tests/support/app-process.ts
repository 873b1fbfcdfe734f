// A real app instance (`app/server/start.ts`, the built app) in its own
// process on the test's PostgreSQL database, for the fault and shutdown
// tests, and a Visitor that talks to it over HTTP.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { Visitor } from "./app-client";
import { root } from "./databases";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface AppProcess {
  baseUrl: string;
  /** The application_name its database connections carry (to find them in pg_stat_activity). */
  applicationName: string;
  child: ChildProcess;
  output(): string;
  alive(): boolean;
  /** Resolves with the exit code (or signal) once the process is gone. */
  exited: Promise<number | string | null>;
  /** A visitor whose requests go to this process over HTTP (keep-alive connections). */
  visitor(): Visitor;
  kill(): Promise<void>;
}

export async function startAppProcess(options: { databaseUrl: string; env?: Record<string, string>; applicationName?: string }): Promise<AppProcess> {
  const port = await freePort();
  const applicationName = options.applicationName ?? `surge_app_${port}`;
  const url = new URL(options.databaseUrl);
  url.searchParams.set("application_name", applicationName);
  // Info level: start-up is awaited by its "Surge is ready" line (the test process itself logs only warnings).
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), DATABASE_URL: url.toString(), SURGE_UPKEEP: "0", SURGE_LOG_LEVEL: "info", ...options.env };
  // `node --import tsx`, not the tsx CLI: the CLI relays SIGTERM to its child and
  // SIGKILLs it when a busy child does not confirm the signal within 30 ms.
  const child = spawn(process.execPath, ["--import", "tsx", "app/server/start.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  let running = true;
  const exited = new Promise<number | string | null>((resolve) =>
    child.once("exit", (code, signal) => {
      running = false;
      resolve(code ?? signal);
    }),
  );
  await new Promise<void>((resolve, reject) => {
    const timer = setInterval(() => {
      if (output.includes("Surge is ready")) {
        clearInterval(timer);
        resolve();
      }
    }, 50);
    void exited.then((code) => {
      clearInterval(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  return {
    baseUrl,
    applicationName,
    child,
    output: () => output,
    alive: () => running,
    exited,
    visitor: () =>
      new Visitor(undefined, async (request) => {
        const target = new URL(request.url);
        const body = request.method === "GET" || request.method === "HEAD" ? undefined : await request.arrayBuffer();
        return fetch(new URL(target.pathname + target.search, baseUrl), { method: request.method, headers: request.headers, body, redirect: "manual" });
      }),
    async kill() {
      if (running) child.kill("SIGKILL");
      await exited;
    },
  };
}
