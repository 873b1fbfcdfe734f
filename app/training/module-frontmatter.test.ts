import { describe, expect, it } from "vitest";
import { parseModuleFrontmatter } from "./module-frontmatter";

function frontmatter(overrides: Record<string, unknown> = {}) {
  return {
    id: "case-lifecycle",
    title: "The life of a case",
    summary: "Statuses and escalation.",
    estimatedMinutes: 12,
    language: "en",
    order: 20,
    roles: ["volunteer"],
    quiz: {
      passMark: 0.8,
      questions: [
        {
          id: "hold",
          prompt: "Waiting for the customer?",
          choices: [
            { id: "a", text: "On hold" },
            { id: "b", text: "Resolved" },
          ],
          correct: ["a"],
          explanation: "On hold means waiting for the customer.",
        },
      ],
    },
    ...overrides,
  };
}

function messages(raw: unknown): string[] {
  const result = parseModuleFrontmatter(raw);
  return result.ok ? [] : result.messages;
}

describe("module frontmatter", () => {
  it("fills in the defaults", () => {
    const result = parseModuleFrontmatter(frontmatter());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.frontmatter.prerequisites).toEqual([]);
    expect(result.frontmatter.grantsSkills).toEqual([]);
    expect(result.frontmatter.quiz.retryAfterMinutes).toBe(5);
  });

  it("accepts the skill kinds of the Skill table, including channel ids with underscores", () => {
    expect(messages(frontmatter({ grantsSkills: ["topic:refunds", "task:console-basics", "channel:apple_messages", "language:nl"] }))).toEqual([]);
    expect(messages(frontmatter({ grantsSkills: ["refunds"] }))).toEqual([
      'frontmatter "grantsSkills.0": must be a skill id such as "topic:refunds"',
    ]);
    expect(messages(frontmatter({ grantsSkills: ["badge:gold"] }))).toHaveLength(1);
  });

  it("rejects ids that are not slugs, unsupported languages and empty roles", () => {
    expect(messages(frontmatter({ id: "Case Lifecycle" }))).toEqual([
      'frontmatter "id": must be a lowercase slug such as console-basics',
    ]);
    expect(messages(frontmatter({ language: "sv" }))[0]).toMatch(/^frontmatter "language": /);
    expect(messages(frontmatter({ roles: [] }))).toEqual(['frontmatter "roles": a module must be for at least one role']);
    expect(messages(frontmatter({ estimatedMinutes: 7.5 }))[0]).toMatch(/^frontmatter "estimatedMinutes": /);
    expect(messages(frontmatter({ prerequisites: ["Console Basics"] }))[0]).toMatch(/^frontmatter "prerequisites.0": /);
  });

  it("takes the pass mark as a fraction from 0 to 1", () => {
    const quiz = frontmatter().quiz;
    expect(messages(frontmatter({ quiz: { ...quiz, passMark: 4 } }))).toEqual([
      'frontmatter "quiz.passMark": passMark is a fraction from 0 to 1',
    ]);
    expect(messages(frontmatter({ quiz: { ...quiz, passMark: 0 } }))).toEqual(['frontmatter "quiz.passMark": passMark must be above 0']);
    expect(messages(frontmatter({ quiz: { ...quiz, passMark: 1 } }))).toEqual([]);
  });

  it("rejects a quiz without questions, and duplicate question or choice ids", () => {
    const quiz = frontmatter().quiz;
    const question = quiz.questions[0] as (typeof quiz.questions)[number];
    expect(messages(frontmatter({ quiz: { ...quiz, questions: [] } }))).toEqual([
      'frontmatter "quiz.questions": the quiz has no questions',
    ]);
    expect(messages(frontmatter({ quiz: { ...quiz, questions: [question, question] } }))).toEqual([
      'frontmatter "quiz.questions": two questions have the id "hold"',
    ]);
    const sameChoice = { ...question, choices: [question.choices[0], question.choices[0]] };
    expect(messages(frontmatter({ quiz: { ...quiz, questions: [sameChoice] } }))).toEqual([
      'frontmatter "quiz.questions.0.choices": question "hold" has two choices with id "a"',
    ]);
  });

  it("requires a quiz", () => {
    expect(messages(frontmatter({ quiz: undefined }))[0]).toMatch(/^frontmatter "quiz": /);
  });
});
