import type { Quiz } from "./module-frontmatter";

// Scoring and retry rules for a module's quiz. Pure: the route records the
// attempt (QuizAttempt) and grants skills when `passed` is true.

/** The learner's chosen choice ids, per question id. */
export type QuizAnswers = Record<string, readonly string[]>;

export interface QuestionResult {
  questionId: string;
  correct: boolean;
  /** Shown after answering, whether right or wrong. */
  explanation: string;
  correctChoiceIds: string[];
}

export interface QuizResult {
  score: number;
  total: number;
  passed: boolean;
  perQuestion: QuestionResult[];
}

export function scoreQuizAttempt(quiz: Quiz, answers: QuizAnswers): QuizResult {
  const perQuestion = quiz.questions.map((question) => {
    const chosen = new Set(answers[question.id] ?? []);
    // A "choose all that apply" question counts only with exactly the right set.
    const correct = chosen.size === question.correct.length && question.correct.every((id) => chosen.has(id));
    return {
      questionId: question.id,
      correct,
      explanation: question.explanation,
      correctChoiceIds: [...question.correct],
    };
  });
  const score = perQuestion.filter((result) => result.correct).length;
  const total = quiz.questions.length;
  return { score, total, passed: score >= correctAnswersNeeded(quiz.passMark, total), perQuestion };
}

/** passMark is a fraction; round up so 0.8 of 4 questions means all 4, never 3.2. */
export function correctAnswersNeeded(passMark: number, total: number): number {
  // The small epsilon keeps 0.8 * 5 (= 4.000000000000001) from becoming 5.
  return Math.ceil(passMark * total - 1e-9);
}

export interface RetryCheck {
  allowed: boolean;
  /** When the next attempt opens; null when there was no attempt yet. */
  retryAt: Date | null;
}

/** Whether a learner may take the quiz again, given their last attempt. */
export function canRetry(lastAttemptAt: Date | null | undefined, retryAfterMinutes: number, now: Date): RetryCheck {
  if (!lastAttemptAt) return { allowed: true, retryAt: null };
  const retryAt = new Date(lastAttemptAt.getTime() + retryAfterMinutes * 60_000);
  return { allowed: now.getTime() >= retryAt.getTime(), retryAt };
}

export interface LearnerQuestion {
  id: string;
  prompt: string;
  choices: { id: string; text: string }[];
  /** Render checkboxes ("choose all that apply") instead of radio buttons. */
  multipleAnswers: boolean;
}

/**
 * The quiz as sent to the browser: no correct answers, no explanations before
 * answering. With a seed (learner, module and attempt number) the questions
 * and each question's choices come in a shuffled order that changes with
 * every attempt, so a retry is not answered from the positions remembered.
 */
export function quizForLearner(quiz: Quiz, seed?: string): { passMark: number; questions: LearnerQuestion[] } {
  const random = seed === undefined ? null : seededRandom(seed);
  const order = <T>(items: readonly T[]): T[] => (random ? shuffled(items, random) : [...items]);
  return {
    passMark: quiz.passMark,
    questions: order(quiz.questions).map((question) => ({
      id: question.id,
      prompt: question.prompt,
      choices: order(question.choices).map((choice) => ({ id: choice.id, text: choice.text })),
      multipleAnswers: question.correct.length > 1,
    })),
  };
}

/** Fisher-Yates with the given source of randomness. */
export function shuffled<T>(items: readonly T[], random: () => number): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

/** A small deterministic generator (FNV-1a of the seed, then mulberry32): the same page on reload, a new order per attempt. */
export function seededRandom(seed: string): () => number {
  let state = 0x811c9dc5;
  for (let i = 0; i < seed.length; i++) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193);
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface QuestionFeedback {
  questionId: string;
  correct: boolean;
  /** Choices the learner picked that are wrong (the part of their answer to rethink). */
  wrongChosen: string[];
  /** Right choices left out of a "choose all that apply" answer: a count, not which. */
  missedCount: number;
  /** Why: for questions answered wrongly, and for all once the quiz is passed. */
  explanation: string | null;
  /** The key: only once the quiz is passed. */
  correctChoiceIds: string[] | null;
}

/**
 * What the learner sees after an attempt. A failed attempt says which answers
 * were wrong and why, but never which choices are right (nor anything about
 * questions answered correctly), so the retry still tests understanding; a
 * pass shows everything.
 */
export function feedbackFor(quiz: Quiz, answers: QuizAnswers, result: QuizResult): QuestionFeedback[] {
  return quiz.questions.map((question) => {
    const chosen = answers[question.id] ?? [];
    const correct = result.perQuestion.find((item) => item.questionId === question.id)?.correct ?? false;
    return {
      questionId: question.id,
      correct,
      wrongChosen: chosen.filter((id) => !question.correct.includes(id)),
      missedCount: question.correct.filter((id) => !chosen.includes(id)).length,
      explanation: result.passed || !correct ? question.explanation : null,
      correctChoiceIds: result.passed ? [...question.correct] : null,
    };
  });
}
