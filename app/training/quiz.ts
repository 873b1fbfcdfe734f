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

/** The quiz as sent to the browser: no correct answers, no explanations before answering. */
export function quizForLearner(quiz: Quiz): { passMark: number; questions: LearnerQuestion[] } {
  return {
    passMark: quiz.passMark,
    questions: quiz.questions.map((question) => ({
      id: question.id,
      prompt: question.prompt,
      choices: question.choices.map((choice) => ({ id: choice.id, text: choice.text })),
      multipleAnswers: question.correct.length > 1,
    })),
  };
}
