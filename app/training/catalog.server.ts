import path from "node:path";
import { DEFAULT_TRAINING_DIR, loadTrainingCatalog, type TrainingCatalog, type TrainingProblem } from "./modules.server";
import { logger } from "~/server/logger.server";

// The training catalog the app serves: compiled once (at start-up, or on the
// first request) and kept in memory. In development (NODE_ENV=development, or
// SURGE_TRAINING_WATCH=1) every request re-checks the files' modification
// times, so a saved module is recompiled on the next page view; unchanged
// files come from loadTrainingCatalog's cache.
//
// The state lives on globalThis: app/server/start.ts loads the catalog before
// the server build is imported, and the build's copy of this module then finds
// it already compiled instead of compiling everything a second time.

interface CatalogState {
  dir: string;
  catalog: Promise<TrainingCatalog>;
  /** The loader of the module instance that compiled first, so its compile cache is reused. */
  load: (dir: string) => Promise<TrainingCatalog>;
}

const globalForTraining = globalThis as unknown as { __surgeTrainingCatalog?: CatalogState };

/** Where the modules live: SURGE_TRAINING_DIR, else content/training (relative to the working directory). */
export function trainingDir(): string {
  return path.resolve(process.env.SURGE_TRAINING_DIR || DEFAULT_TRAINING_DIR);
}

function watching(): boolean {
  const flag = process.env.SURGE_TRAINING_WATCH;
  if (flag !== undefined && flag !== "") return flag === "1" || flag === "true";
  return process.env.NODE_ENV === "development";
}

/** The current catalog; compiles it on first use, and again whenever SURGE_TRAINING_DIR changes. */
export function getTrainingCatalog(): Promise<TrainingCatalog> {
  const dir = trainingDir();
  const state = globalForTraining.__surgeTrainingCatalog;
  if (state && state.dir === dir && !watching()) return state.catalog;
  const load = state?.load ?? ((target: string) => loadTrainingCatalog({ dir: target }));
  const catalog = load(dir);
  globalForTraining.__surgeTrainingCatalog = { dir, catalog, load };
  // A failed load (an unreadable folder) must not stick: the next request tries again.
  catalog.catch(() => {
    if (globalForTraining.__surgeTrainingCatalog?.catalog === catalog) globalForTraining.__surgeTrainingCatalog = undefined;
  });
  return catalog;
}

/** Forgets the loaded catalog; the next getTrainingCatalog loads again (unchanged files still come from the cache). */
export function resetTrainingCatalog(): void {
  const state = globalForTraining.__surgeTrainingCatalog;
  if (state) globalForTraining.__surgeTrainingCatalog = { ...state, dir: "" };
}

export function formatProblem(problem: TrainingProblem): string {
  return `[training] ${problem.file}: ${problem.message}`;
}

/**
 * Start-up: compiles the catalog and prints every problem with its file.
 * Never throws: a broken module, or no training folder at all, must not stop the server.
 */
export async function loadTrainingCatalogAtStartup(log: (line: string) => void = (line) => logger.warn(line)): Promise<TrainingCatalog | null> {
  const started = Date.now();
  try {
    const catalog = await getTrainingCatalog();
    for (const problem of catalog.problems) log(formatProblem(problem));
    const ids = new Set(catalog.modules.map((module) => module.id));
    logger.info(
      `Training: ${ids.size} module(s), ${catalog.modules.length} language version(s) compiled in ${Date.now() - started} ms` +
        (catalog.problems.length ? `; ${catalog.problems.length} problem(s) above, those modules are left out.` : "."),
    );
    return catalog;
  } catch (error) {
    log(`[training] could not load ${trainingDir()}: ${error instanceof Error ? error.message : String(error)}`);
    return null;
  }
}
