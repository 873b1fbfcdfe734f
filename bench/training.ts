// Training figures: a warm module page with 20 modules present, and compiling
// all 20 from cold. The 20 modules are the real ones from content/training
// plus 14 generated from them, in a temporary folder the catalog is pointed at
// (SURGE_TRAINING_DIR). Call with DATABASE_URL set (see bench/run.ts).
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { performance } from "node:perf_hooks";
import { getDb } from "../app/db/db.server";
import { loadTrainingCatalog } from "../app/training/modules.server";
import { DEMO_ACCOUNTS, seedDemoData } from "../prisma/seed";
import { median, type Report } from "./report";

const root = path.resolve(import.meta.dirname, "..");
const EXTRA_MODULES = 14;

/** content/training plus generated modules, 20 in all; returns the folder. */
export function makeTrainingDir(extra = EXTRA_MODULES): string {
  const dir = mkdtempSync(path.join(tmpdir(), "surge-bench-training-"));
  cpSync(path.join(root, "content/training"), dir, { recursive: true });
  const sources = readdirSync(dir)
    .filter((name) => name !== "console-basics")
    .sort();
  for (let i = 0; i < extra; i++) {
    const from = sources[i % sources.length]!;
    const id = `${from}-extra-${String(i + 1).padStart(2, "0")}`;
    const text = readFileSync(path.join(dir, from, "en.mdx"), "utf8")
      .replace(`id: ${from}`, `id: ${id}`)
      .replace(/^title: (.*)$/m, (_line, title: string) => `title: "${title.replace(/^"|"$/g, "").replace(/"/g, "'")} (part ${i + 2})"`)
      .replace(/^order: \d+$/m, `order: ${100 + i}`)
      // Depend only on the first module, so every generated one can be opened after it.
      .replace(/^prerequisites:\n( {2}- .*\n)+/m, "prerequisites:\n  - console-basics\n");
    mkdirSync(path.join(dir, id));
    writeFileSync(path.join(dir, id, "en.mdx"), text);
    // Images beside the source are used by the text.
    for (const image of readdirSync(path.join(dir, from)).filter((name) => !name.endsWith(".mdx"))) {
      cpSync(path.join(dir, from, image), path.join(dir, id, image));
    }
  }
  return dir;
}

export async function benchTraining(label: "embedded" | "postgres", report: Report) {
  const coldDir = makeTrainingDir();
  const pageDir = makeTrainingDir();
  try {
    // Cold: nothing of this folder is in the compile cache yet.
    const compileStart = performance.now();
    const cold = await loadTrainingCatalog({ dir: coldDir });
    const compileMs = performance.now() - compileStart;
    if (cold.problems.length > 0) throw new Error(`bench modules have problems: ${JSON.stringify(cold.problems.slice(0, 3))}`);
    if (new Set(cold.modules.map((module) => module.id)).size !== 20) throw new Error(`expected 20 modules, got ${cold.modules.length}`);
    report(`training_compile_all_ms.${label}`, compileMs, "ms");

    process.env.SURGE_TRAINING_DIR = pageDir;
    const { signedIn } = await import("../tests/support/app-client");
    await seedDemoData(getDb(), { cases: 0 });
    const volunteer = DEMO_ACCOUNTS.find((account) => account.role === "volunteer")!;
    const learner = await signedIn(volunteer.email, volunteer.password);
    const open = async () => {
      const response = await learner.get("/training/console-basics");
      if (response.status !== 200) throw new Error(`module page failed: ${response.status}`);
      await response.text();
    };
    for (let i = 0; i < 5; i++) await open(); // warm-up: compiles the 20 modules once, evaluates the page's module
    const samples: number[] = [];
    for (let i = 0; i < 40; i++) {
      const start = performance.now();
      await open();
      samples.push(performance.now() - start);
    }
    report(`training_page_ms.${label}`, median(samples), "ms");
  } finally {
    delete process.env.SURGE_TRAINING_DIR;
    rmSync(coldDir, { recursive: true, force: true });
    rmSync(pageDir, { recursive: true, force: true });
  }
}
