// App instances the rehearsal starts itself (--start N): N processes of
// app/server/start.ts on one PostgreSQL database, each on its own port, which
// the fault injections can kill, stop and restart.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}

export interface Instance {
  index: number;
  url: string;
  port: number;
  child: ChildProcess | null;
  output: string;
  exited: Promise<number | string | null>;
}

export interface Cluster {
  databaseUrl: string;
  urls: string[];
  instances: Instance[];
  /** Starts (or starts again, on the same port) instance `index`; resolves once it serves. */
  start(index: number): Promise<void>;
  /** Sends a signal and waits for the process to end. */
  signal(index: number, signal: NodeJS.Signals): Promise<number | string | null>;
  /** Resident memory of each running instance in MB (Linux /proc). */
  rssMb(): number[];
  stop(): Promise<void>;
}

export interface ClusterOptions {
  root: string;
  databaseUrl: string;
  count: number;
  env?: Record<string, string>;
  /** Where each instance's output goes, besides being kept for errors. */
  log?: (index: number, line: string) => void;
}

export async function startCluster(options: ClusterOptions): Promise<Cluster> {
  const instances: Instance[] = [];
  for (let index = 0; index < options.count; index++) {
    const port = await freePort();
    instances.push({ index, port, url: `http://127.0.0.1:${port}`, child: null, output: "", exited: Promise.resolve(null) });
  }

  async function start(index: number) {
    const instance = instances[index]!;
    const url = new URL(options.databaseUrl);
    url.searchParams.set("application_name", `surge_app_${instance.port}`);
    // `node --import tsx`, never the tsx CLI: it SIGKILLs a busy child that does not confirm SIGTERM at once.
    const child = spawn(process.execPath, ["--import", "tsx", "app/server/start.ts"], {
      cwd: options.root,
      env: {
        ...process.env,
        // As built: `npm run build` makes a production build; the test suite builds under NODE_ENV=test.
        NODE_ENV: process.env.NODE_ENV ?? "production",
        PORT: String(instance.port),
        DATABASE_URL: url.toString(),
        SESSION_SECRET: process.env.SESSION_SECRET ?? "rehearsal-session-secret-0123456789abcdef",
        SURGE_COOKIE_SECURE: "0",
        SURGE_SEED_DEMO: "0",
        // A failed delivery (an instance killed mid-post) is tried again within a second, not ten.
        SURGE_DELIVERY_RETRY_BASE_MS: "500",
        SURGE_DELIVERY_LEASE_MS: "10000",
        SURGE_DELIVERY_TIMEOUT_MS: "5000",
        // Warnings and errors only: a request log line per request would cost the rehearsal more than the app.
        SURGE_LOG_LEVEL: "warn",
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
      // Its own process group: Ctrl-C in the terminal stops the rehearsal, not the instances under it.
      detached: true,
    });
    instance.child = child;
    process.once("exit", () => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });
    instance.output = "";
    const keep = (chunk: Buffer) => {
      const text = chunk.toString();
      instance.output = (instance.output + text).slice(-20_000);
      for (const line of text.split("\n")) if (line.trim()) options.log?.(index, line);
    };
    child.stdout!.on("data", keep);
    child.stderr!.on("data", keep);
    instance.exited = new Promise((resolve) => child.once("exit", (code, signal) => resolve(code ?? signal)));
    // Ready when /readyz says so (database reachable, migrations applied).
    await new Promise<void>((resolve, reject) => {
      let asking = false;
      const timer = setInterval(() => {
        if (asking) return;
        asking = true;
        fetch(new URL("/readyz", instance.url), { signal: AbortSignal.timeout(1000) })
          .then(async (response) => {
            await response.arrayBuffer();
            if (response.status === 200) {
              clearInterval(timer);
              resolve();
            }
          })
          .catch(() => undefined)
          .finally(() => (asking = false));
      }, 100);
      void instance.exited.then((code) => {
        clearInterval(timer);
        reject(new Error(`instance ${index} exited with ${code}:\n${instance.output.slice(-3000)}`));
      });
    });
  }

  async function signal(index: number, name: NodeJS.Signals) {
    const instance = instances[index]!;
    if (instance.child && instance.child.exitCode === null && instance.child.signalCode === null) instance.child.kill(name);
    return instance.exited;
  }

  for (let index = 0; index < options.count; index++) await start(index);
  return {
    databaseUrl: options.databaseUrl,
    urls: instances.map((i) => i.url),
    instances,
    start,
    signal,
    rssMb: () =>
      instances.map((instance) => {
        try {
          const status = readFileSync(`/proc/${instance.child?.pid}/status`, "utf8");
          return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
        } catch {
          return 0;
        }
      }),
    async stop() {
      await Promise.all(instances.map((_, index) => signal(index, "SIGTERM")));
    },
  };
}

/** The first admin of a fresh database, made with `npm run admin:create` (as an operator would). */
export function createFirstAdmin(root: string, databaseUrl: string, email: string, password: string): void {
  const result = spawnSync(process.execPath, ["--import", "tsx", path.join(root, "app/server/admin-create.ts"), "--email", email, "--name", "Rehearsal Admin", "--password-stdin"], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl },
    input: `${password}\n`,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`admin:create failed (${result.status}): ${result.stdout}\n${result.stderr}`);
}
