// A real server (`app/server/start.ts` on a fresh embedded database) and a
// headless Debian Chromium driven by playwright-core.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium, type Browser } from "playwright-core";
import { postgresDatabase, root, type TestDatabase } from "../support/databases";

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

export interface RunningApp {
  baseUrl: string;
  /** The app's database, for tests that check what a screen stored. */
  databaseUrl: string;
  output: () => string;
  stop(): Promise<void>;
}

/**
 * The server on a fresh database with the demo data: embedded by default, a
 * throwaway database on TEST_DATABASE_URL's server when it is set (CI runs
 * the suite on both), dropped again by stop().
 */
export async function startApp(): Promise<RunningApp> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "surge-e2e-"));
  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SURGE_DATA_DIR: dataDir, SURGE_UPKEEP: "0" };
  delete env.DATABASE_URL;
  delete env.SESSION_SECRET;
  let database: TestDatabase | null = null;
  if (process.env.TEST_DATABASE_URL) {
    database = await postgresDatabase(process.env.TEST_DATABASE_URL);
    env.DATABASE_URL = database.url;
    env.SESSION_SECRET = randomBytes(32).toString("base64url");
    env.SURGE_SEED_DEMO = "1";
    // Plain http://localhost in the tests, where Secure cookies would not stick.
    env.SURGE_COOKIE_SECURE = "0";
  }
  const child: ChildProcess = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "app/server/start.ts"], {
    cwd: root,
    env,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk) => (output += chunk));
  child.stderr!.on("data", (chunk) => (output += chunk));
  const cleanUp = async () => {
    rmSync(dataDir, { recursive: true, force: true });
    await database?.drop();
  };
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setInterval(() => {
        if (output.includes("Surge is ready")) {
          clearInterval(timer);
          resolve();
        }
      }, 100);
      child.on("exit", (code) => {
        clearInterval(timer);
        reject(new Error(`server exited with ${code}:\n${output}`));
      });
    });
  } catch (error) {
    await cleanUp();
    throw error;
  }
  const databaseUrl = database?.url ?? /Embedded database listening at ([^\s"]+)/.exec(output)?.[1];
  if (!databaseUrl) throw new Error(`no database URL in the server's output:\n${output}`);
  return {
    baseUrl: `http://localhost:${port}`,
    databaseUrl,
    output: () => output,
    async stop() {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      child.kill("SIGTERM");
      await exited;
      await cleanUp();
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}
