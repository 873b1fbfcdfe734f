// Training MDX is content, not code: JavaScript expressions, imports and
// exports are refused like other content problems (the module is left out
// and the problem is reported with its file), so a module cannot render
// the server's secrets. Components with literal props still work.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashPassword } from "../app/auth/password.server";
import { getDb } from "../app/db/db.server";
import { loadTrainingCatalogAtStartup } from "../app/training/catalog.server";
import { signedIn, type Visitor } from "./support/app-client";

const db = getDb();
const root = path.resolve(import.meta.dirname, "..");
const SECRET = process.env.SESSION_SECRET!;
let dir: string;
let learner: Visitor;

const BAD_MODULES: Record<string, { body: string; problem: RegExp }> = {
  "leaky-expression": { body: "The secret is {process.env.SESSION_SECRET}.", problem: /is a JavaScript expression/ },
  "leaky-import": { body: 'import { readFileSync } from "node:fs"\n\nSome text.', problem: /imports and exports are not allowed/ },
  "leaky-export": { body: "export const secret = process.env.SESSION_SECRET\n\nSome text.", problem: /imports and exports are not allowed/ },
  "leaky-prop": { body: '<Callout kind="tip" title={process.env.SESSION_SECRET}>Hello</Callout>', problem: /property title of <Callout> is a JavaScript expression/ },
  "leaky-spread": { body: "<Callout {...process.env}>Hello</Callout>", problem: /spreads a JavaScript expression/ },
  "leaky-script": { body: "<script>{`alert(1)`}</script>", problem: /<script> is not allowed/ },
  "leaky-handler": { body: '<img src="x.svg" alt="x" onError="alert(1)" />', problem: /property onError of <img> is not allowed/ },
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "surge-training-code-"));
  cpSync(path.join(root, "content/training"), dir, { recursive: true });
  const source = readFileSync(path.join(dir, "written-tone/en.mdx"), "utf8");
  for (const [id, { body }] of Object.entries(BAD_MODULES)) {
    mkdirSync(path.join(dir, id));
    writeFileSync(path.join(dir, id, "en.mdx"), `${source.replace("id: written-tone", `id: ${id}`).replace("order: 40", "order: 98")}\n\n## More\n\n${body}\n`);
  }
  process.env.SURGE_TRAINING_DIR = dir;
  const passwordHash = await hashPassword("content code test password");
  await db.user.create({ data: { email: "learner@code.test", name: "Learner", role: "volunteer", passwordHash } });
  learner = await signedIn("learner@code.test", "content code test password");
});

afterAll(() => {
  delete process.env.SURGE_TRAINING_DIR;
  rmSync(dir, { recursive: true, force: true });
});

describe("code in training content", () => {
  it("reports each expression, import, export and script as a content problem with its file, and leaves the module out", async () => {
    const lines: string[] = [];
    const catalog = await loadTrainingCatalogAtStartup((line) => lines.push(line));
    for (const [id, { problem }] of Object.entries(BAD_MODULES)) {
      const line = lines.find((l) => l.includes(`${id}/en.mdx`));
      expect(line, id).toMatch(problem);
    }
    const ids = catalog!.modules.map((module) => module.id);
    for (const id of Object.keys(BAD_MODULES)) expect(ids).not.toContain(id);
    // The shipped modules, whose components take literal lists and objects, are all kept.
    expect(new Set(ids).size).toBe(6);
  });

  it("never renders the secret to a learner; the shipped modules still render their components", async () => {
    for (const id of Object.keys(BAD_MODULES)) {
      const response = await learner.get(`/training/${id}`);
      expect(response.status, id).toBe(404);
      expect(await response.text()).not.toContain(SECRET);
    }
    const plan = await (await learner.get("/training")).text();
    expect(plan).not.toContain(SECRET);
    const module = await learner.get("/training/console-basics");
    expect(module.status).toBe(200);
    // TryIt takes a literal list of buttons.
    expect(await module.text()).toContain("Meal voucher (up to EUR 15)</");
  });
});
