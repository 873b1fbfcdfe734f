// The served catalog: compiled once, configurable folder (SURGE_TRAINING_DIR),
// broken modules reported at start-up with their file and left out without
// taking the site down, and recompiled on change in development.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { getTrainingCatalog, loadTrainingCatalogAtStartup, trainingDir } from "../app/training/catalog.server";
import { signedIn, type Visitor } from "./support/app-client";

const db = getDb();
const root = path.resolve(import.meta.dirname, "..");
let dir: string;
let learner: Visitor;
let planner: Visitor;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "surge-training-"));
  cpSync(path.join(root, "content/training"), dir, { recursive: true });
  // A module whose quiz has no correct answer, and one that needs it.
  const source = readFileSync(path.join(dir, "written-tone/en.mdx"), "utf8");
  mkdirSync(path.join(dir, "broken-quiz"));
  writeFileSync(
    path.join(dir, "broken-quiz/en.mdx"),
    source.replace("id: written-tone", "id: broken-quiz").replace(/correct:\n(\s+- [a-z-]+\n)+/, "correct: []\n"),
  );
  mkdirSync(path.join(dir, "after-broken"));
  writeFileSync(
    path.join(dir, "after-broken/en.mdx"),
    source.replace("id: written-tone", "id: after-broken").replace("  - console-basics", "  - broken-quiz").replace("order: 40", "order: 99"),
  );
  process.env.SURGE_TRAINING_DIR = dir;

  const passwordHash = await hashPassword("catalog test password");
  await db.user.create({ data: { email: "learner@catalog.test", name: "Learner", role: "volunteer", passwordHash } });
  await db.user.create({ data: { email: "planner@catalog.test", name: "Planner", role: "planner", passwordHash } });
  learner = await signedIn("learner@catalog.test", "catalog test password");
  planner = await signedIn("planner@catalog.test", "catalog test password");
});

afterEach(() => {
  delete process.env.SURGE_TRAINING_WATCH;
});

afterAll(() => {
  delete process.env.SURGE_TRAINING_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe("the served training catalog", () => {
  it("reads the folder named by SURGE_TRAINING_DIR", () => {
    expect(trainingDir()).toBe(dir);
  });

  it("prints each problem with its file at start-up, and keeps the good modules", async () => {
    const lines: string[] = [];
    const catalog = await loadTrainingCatalogAtStartup((line) => lines.push(line));
    expect(catalog).not.toBeNull();
    const relative = (file: string) => path.relative(process.cwd(), path.join(dir, file));
    expect(lines).toContain(`[training] ${relative("broken-quiz/en.mdx")}: frontmatter "quiz.questions.0.correct": question has no correct answer`);
    expect(lines.find((line) => line.includes("after-broken/en.mdx"))).toBe(`[training] ${relative("after-broken/en.mdx")}: unknown prerequisite "broken-quiz": no module has that id`);
    expect(new Set(catalog!.modules.map((module) => module.id)).size).toBe(6);
    // Loaded once: the next request gets the very same catalog.
    expect(await getTrainingCatalog()).toBe(catalog);
  });

  it("still serves the site and the other modules; the broken ones are not found", async () => {
    const plan = await learner.get("/training");
    expect(plan.status).toBe(200);
    const html = await plan.text();
    expect([...html.matchAll(/data-module="([^"]+)"/g)].length).toBe(6);
    expect(html).not.toContain("broken-quiz");
    expect((await learner.get("/training/console-basics")).status).toBe(200);
    expect((await learner.get("/training/broken-quiz")).status).toBe(404);
    expect((await learner.get("/")).status).toBe(200);
  });

  it("shows the problems to planners on the report", async () => {
    const html = await (await planner.get("/training/report")).text();
    expect(html).toContain("2 problem(s) in the training content.");
    expect(html).toContain("question has no correct answer");
  });

  it("never throws at start-up, even without a training folder", async () => {
    process.env.SURGE_TRAINING_DIR = path.join(dir, "does-not-exist");
    const lines: string[] = [];
    expect(await loadTrainingCatalogAtStartup((line) => lines.push(line))).not.toBeNull();
    expect(lines.join("\n")).toContain("training folder not found");
    process.env.SURGE_TRAINING_DIR = dir;
  });

  it("recompiles a changed module on the next request in development", async () => {
    process.env.SURGE_TRAINING_WATCH = "1";
    const file = path.join(dir, "console-basics/en.mdx");
    writeFileSync(file, readFileSync(file, "utf8").replace("title: The volunteer console and its limits", "title: Your console, revised"));
    const later = new Date(Date.now() + 5000);
    utimesSync(file, later, later);
    const html = await (await learner.get("/training/console-basics")).text();
    expect(html).toContain('<h1 id="module-title">Your console, revised</h1>');
  });

  it("does not look at the files again outside development", async () => {
    const file = path.join(dir, "console-basics/en.mdx");
    writeFileSync(file, readFileSync(file, "utf8").replace("title: Your console, revised", "title: Not picked up"));
    const later = new Date(Date.now() + 10_000);
    utimesSync(file, later, later);
    const html = await (await learner.get("/training/console-basics")).text();
    expect(html).toContain('<h1 id="module-title">Your console, revised</h1>');
  });
});
