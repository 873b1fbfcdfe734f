// A real first day: `npm run serve` on a database with no demo data (a new
// PostgreSQL database when TEST_DATABASE_URL is set, else the embedded one
// with SURGE_SEED_DEMO=0), `npm run admin:create`, then the whole path over
// HTTP: the admin adds a planner and an intake integration, the planner
// enrols a volunteer, the volunteer signs up, trains and takes a case.
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, expect, it } from "vitest";
import { HttpVisitor } from "./support/app-client";
import { intakeCase } from "./support/case-fixtures";
import { root, uniqueName, withDatabaseName } from "./support/databases";
import { enrolByForm, nextCase, passModule, pathOf, requiredModuleIds, signUp } from "./support/first-case-path";

const serverUrl = process.env.TEST_DATABASE_URL;
let stopServer: () => Promise<void> = async () => {};
let baseUrl = "";
let databaseUrl = "";
let dataDir: string | null = null;
let databaseName: string | null = null;

function run(args: string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), ...args], { cwd: root, env, stdio: ["pipe", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.stdin.end(input ?? "");
    child.on("exit", (code) => resolve({ code, output }));
  });
}

beforeAll(async () => {
  const port = 20000 + Math.floor(Math.random() * 20000);
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port), SURGE_UPKEEP: "0", SURGE_COOKIE_SECURE: "0", SESSION_SECRET: "first-day-secret-0123456789abcdef", SURGE_LOG_LEVEL: "info" };
  delete env.DATABASE_URL;
  if (serverUrl) {
    databaseName = uniqueName("surge_first_day");
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${databaseName}"`);
    await admin.end();
    env.DATABASE_URL = withDatabaseName(serverUrl, databaseName);
  } else {
    dataDir = mkdtempSync(path.join(tmpdir(), "surge-first-day-"));
    env.SURGE_DATA_DIR = dataDir;
    env.SURGE_SEED_DEMO = "0";
  }
  const child = spawn(process.execPath, [path.join(root, "node_modules/tsx/dist/cli.mjs"), "app/server/start.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (chunk) => (output += chunk));
  child.stderr.on("data", (chunk) => (output += chunk));
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
  expect(output).not.toContain("Demo sign-ins");
  baseUrl = `http://127.0.0.1:${port}`;
  databaseUrl = env.DATABASE_URL ?? /Embedded database listening at ([^\s"]+)/.exec(output)![1]!;
  stopServer = async () => {
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGTERM");
    await exited;
  };
});

afterAll(async () => {
  await stopServer();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  if (serverUrl && databaseName) {
    const admin = new pg.Client({ connectionString: serverUrl });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
    await admin.end();
  }
});

it("starts on an empty database, makes the first admin, and a volunteer reaches their first case", async () => {
  const env = { ...process.env, DATABASE_URL: databaseUrl };
  // No demo accounts: nobody can sign in yet.
  expect((await new HttpVisitor(baseUrl).signIn("admin@surge.test", "surge-admin-demo")).status).not.toBe(302);
  const created = await run(["app/server/admin-create.ts", "--email", "ops@airline.test", "--name", "Olga Ops", "--password-stdin"], env, "first admin password\n");
  expect(created.code, created.output).toBe(0);
  expect((await run(["app/server/admin-create.ts", "--email", "ops@airline.test", "--password-stdin"], env, "another password 1\n")).code).toBe(1);

  const admin = new HttpVisitor(baseUrl);
  expect((await admin.signIn("ops@airline.test", "first admin password")).status).toBe(302);
  expect(await (await admin.get("/channels")).text()).toContain("WhatsApp");

  const invited = await (await admin.post("/users", { intent: "create", name: "Pia Planner", email: "pia@airline.test", role: "planner" })).text();
  const plannerLink = /class="copy-link">([^<]+)</.exec(invited)?.[1];
  expect(plannerLink).toBeDefined();
  const planner = new HttpVisitor(baseUrl);
  await signUp(planner, pathOf(plannerLink!));

  const integration = await (await admin.post("/integrations", { intent: "create", name: "whatsapp-connector" })).text();
  const token = /class="copy-link">([^<]+)</.exec(integration)![1]!;

  const link = await enrolByForm(planner, { name: "Vera Visser", email: "vera@crew.test", employeeNumber: "E1", languages: [["nl", "native"]], channels: ["whatsapp"] });
  const volunteer = new HttpVisitor(baseUrl);
  await signUp(volunteer, link);
  const intake = await fetch(`${baseUrl}/api/cases`, {
    method: "POST",
    headers: { "Content-Type": "application/json", Authorization: `Bearer ${token}` },
    body: JSON.stringify(intakeCase({ language: "nl", topics: ["flight-status"], subject: "Vertrekt mijn vlucht op tijd?" })),
  });
  expect(intake.status, await intake.clone().text()).toBeLessThan(300);

  expect((await nextCase(volunteer)).status).toBe(403);
  for (const moduleId of await requiredModuleIds()) await passModule(volunteer, moduleId);
  const taken = await nextCase(volunteer);
  expect(taken.status, taken.html.slice(0, 300)).toBe(302);
  const page = await (await volunteer.get(`/cases/${taken.caseId}`)).text();
  expect(page).toContain("Vertrekt mijn vlucht op tijd?");
  // Real processes on a shared 2-core machine: two CLI runs and a server.
}, 240_000);
