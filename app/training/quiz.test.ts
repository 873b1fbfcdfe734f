import { describe, expect, it } from "vitest";
import { quizSchema, type Quiz } from "./module-frontmatter";
import { canRetry, correctAnswersNeeded, feedbackFor, quizForLearner, scoreQuizAttempt } from "./quiz";

/** A question of the fixture; its choices as { id: text }, in order. */
function question(id: string, prompt: string, choices: Record<string, string>, correct: string[], explanation: string) {
  return { id, prompt, choices: Object.entries(choices).map(([choiceId, text]) => ({ id: choiceId, text })), correct, explanation };
}

const quiz: Quiz = quizSchema.parse({
  passMark: 0.75,
  questions: [
    question("status", "Waiting for the customer?", { hold: "On hold", resolved: "Resolved" }, ["hold"], "On hold means waiting for the customer."),
    question(
      "triggers",
      "Which must you escalate?",
      { lawyer: "A lawyer", minor: "A child alone", seat: "A seat request" },
      ["lawyer", "minor"],
      "Legal threats and unaccompanied minors are always escalated.",
    ),
    question("card", "Ask for the card number?", { never: "Never", sometimes: "Sometimes" }, ["never"], "We never need it."),
    question("refund-date", "Promise a refund date?", { no: "No", yes: "Yes" }, ["no"], "The refund team decides."),
  ],
});

describe("scoreQuizAttempt", () => {
  it("passes with all answers right and returns every explanation", () => {
    const result = scoreQuizAttempt(quiz, {
      status: ["hold"],
      triggers: ["minor", "lawyer"],
      card: ["never"],
      "refund-date": ["no"],
    });
    expect(result).toMatchObject({ score: 4, total: 4, passed: true });
    expect(result.perQuestion.map((question) => question.explanation)).toEqual(quiz.questions.map((question) => question.explanation));
  });

  it("needs exactly the right set on a multi-answer question", () => {
    const partial = scoreQuizAttempt(quiz, { triggers: ["lawyer"] });
    const tooMany = scoreQuizAttempt(quiz, { triggers: ["lawyer", "minor", "seat"] });
    const exact = scoreQuizAttempt(quiz, { triggers: ["lawyer", "minor", "lawyer"] });
    const triggers = (result: typeof partial) => result.perQuestion.find((question) => question.questionId === "triggers");

    expect(triggers(partial)).toEqual({
      questionId: "triggers",
      correct: false,
      explanation: "Legal threats and unaccompanied minors are always escalated.",
      correctChoiceIds: ["lawyer", "minor"],
    });
    expect(triggers(tooMany)?.correct).toBe(false);
    expect(triggers(exact)?.correct).toBe(true);
  });

  it("applies the pass mark as a fraction of the questions", () => {
    const threeOfFour = scoreQuizAttempt(quiz, { status: ["hold"], card: ["never"], "refund-date": ["no"] });
    expect(threeOfFour).toMatchObject({ score: 3, total: 4, passed: true });

    const twoOfFour = scoreQuizAttempt(quiz, { status: ["hold"], card: ["sometimes"], "refund-date": ["no"], triggers: [] });
    expect(twoOfFour).toMatchObject({ score: 2, passed: false });

    expect(scoreQuizAttempt(quiz, {})).toMatchObject({ score: 0, total: 4, passed: false });
  });

  it("rounds the number of correct answers needed up, without floating-point surprises", () => {
    expect(correctAnswersNeeded(0.8, 5)).toBe(4);
    expect(correctAnswersNeeded(0.8, 4)).toBe(4);
    expect(correctAnswersNeeded(0.75, 4)).toBe(3);
    expect(correctAnswersNeeded(1, 3)).toBe(3);
    expect(correctAnswersNeeded(0.7, 10)).toBe(7);
  });
});

describe("canRetry", () => {
  const lastAttempt = new Date("2020-03-16T09:00:00Z");

  it("allows a first attempt at once", () => {
    expect(canRetry(null, 5, lastAttempt)).toEqual({ allowed: true, retryAt: null });
  });

  it("makes the learner wait the module's retry time after an attempt", () => {
    const retryAt = new Date("2020-03-16T09:05:00Z");
    expect(canRetry(lastAttempt, 5, new Date("2020-03-16T09:04:59Z"))).toEqual({ allowed: false, retryAt });
    expect(canRetry(lastAttempt, 5, retryAt)).toEqual({ allowed: true, retryAt });
    expect(canRetry(lastAttempt, 0, lastAttempt).allowed).toBe(true);
  });
});

describe("quizForLearner", () => {
  it("sends no answers or explanations to the browser, but says which questions take several answers", () => {
    const forLearner = quizForLearner(quiz);
    expect(JSON.stringify(forLearner)).not.toMatch(/correct|explanation|escalated/);
    expect(forLearner.questions.map((question) => question.multipleAnswers)).toEqual([false, true, false, false]);
  });
});

describe("a failed attempt and the retry", () => {
  const wrongOnTriggers = { status: ["hold"], triggers: ["lawyer", "seat"], card: [] as string[] };

  it("says which answers were wrong and why, but never which choices are right", () => {
    const result = scoreQuizAttempt(quiz, wrongOnTriggers);
    expect(result.passed).toBe(false);
    const feedback = feedbackFor(quiz, wrongOnTriggers, result);
    const triggers = feedback.find((item) => item.questionId === "triggers")!;
    expect(triggers).toMatchObject({ correct: false, wrongChosen: ["seat"], missedCount: 1, correctChoiceIds: null });
    expect(triggers.explanation).toMatch(/always escalated/);
    // A question answered right says nothing more in a failed attempt.
    expect(feedback.find((item) => item.questionId === "status")).toMatchObject({ correct: true, explanation: null, correctChoiceIds: null });
    expect(feedback.every((item) => item.correctChoiceIds === null)).toBe(true);
  });

  it("shows the whole key once the quiz is passed", () => {
    const answers = Object.fromEntries(quiz.questions.map((question) => [question.id, question.correct]));
    const result = scoreQuizAttempt(quiz, answers);
    expect(result.passed).toBe(true);
    expect(feedbackFor(quiz, answers, result).map((item) => item.correctChoiceIds)).toEqual(quiz.questions.map((question) => question.correct));
  });

  it("shuffles questions and choices per attempt, the same way on a reload", () => {
    const order = (seed: string) => quizForLearner(quiz, seed).questions.map((q) => `${q.id}:${q.choices.map((c) => c.id).join(",")}`).join(" ");
    expect(order("u1:m:0")).toBe(order("u1:m:0"));
    const orders = new Set(Array.from({ length: 12 }, (_, attempt) => order(`u1:m:${attempt}`)));
    expect(orders.size).toBeGreaterThan(1);
    // Shuffled, never changed: the same questions with the same choices.
    const shuffled = quizForLearner(quiz, "u1:m:3").questions;
    expect(shuffled.map((q) => q.id).sort()).toEqual(quiz.questions.map((q) => q.id).sort());
    for (const question of shuffled) {
      expect(question.choices.map((c) => c.id).sort()).toEqual(quiz.questions.find((q) => q.id === question.id)!.choices.map((c) => c.id).sort());
    }
  });
});
