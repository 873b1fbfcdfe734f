// Running Surge as a service: liveness and readiness probes, JSON logs with a
// request id, the configuration check at start, and backup and restore on
// both databases. The app-process parts run a real instance on the local
// PostgreSQL server (TEST_DATABASE_URL, else 127.0.0.1:5432, which CI always has).
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backupDatabase, restoreDatabase } from "../app/db/database-backup.server";
import { DataDirInUseError, startEmbeddedDatabase } from "../app/db/embedded-database.server";
import { createHealthChecks } from "../app/server/health.server";
import { startAppProcess, type AppProcess } from "./support/app-process";
import { postgresDatabase, root, uniqueName, withDatabaseName } from "./support/databases";
import { startHttpServer, type HttpServer } from "./support/http-server";

const serverUrl = process.env.TEST_DATABASE_URL ?? "postgresql://postgres:postgres@127.0.0.1:5432/postgres";
const scratch = mkdtempSync(path.join(tmpdir(), "surge-operations-"));
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

async function sql<T extends pg.QueryResultRow>(url: string, text: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text)).rows;
  } finally {
    await client.end();
  }
}

/** Starts the app's entry point with `env` and returns how it ended: a refused start exits at once. */
function startRefused(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "app/server/start.ts"], {
      cwd: root,
      env: { ...process.env, SURGE_LOG_LEVEL: "info", SURGE_LOG_FORMAT: "json", PORT: "0", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    const timer = setTimeout(() => child.kill("SIGKILL"), 30_000);
    child.on("exit", (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe("an app instance as a service", () => {
  let app: AppProcess;
  let databaseUrl: string;

  beforeAll(async () => {
    const database = await postgresDatabase(serverUrl, { template: process.env.SURGE_TEST_TEMPLATE_DB });
    cleanups.push(() => database.drop());
    databaseUrl = database.url;
    app = await startAppProcess({ databaseUrl, env: { SESSION_SECRET: "operations-secret-0123456789", SURGE_LOG_FORMAT: "json" } });
    cleanups.push(() => app.kill());
  });

  it("answers /healthz and, with the database up and migrated, /readyz", async () => {
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok" });
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: "ready", database: "ok", migrations: "ok", shutdown: "ok" });
  });

  it("is not ready while a migration of its build is missing from the database", async () => {
    const [last] = await sql<{ id: string; migration_name: string }>(
      databaseUrl,
      "SELECT id, migration_name FROM _prisma_migrations ORDER BY migration_name DESC LIMIT 1",
    );
    await sql(databaseUrl, `UPDATE _prisma_migrations SET rolled_back_at = now() WHERE id = '${last!.id}'`);
    try {
      const response = await fetch(`${app.baseUrl}/readyz`);
      expect(response.status).toBe(503);
      const body = (await response.json()) as Record<string, string>;
      expect(body.status).toBe("not ready");
      expect(body.migrations).toBe(`1 pending (${last!.migration_name})`);
      expect((await fetch(`${app.baseUrl}/healthz`)).status).toBe(200);
    } finally {
      await sql(databaseUrl, `UPDATE _prisma_migrations SET rolled_back_at = NULL WHERE id = '${last!.id}'`);
    }
  });

  it("logs one JSON object per line, each request with the id its response carries", async () => {
    const first = await fetch(`${app.baseUrl}/login`);
    const second = await fetch(`${app.baseUrl}/login?from=balancer`, { headers: { "X-Request-Id": "balancer-id-12345" } });
    await fetch(`${app.baseUrl}/invite/secret-token-that-must-not-be-logged`);
    const firstId = first.headers.get("x-request-id");
    expect(firstId).toMatch(/^[0-9a-f-]{36}$/);
    expect(second.headers.get("x-request-id")).toBe("balancer-id-12345");
    // A request's line is written when its response has gone out.
    await expect.poll(() => app.output().includes(firstId!)).toBe(true);
    await expect.poll(() => app.output().includes("balancer-id-12345")).toBe(true);
    await expect.poll(() => app.output().includes("/invite/[token]")).toBe(true);

    const lines = app.output().trim().split("\n");
    const entries = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries.every((entry) => typeof entry.time === "string" && typeof entry.level === "string" && typeof entry.msg === "string")).toBe(true);
    const requestOf = (id: string) => entries.find((entry) => entry.reqId === id && entry.msg === "request") as
      | { req: { method: string; url: string }; res: { statusCode: number }; responseTime: number }
      | undefined;
    expect(requestOf(firstId!)).toMatchObject({ req: { method: "GET", url: "/login" }, res: { statusCode: 200 } });
    expect(requestOf("balancer-id-12345")).toMatchObject({ req: { url: "/login?from=balancer" }, res: { statusCode: 200 } });
    expect(app.output()).not.toContain("secret-token-that-must-not-be-logged");
    // Probes are not logged.
    expect(entries.some((entry) => (entry.req as { url?: string } | undefined)?.url === "/healthz")).toBe(false);
  });
});

describe("readiness while shutting down", () => {
  let server: HttpServer;
  const health = createHealthChecks(root);

  beforeAll(async () => {
    server = await startHttpServer({ health });
  });
  afterAll(() => server.close());

  it("is ready, then answers 503 from the moment the shutdown begins", async () => {
    const before = await fetch(`${server.url}/readyz`);
    // The test databases are migrated without Prisma's history table on the embedded default.
    const migrated = Boolean(process.env.TEST_DATABASE_URL);
    expect(before.status).toBe(migrated ? 200 : 503);
    expect(((await before.json()) as { shutdown: string }).shutdown).toBe("ok");
    health.markStopping();
    const after = await fetch(`${server.url}/readyz`);
    expect(after.status).toBe(503);
    expect(await after.json()).toMatchObject({ status: "not ready", database: "ok", shutdown: "stopping" });
  });
});

describe("the configuration check at start", () => {
  it.each([
    [{ DATABASE_URL: "mysql://db.internal/surge", SESSION_SECRET: "operations-secret-0123456789" }, "DATABASE_URL must be a postgresql://"],
    [{ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", SESSION_SECRET: "" }, "SESSION_SECRET must be set when DATABASE_URL is set"],
    [{ DATABASE_URL: "postgresql://postgres@127.0.0.1:5432/postgres", SESSION_SECRET: "operations-secret-0123456789", PORT: "eighty" }, "PORT must be a whole number"],
  ])("stops with one clear line for %o", async (env, expected) => {
    const { code, output } = await startRefused(env);
    expect(code).toBe(1);
    const lines = output.trim().split("\n");
    expect(lines).toHaveLength(1);
    const entry = JSON.parse(lines[0]!) as { level: string; msg: string };
    expect(entry.level).toBe("fatal");
    expect(entry.msg).toContain(expected);
    expect(entry.msg).toMatch(/^Surge cannot start: .* See the settings table in README.md.$/);
  });
});

describe("backup and restore", () => {
  it("restores an embedded database from its backup, and refuses to copy a folder a server holds", async () => {
    const dataDir = path.join(scratch, "pglite");
    const running = await startEmbeddedDatabase({ dataDir });
    await running.db.exec("CREATE TABLE flight (number text PRIMARY KEY, note text); INSERT INTO flight VALUES ('KL1234', 'Ωmega – delayed')");
    const file = path.join(scratch, "embedded-backup.tar.gz");
    await expect(backupDatabase({ kind: "embedded", dataDir }, file)).rejects.toBeInstanceOf(DataDirInUseError);
    await running.stop();

    await backupDatabase({ kind: "embedded", dataDir }, file);
    await expect(restoreDatabase({ kind: "embedded", dataDir }, file)).rejects.toThrow(/already holds a database: pass --force/);
    const { keptAside } = await restoreDatabase({ kind: "embedded", dataDir }, file, { force: true });
    expect(keptAside && existsSync(keptAside)).toBe(true);

    const restored = await PGlite.create({ dataDir });
    try {
      expect((await restored.query("SELECT number, note FROM flight")).rows).toEqual([{ number: "KL1234", note: "Ωmega – delayed" }]);
    } finally {
      await restored.close();
    }
  });

  it("restores a PostgreSQL database from pg_dump's backup into a new database", async () => {
    const source = uniqueName("surge_backup_source");
    const target = uniqueName("surge_backup_target");
    await sql(serverUrl, `CREATE DATABASE "${source}"`);
    await sql(serverUrl, `CREATE DATABASE "${target}"`);
    cleanups.push(() => sql(serverUrl, `DROP DATABASE IF EXISTS "${source}" WITH (FORCE)`));
    cleanups.push(() => sql(serverUrl, `DROP DATABASE IF EXISTS "${target}" WITH (FORCE)`));
    const sourceUrl = withDatabaseName(serverUrl, source);
    await sql(sourceUrl, "CREATE TABLE flight (number text PRIMARY KEY, note text); INSERT INTO flight VALUES ('KL1234', 'Ωmega – delayed')");

    const file = path.join(scratch, "postgres-backup.dump");
    await backupDatabase({ kind: "postgres", databaseUrl: `${sourceUrl}?schema=public` }, file);
    await sql(sourceUrl, "DELETE FROM flight");
    await restoreDatabase({ kind: "postgres", databaseUrl: withDatabaseName(serverUrl, target) }, file);
    expect(await sql(withDatabaseName(serverUrl, target), "SELECT number, note FROM flight")).toEqual([{ number: "KL1234", note: "Ωmega – delayed" }]);
    // --force restores over a database that holds the same tables.
    await restoreDatabase({ kind: "postgres", databaseUrl: sourceUrl }, file, { force: true });
    expect(await sql(sourceUrl, "SELECT count(*)::int AS n FROM flight")).toEqual([{ n: 1 }]);
  });
});
