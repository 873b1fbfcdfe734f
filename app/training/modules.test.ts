import { cp, mkdtemp, readFile, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { getModule, loadTrainingCatalog, modulesForRole, type TrainingCatalog } from "./modules.server";

const contentDir = fileURLToPath(new URL("../../content/training", import.meta.url));
const fixturesDir = fileURLToPath(new URL("../../tests/fixtures/training", import.meta.url));

function loadFixture(name: string) {
  return loadTrainingCatalog({ dir: path.join(fixturesDir, name) });
}

function problemsOf(catalog: TrainingCatalog, fileEnding: string): string[] {
  return catalog.problems.filter((problem) => problem.file.endsWith(fileEnding)).map((problem) => problem.message);
}

function idsOf(catalog: TrainingCatalog): string[] {
  return [...new Set(catalog.modules.map((module) => module.id))].sort();
}

describe("the real training content", () => {
  it("compiles with no problems, in plan order, with the Dutch console module", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });

    expect(catalog.problems).toEqual([]);
    expect(catalog.modules.map((module) => `${module.id}.${module.language}`)).toEqual([
      "console-basics.en",
      "console-basics.nl",
      "case-lifecycle.en",
      "identity-checks.en",
      "written-tone.en",
      "refunds-and-vouchers.en",
      "rebooking-basics.en",
    ]);
    for (const module of catalog.modules) {
      expect(module.tree.children.length, module.file).toBeGreaterThan(0);
      expect(module.estimatedMinutes, module.file).toBeGreaterThanOrEqual(5);
      expect(module.estimatedMinutes, module.file).toBeLessThanOrEqual(15);
      expect(module.quiz.questions.length, module.file).toBeGreaterThanOrEqual(3);
      expect(module.quiz.questions.length, module.file).toBeLessThanOrEqual(5);
      expect(module.sections.length, module.file).toBeGreaterThanOrEqual(3);
    }
  });

  it("puts the console module before everything else and grants the day-one skills", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });
    const others = catalog.modules.filter((module) => module.id !== "console-basics");
    const requiresConsole = (id: string, seen = new Set<string>()): boolean => {
      const module = getModule(catalog, id, ["en"]);
      if (!module || seen.has(id)) return false;
      seen.add(id);
      return module.prerequisites.some((prerequisite) => prerequisite === "console-basics" || requiresConsole(prerequisite, seen));
    };
    for (const module of others) expect(requiresConsole(module.id), module.id).toBe(true);

    const skills = new Set(catalog.modules.flatMap((module) => module.grantsSkills));
    for (const skill of ["task:console-basics", "task:escalate", "topic:refunds", "topic:vouchers", "topic:rebooking", "task:written-tone", "task:identity-check"]) {
      expect(skills.has(skill), skill).toBe(true);
    }
  });

  it("inlines the images beside a module, so the compiled module needs no asset route", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });
    const module = getModule(catalog, "console-basics", ["en"]);
    expect(JSON.stringify(module?.tree)).toContain("data:image/svg+xml;base64,");
  });

  it("compiles a module to a plain data tree: no code, no source positions, component properties as literal data", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });
    for (const module of catalog.modules) {
      const text = JSON.stringify(module.tree);
      // It survives a JSON round trip unchanged, so nothing in it is a function or a class instance.
      expect(JSON.parse(text), module.file).toEqual(module.tree);
      expect(text, module.file).not.toContain('"position"');
      expect(text, module.file).not.toMatch(/"type":"mdx(jsEsm|FlowExpression|TextExpression)"/);
    }
    const tryIt = JSON.stringify(getModule(catalog, "console-basics", ["en"])?.tree);
    expect(tryIt).toContain('"name":"TryIt"');
    expect(tryIt).toContain('"type":"ArrayExpression"');
  });

  it("picks the learner's language first, then English, and plans by role", async () => {
    const catalog = await loadTrainingCatalog({ dir: contentDir });

    expect(getModule(catalog, "console-basics", ["nl-NL", "en"])?.language).toBe("nl");
    expect(getModule(catalog, "console-basics", ["fr"])?.language).toBe("en");
    expect(getModule(catalog, "case-lifecycle", ["nl"])?.language).toBe("en");
    expect(getModule(catalog, "no-such-module", ["en"])).toBeUndefined();

    const forDutchVolunteer = modulesForRole(catalog, "volunteer", ["nl"]);
    expect(forDutchVolunteer.map((module) => module.id)).toEqual([
      "console-basics",
      "case-lifecycle",
      "identity-checks",
      "written-tone",
      "refunds-and-vouchers",
      "rebooking-basics",
    ]);
    expect(forDutchVolunteer[0]?.language).toBe("nl");
    expect(modulesForRole(catalog, "agent", ["en"]).map((module) => module.id)).toEqual([
      "console-basics",
      "identity-checks",
      "written-tone",
    ]);
    expect(modulesForRole(catalog, "planner", ["en"])).toEqual([]);
  });
});

describe("broken modules are reported by file and left out, the rest still loads", () => {
  // Each fixture's broken files report exactly these problems; only "healthy" still loads.
  it.each<{ name: string; fixture: string; problems: Record<string, unknown[]> }>([
    {
      name: "bad MDX syntax",
      fixture: "bad-mdx",
      problems: {
        "unclosed-callout/en.mdx": [expect.stringMatching(/^MDX does not compile: Expected a closing tag for `<Callout>` \(30:1-30:\d+\)/)],
      },
    },
    {
      name: "unknown prerequisite",
      fixture: "unknown-prerequisite",
      problems: { "needs-missing/en.mdx": ['unknown prerequisite "does-not-exist": no module has that id'] },
    },
    {
      name: "prerequisite cycle, and a module that depends on it",
      fixture: "prerequisite-cycle",
      problems: {
        "first/en.mdx": ["prerequisites form a cycle: first -> second -> first"],
        "second/en.mdx": ["prerequisites form a cycle: first -> second -> first"],
        "after-cycle/en.mdx": ['prerequisite "first" was left out because of its own problems'],
      },
    },
    {
      name: "quiz question without a correct answer, or with one that is not a choice",
      fixture: "quiz-without-correct-answer",
      problems: {
        "no-correct/en.mdx": ['frontmatter "quiz.questions.0.correct": question has no correct answer'],
        "correct-not-a-choice/en.mdx": ['frontmatter "quiz.questions.0.correct": question "q1": correct answer "maybe" is not among its choices (yes, no)'],
      },
    },
    {
      name: "images without alt text, in Markdown and in an <img> tag",
      fixture: "image-without-alt",
      problems: {
        "missing-alt/en.mdx": [
          'line 30: image "./diagram.svg" has no alt text; write what it shows: ![what it shows](./diagram.svg)',
          'line 32: <img src="./diagram.svg"> has no alt text; add alt="what it shows"',
        ],
      },
    },
    {
      name: "components the app does not provide, and a broken heading outline",
      fixture: "unknown-component",
      problems: {
        "uses-quiz-widget/en.mdx": [
          "line 30: <QuizWidget> is not an available component; use one of Callout, TryIt, DecisionTable",
          'line 32: heading "A second title" is level 1; the module title is the only level-1 heading, start sections at ##',
          'line 34: heading "Skipped a level" jumps from level 1 to level 4; use level 2',
        ],
      },
    },
    {
      name: "files in the wrong place or named wrongly",
      fixture: "file-layout",
      problems: {
        "loose-module.en.mdx": ["a module lives in its own folder: move it to loose-module/<language>.mdx"],
        "healthy/english.mdx": ["a module file is named after its language, e.g. en.mdx or nl.mdx"],
        "wrong-folder/en.mdx": ['frontmatter "id" is "another-id" but the module\'s folder is "wrong-folder"; they must match'],
      },
    },
  ])("$name", async ({ fixture, problems }) => {
    const catalog = await loadFixture(fixture);
    for (const [file, expected] of Object.entries(problems)) expect(problemsOf(catalog, `${fixture}/${file}`), file).toEqual(expected);
    expect(idsOf(catalog)).toEqual(["healthy"]);
  });

  it("bad frontmatter: invalid fields and invalid YAML", async () => {
    const catalog = await loadFixture("bad-frontmatter");
    const fieldProblems = problemsOf(catalog, "bad-frontmatter/invalid-fields/en.mdx");
    expect(fieldProblems).toHaveLength(2);
    expect(fieldProblems[0]).toMatch(/^frontmatter "estimatedMinutes": /);
    expect(fieldProblems[1]).toMatch(/^frontmatter "roles\.0": .*"volunteer"/);
    expect(problemsOf(catalog, "bad-frontmatter/invalid-yaml/en.mdx")).toEqual([
      expect.stringMatching(/^frontmatter is not valid YAML: /),
    ]);
    expect(idsOf(catalog)).toEqual(["healthy"]);
  });

  it("a translation that grants other skills, and a prerequisite not open to the module's roles", async () => {
    const catalog = await loadFixture("translation-mismatch");
    expect(problemsOf(catalog, "translation-mismatch/healthy/de.mdx")).toEqual([
      expect.stringMatching(/^grantsSkills must be the same as in the English version \(.*healthy\/en\.mdx\)$/),
    ]);
    expect(problemsOf(catalog, "translation-mismatch/for-agents/en.mdx")).toEqual([
      'prerequisite "healthy" is not for role agent, so those learners could never unlock this module',
    ]);
    expect(catalog.modules.map((module) => `${module.id}.${module.language}`)).toEqual(["healthy.en", "healthy.nl"]);
  });

  it("a missing folder is a problem, not a crash", async () => {
    const catalog = await loadTrainingCatalog({ dir: path.join(fixturesDir, "does-not-exist") });
    expect(catalog.modules).toEqual([]);
    expect(catalog.problems).toEqual([{ file: expect.stringContaining("does-not-exist"), message: "training folder not found" }]);
  });
});

describe("the compile cache", () => {
  const workDirs: string[] = [];
  afterAll(async () => {
    await Promise.all(workDirs.map((dir) => rm(dir, { recursive: true, force: true })));
  });

  async function copyOfContent(): Promise<string> {
    const dir = await mkdtemp(path.join(tmpdir(), "surge-training-"));
    workDirs.push(dir);
    await cp(contentDir, dir, { recursive: true });
    return dir;
  }

  it("compiles each file once, and again only when its modification time changes", async () => {
    const dir = await copyOfContent();

    const first = await loadTrainingCatalog({ dir });
    expect(first.compiledFiles).toHaveLength(7);

    const second = await loadTrainingCatalog({ dir });
    expect(second.compiledFiles).toEqual([]);
    expect(second.modules.map((module) => module.tree)).toEqual(first.modules.map((module) => module.tree));

    const file = path.join(dir, "written-tone", "en.mdx");
    const source = await readFile(file, "utf8");
    await writeFile(file, source.replace("## Ask one thing at a time", "## Ask one question at a time"));
    const later = new Date(Date.now() + 60_000);
    await utimes(file, later, later);

    const third = await loadTrainingCatalog({ dir });
    expect(third.compiledFiles).toEqual([path.relative(process.cwd(), file)]);
    expect(getModule(third, "written-tone", ["en"])?.sections.at(-1)).toEqual({
      id: "ask-one-question-at-a-time",
      title: "Ask one question at a time",
    });
  });

  it("shares one compilation between loads that arrive together", async () => {
    const dir = await copyOfContent();
    const [first, second] = await Promise.all([loadTrainingCatalog({ dir }), loadTrainingCatalog({ dir })]);
    expect(first.compiledFiles.length + second.compiledFiles.length).toBe(7);
    expect(second.modules.map((module) => module.tree)).toEqual(first.modules.map((module) => module.tree));
  });

  it("recompiles the versions of a module whose image changed", async () => {
    const dir = await copyOfContent();
    await loadTrainingCatalog({ dir });

    const image = path.join(dir, "console-basics", "console-layout.svg");
    const later = new Date(Date.now() + 60_000);
    await utimes(image, later, later);

    const reloaded = await loadTrainingCatalog({ dir });
    expect(reloaded.compiledFiles).toEqual(
      ["en.mdx", "nl.mdx"].map((name) => path.relative(process.cwd(), path.join(dir, "console-basics", name))),
    );
  });

  it("reports a file that breaks in development, and recovers when it is fixed", async () => {
    const dir = await copyOfContent();
    await loadTrainingCatalog({ dir });

    const file = path.join(dir, "rebooking-basics", "en.mdx");
    const source = await readFile(file, "utf8");
    await writeFile(file, source.replace("  - topic:rebooking", "  - rebooking"));
    await utimes(file, new Date(Date.now() + 60_000), new Date(Date.now() + 60_000));

    const broken = await loadTrainingCatalog({ dir });
    expect(broken.problems).toEqual([
      { file: path.relative(process.cwd(), file), message: expect.stringMatching(/^frontmatter "grantsSkills\.0": must be a skill id/) },
    ]);
    expect(idsOf(broken)).not.toContain("rebooking-basics");
    expect(idsOf(broken)).toHaveLength(5);

    await writeFile(file, source);
    await utimes(file, new Date(Date.now() + 120_000), new Date(Date.now() + 120_000));
    const fixed = await loadTrainingCatalog({ dir });
    expect(fixed.problems).toEqual([]);
    expect(idsOf(fixed)).toContain("rebooking-basics");
  });
});
