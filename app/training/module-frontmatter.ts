import type { Role } from "@prisma/client";
import { z } from "zod";
import { SUPPORTED_LANGUAGES } from "~/reference/channels";

// The frontmatter of one training module file, content/training/<id>/<language>.mdx.
// The same module id may exist in several languages; each language file carries
// its own (translated) title, summary and quiz.

/** Roles a module can be assigned to; `satisfies` keeps it in step with the Prisma enum. */
export const TRAINING_ROLES = ["volunteer", "agent", "planner", "supervisor", "admin"] as const satisfies readonly Role[];

const slug = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
// Skill ids follow the Skill table: "<kind>:<slug>", e.g. "topic:refunds", "channel:apple_messages".
const skillId = /^(?:topic|channel|language|task):[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

const moduleIdSchema = z.string().regex(slug, "must be a lowercase slug such as console-basics");

const choiceSchema = z.object({
  id: z.string().min(1, "choice id is empty"),
  text: z.string().min(1, "choice text is empty"),
});

const questionSchema = z
  .object({
    id: z.string().min(1, "question id is empty"),
    prompt: z.string().min(1, "question prompt is empty"),
    choices: z.array(choiceSchema).min(2, "a question needs at least two choices"),
    // More than one id makes it a "choose all that apply" question.
    correct: z.array(z.string()).min(1, "question has no correct answer"),
    explanation: z.string().min(1, "question has no explanation"),
  })
  .superRefine((question, ctx) => {
    const choiceIds = question.choices.map((choice) => choice.id);
    const duplicate = choiceIds.find((id, index) => choiceIds.indexOf(id) !== index);
    if (duplicate !== undefined) {
      ctx.addIssue({
        code: "custom",
        path: ["choices"],
        message: `question "${question.id}" has two choices with id "${duplicate}"`,
      });
    }
    for (const id of question.correct) {
      if (!choiceIds.includes(id)) {
        ctx.addIssue({
          code: "custom",
          path: ["correct"],
          message: `question "${question.id}": correct answer "${id}" is not among its choices (${choiceIds.join(", ")})`,
        });
      }
    }
  });

export const quizSchema = z
  .object({
    /**
     * Share of questions that must be answered correctly to pass, as a fraction
     * from 0 to 1 (0.8 = four out of five). A fraction, not a count, so a
     * translation may add or drop a question without changing the bar.
     */
    passMark: z.number().gt(0, "passMark must be above 0").max(1, "passMark is a fraction from 0 to 1"),
    /** Minutes a learner waits after an attempt before trying again. */
    retryAfterMinutes: z.number().int().min(0).default(5),
    questions: z.array(questionSchema).min(1, "the quiz has no questions"),
  })
  .superRefine((quiz, ctx) => {
    const ids = quiz.questions.map((question) => question.id);
    const duplicate = ids.find((id, index) => ids.indexOf(id) !== index);
    if (duplicate !== undefined) {
      ctx.addIssue({ code: "custom", path: ["questions"], message: `two questions have the id "${duplicate}"` });
    }
  });

export const moduleFrontmatterSchema = z.object({
  id: moduleIdSchema,
  title: z.string().min(1),
  summary: z.string().min(1),
  estimatedMinutes: z.number().int().positive(),
  language: z.enum(SUPPORTED_LANGUAGES),
  /** Position in a learner's plan; lower comes first. */
  order: z.number().int(),
  prerequisites: z.array(moduleIdSchema).default([]),
  /**
   * Whether the role must pass it before taking cases (certification). A
   * module that only opens topics (grantsSkills "topic:...") is usually
   * optional: certified volunteers take it to be given those cases too.
   */
  required: z.boolean().default(true),
  grantsSkills: z.array(z.string().regex(skillId, 'must be a skill id such as "topic:refunds"')).default([]),
  roles: z.array(z.enum(TRAINING_ROLES)).min(1, "a module must be for at least one role"),
  quiz: quizSchema,
});

export type ModuleFrontmatter = z.output<typeof moduleFrontmatterSchema>;
export type Quiz = ModuleFrontmatter["quiz"];
export type QuizQuestion = Quiz["questions"][number];
export type TrainingRole = (typeof TRAINING_ROLES)[number];

export type FrontmatterResult = { ok: true; frontmatter: ModuleFrontmatter } | { ok: false; messages: string[] };

/** Validates raw frontmatter; every problem comes back as one readable line naming the field. */
export function parseModuleFrontmatter(raw: unknown): FrontmatterResult {
  const result = moduleFrontmatterSchema.safeParse(raw);
  if (result.success) return { ok: true, frontmatter: result.data };
  return {
    ok: false,
    messages: result.error.issues.map((issue) => {
      const field = issue.path.map(String).join(".");
      return field ? `frontmatter "${field}": ${issue.message}` : `frontmatter: ${issue.message}`;
    }),
  };
}
