import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { bundleMDX } from "mdx-bundler";
import type { ModuleTree } from "./mdx-components";
import { keepRenderTree } from "./module-tree.server";
import { contentChecks, type ContentCheckReport, type ModuleSection } from "./mdx-content-checks.server";
import { parseModuleFrontmatter, type ModuleFrontmatter, type TrainingRole } from "./module-frontmatter";

// Loads the training catalog: one folder per module, one file per language,
//
//   content/training/<module id>/<language>.mdx   (e.g. console-basics/nl.mdx)
//   content/training/<module id>/<image>.svg      (images sit beside the text)
//
// Each file is compiled with mdx-bundler and checked; a broken file is reported
// as { file, message } and left out, and never takes the other modules down.
// The page renders the module's syntax tree (module-tree.server.ts), not the
// JavaScript bundle, so the browser evaluates no code from content/.

export const DEFAULT_TRAINING_DIR = "content/training";

export type TrainingModule = ModuleFrontmatter & {
  /** Path of the source file, relative to the working directory. */
  file: string;
  /** The module as an HTML syntax tree (plain data); TrainingContent renders it. */
  tree: ModuleTree;
  /** The module's level-2 headings in order; a learner resumes at one of them. */
  sections: ModuleSection[];
};

export interface TrainingProblem {
  file: string;
  message: string;
}

export interface TrainingCatalog {
  /** Every valid language version, sorted by order, then id, then language. */
  modules: TrainingModule[];
  problems: TrainingProblem[];
  /** Files compiled by this call; the rest came from the cache. */
  compiledFiles: string[];
}

interface FileResult {
  module?: TrainingModule;
  problems: string[];
}

// Keyed by absolute path; an entry is reused only while the file's mtime (or
// that of an image beside it, which is inlined) is unchanged.
// The promise is stored, so requests arriving together during warm-up share one compilation.
const compiled = new Map<string, { mtimeMs: number; result: Promise<FileResult> }>();

export async function loadTrainingCatalog(options: { dir?: string } = {}): Promise<TrainingCatalog> {
  const dir = path.resolve(options.dir ?? DEFAULT_TRAINING_DIR);
  const problems: TrainingProblem[] = [];
  const { files, layoutProblems } = await findModuleFiles(dir);
  problems.push(...layoutProblems);

  const compiledFiles: string[] = [];
  const results = await Promise.all(
    files.map(async (file) => {
      const mtimeMs = await lastChange(file);
      const cached = compiled.get(file);
      if (cached && cached.mtimeMs === mtimeMs) return { file, result: await cached.result };
      const result = compileModuleFile(file);
      compiled.set(file, { mtimeMs, result });
      compiledFiles.push(displayPath(file));
      return { file, result: await result };
    }),
  );
  forgetDeletedFiles(dir, new Set(files));

  const candidates: TrainingModule[] = [];
  for (const { file, result } of results) {
    for (const message of result.problems) problems.push({ file: displayPath(file), message });
    if (result.module && result.problems.length === 0) candidates.push(result.module);
  }

  const { modules, problems: catalogProblems } = checkAcrossModules(candidates);
  problems.push(...catalogProblems);
  modules.sort((a, b) => a.order - b.order || a.id.localeCompare(b.id) || a.language.localeCompare(b.language));
  problems.sort((a, b) => a.file.localeCompare(b.file));
  return { modules, problems, compiledFiles: compiledFiles.sort() };
}

/**
 * The version of a module for this learner: their languages in order of
 * preference, then English, then whatever language exists.
 */
export function getModule(
  catalog: Pick<TrainingCatalog, "modules">,
  id: string,
  preferredLanguages: readonly string[],
): TrainingModule | undefined {
  const versions = catalog.modules.filter((module) => module.id === id);
  for (const language of [...preferredLanguages.map(primaryLanguage), "en"]) {
    const version = versions.find((module) => module.language === language);
    if (version) return version;
  }
  return versions[0];
}

/** One version per module assigned to `role`, in the learner's language where possible, in plan order. */
export function modulesForRole(
  catalog: Pick<TrainingCatalog, "modules">,
  role: TrainingRole,
  preferredLanguages: readonly string[],
): TrainingModule[] {
  const ids = [...new Set(catalog.modules.filter((module) => module.roles.includes(role)).map((module) => module.id))];
  return ids
    .map((id) => getModule(catalog, id, preferredLanguages))
    .filter((module): module is TrainingModule => module !== undefined)
    .sort((a, b) => a.order - b.order || a.id.localeCompare(b.id));
}

// "nl-BE" and "NL" both mean the Dutch version.
function primaryLanguage(tag: string): string {
  return tag.toLowerCase().split(/[-_]/)[0] ?? tag;
}

async function findModuleFiles(dir: string): Promise<{ files: string[]; layoutProblems: TrainingProblem[] }> {
  const files: string[] = [];
  const layoutProblems: TrainingProblem[] = [];
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return { files, layoutProblems: [{ file: displayPath(dir), message: "training folder not found" }] };
  }
  for (const entry of entries) {
    const entryPath = path.join(dir, entry.name);
    if (entry.isFile() && entry.name.endsWith(".mdx")) {
      layoutProblems.push({
        file: displayPath(entryPath),
        message: `a module lives in its own folder: move it to ${entry.name.replace(/(\.[a-z]{2})?\.mdx$/, "")}/<language>.mdx`,
      });
    }
    if (!entry.isDirectory()) continue;
    for (const inner of await readdir(entryPath, { withFileTypes: true })) {
      if (!inner.isFile() || !inner.name.endsWith(".mdx")) continue;
      if (/^[a-z]{2}\.mdx$/.test(inner.name)) files.push(path.join(entryPath, inner.name));
      else {
        layoutProblems.push({
          file: displayPath(path.join(entryPath, inner.name)),
          message: "a module file is named after its language, e.g. en.mdx or nl.mdx",
        });
      }
    }
  }
  return { files: files.sort(), layoutProblems };
}

async function compileModuleFile(file: string): Promise<FileResult> {
  const moduleDir = path.dirname(file);
  const report: ContentCheckReport = { problems: [], sections: [] };
  const rendered: { tree?: ModuleTree } = {};
  let bundled;
  try {
    bundled = await bundleMDX({
      source: { value: await readFile(file, "utf8"), path: file },
      cwd: moduleDir,
      mdxOptions(options) {
        // Drop remark-mdx-frontmatter (the [plugin, { name: "frontmatter" }] entry mdx-bundler adds): it would
        // export the frontmatter, quiz answers included, inside the code sent to the browser. The server
        // reads the frontmatter from bundleMDX's result instead.
        const plugins = (options.remarkPlugins ?? []).filter(
          (plugin: unknown) => !(Array.isArray(plugin) && (plugin[1] as { name?: unknown } | undefined)?.name === "frontmatter"),
        );
        options.remarkPlugins = [...plugins, contentChecks(moduleDir, report)];
        options.rehypePlugins = [...(options.rehypePlugins ?? []), keepRenderTree(rendered)];
        return options;
      },
      esbuildOptions(options) {
        // Problems are reported through the catalog, not printed by esbuild.
        options.logLevel = "silent";
        return options;
      },
    });
  } catch (error) {
    return { problems: [...report.problems, describeCompileError(error)] };
  }

  const problems = [...report.problems];
  if (!rendered.tree) return { problems: [...problems, "MDX did not compile to a page"] };
  const parsed = parseModuleFrontmatter(bundled.frontmatter);
  if (!parsed.ok) return { problems: [...parsed.messages, ...problems] };

  const { frontmatter } = parsed;
  const folder = path.basename(moduleDir);
  const fileLanguage = path.basename(file, ".mdx");
  if (frontmatter.id !== folder) {
    problems.push(`frontmatter "id" is "${frontmatter.id}" but the module's folder is "${folder}"; they must match`);
  }
  if (frontmatter.language !== fileLanguage) {
    problems.push(`frontmatter "language" is "${frontmatter.language}" but the file is ${fileLanguage}.mdx; they must match`);
  }
  return {
    module: { ...frontmatter, file: displayPath(file), tree: rendered.tree, sections: report.sections },
    problems,
  };
}

function describeCompileError(error: unknown): string {
  if (error instanceof Error && error.name === "YAMLException") {
    return `frontmatter is not valid YAML: ${error.message.split("\n")[0]?.replace(/:$/, "")}`;
  }
  const first = (error as { errors?: { text: string; location?: { line: number } | null }[] }).errors?.[0];
  if (first) {
    const text = first.text
      .replace(/^Cannot process MDX file with esbuild:\s*/, "")
      .replace(/^\d+:\d+(-\d+:\d+)?:\s*/, "");
    // esbuild reports line 0 when MDX fails at the end of the file; the text then carries the position.
    const line = first.location?.line ? ` (line ${first.location.line})` : "";
    return `MDX does not compile${line}: ${text}`;
  }
  return `MDX does not compile: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Rules that need the whole catalog: translations agree with the English
 * version, prerequisites exist and are for the same roles, and prerequisites
 * do not go round in a circle. Excluding one module can orphan another, so the
 * checks repeat until nothing more drops out.
 */
function checkAcrossModules(candidates: TrainingModule[]): { modules: TrainingModule[]; problems: TrainingProblem[] } {
  const problems: TrainingProblem[] = [];
  const knownIds = new Set(candidates.map((module) => module.id));
  let modules = candidates.filter((module) => {
    const english = candidates.find((other) => other.id === module.id && other.language === "en");
    const message = english && module !== english ? translationMismatch(module, english) : undefined;
    if (message) problems.push({ file: module.file, message });
    return !message;
  });

  for (;;) {
    const byId = new Map<string, TrainingModule>();
    for (const module of modules) if (!byId.has(module.id) || module.language === "en") byId.set(module.id, module);

    const excluded = new Set<TrainingModule>();
    for (const module of modules) {
      for (const prerequisite of module.prerequisites) {
        const required = byId.get(prerequisite);
        if (!required) {
          problems.push({
            file: module.file,
            message: knownIds.has(prerequisite)
              ? `prerequisite "${prerequisite}" was left out because of its own problems`
              : `unknown prerequisite "${prerequisite}": no module has that id`,
          });
          excluded.add(module);
          continue;
        }
        const missingRoles = module.roles.filter((role) => !required.roles.includes(role));
        if (missingRoles.length > 0) {
          problems.push({
            file: module.file,
            message: `prerequisite "${prerequisite}" is not for role ${missingRoles.join(", ")}, so those learners could never unlock this module`,
          });
          excluded.add(module);
        }
      }
    }
    if (excluded.size === 0) {
      for (const cycle of findPrerequisiteCycles(byId)) {
        for (const module of modules.filter((candidate) => cycle.includes(candidate.id))) {
          problems.push({ file: module.file, message: `prerequisites form a cycle: ${[...cycle, cycle[0]].join(" -> ")}` });
          excluded.add(module);
        }
      }
    }
    if (excluded.size === 0) return { modules, problems };
    modules = modules.filter((module) => !excluded.has(module));
  }
}

// A translation may reword everything except what decides who takes it and what it grants.
function translationMismatch(module: TrainingModule, english: TrainingModule): string | undefined {
  const fields = (["order", "prerequisites", "grantsSkills", "roles"] as const).filter(
    (field) => JSON.stringify(sorted(module[field])) !== JSON.stringify(sorted(english[field])),
  );
  if (fields.length === 0) return undefined;
  return `${fields.join(", ")} must be the same as in the English version (${english.file})`;
}

function sorted<T>(value: T): T {
  return Array.isArray(value) ? ([...value].sort() as T) : value;
}

/** Each cycle once, as the list of module ids along it. */
function findPrerequisiteCycles(byId: Map<string, TrainingModule>): string[][] {
  const cycles: string[][] = [];
  const done = new Set<string>();
  const onPath: string[] = [];

  const visit = (id: string) => {
    if (done.has(id)) return;
    const index = onPath.indexOf(id);
    if (index >= 0) {
      cycles.push(onPath.slice(index));
      return;
    }
    onPath.push(id);
    for (const prerequisite of byId.get(id)?.prerequisites ?? []) visit(prerequisite);
    onPath.pop();
    done.add(id);
  };
  for (const id of [...byId.keys()].sort()) visit(id);
  return cycles;
}

/** Latest modification time of a module file and the images in its folder. */
async function lastChange(file: string): Promise<number> {
  const dir = path.dirname(file);
  const images = (await readdir(dir)).filter((name) => !name.endsWith(".mdx")).map((name) => path.join(dir, name));
  const times = await Promise.all([file, ...images].map(async (entry) => (await stat(entry)).mtimeMs));
  return Math.max(...times);
}

function forgetDeletedFiles(dir: string, present: Set<string>) {
  for (const file of compiled.keys()) {
    if (file.startsWith(dir + path.sep) && !present.has(file)) compiled.delete(file);
  }
}

function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || file;
}
