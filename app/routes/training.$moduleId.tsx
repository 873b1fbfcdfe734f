import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useFetcher, useLoaderData, useNavigation, useRouteLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { CsrfInput } from "~/auth/csrf-input";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import {
  answersFromForm,
  attemptCount,
  lastAttempt,
  learnerTimeZone,
  loadLearnerPlan,
  moduleProgress,
  recordSection,
  requiredVolunteerModules,
  startModule,
  stepFor,
  submitQuiz,
  TrainingAccessError,
  type LearnerPlan,
} from "~/training/learner.server";
import { TrainingContent } from "~/training/mdx-components";
import { canRetry, correctAnswersNeeded, feedbackFor, quizForLearner } from "~/training/quiz";
import { skillNames } from "~/training/skills.server";
import trainingStyles from "~/training/training.css";
import { Notice } from "~/forms/notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: trainingStyles }];

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.module.title ?? "Training"} · Surge` }];

/** Recording the reader's place must not reload the page's data. */
export const shouldRevalidate: ShouldRevalidateFunction = ({ formData, defaultShouldRevalidate }) =>
  formData?.get("intent") === "progress" ? false : defaultShouldRevalidate;

function accessibleStep(learnerPlan: LearnerPlan, moduleId: string) {
  try {
    return stepFor(learnerPlan, moduleId);
  } catch (error) {
    if (error instanceof TrainingAccessError) throw new Response(error.message, { status: error.status });
    throw error;
  }
}

/** "14:05 (Europe/Amsterdam), in 4 minutes": formatted on the server so the page reads the same with or without JavaScript. */
function describeRetry(retryAt: Date, now: Date, timeZone: string): string {
  let time: string;
  try {
    time = retryAt.toLocaleTimeString("en-GB", { timeZone, hour: "2-digit", minute: "2-digit" });
  } catch {
    time = retryAt.toLocaleTimeString("en-GB", { timeZone: "UTC", hour: "2-digit", minute: "2-digit" });
    timeZone = "UTC";
  }
  const minutes = Math.max(1, Math.ceil((retryAt.getTime() - now.getTime()) / 60_000));
  return `${time} (${timeZone}), in ${minutes} minute${minutes === 1 ? "" : "s"}`;
}

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "read", "Training");
  const moduleId = args.params.moduleId ?? "";
  const learnerPlan = await loadLearnerPlan(user);
  const step = accessibleStep(learnerPlan, moduleId);
  const module = step.module;
  // Opening a module starts it (and moves an invited volunteer to training).
  if (step.state === "available") await startModule(user, module.id);
  const [last, attempts, progress, timeZone] = await Promise.all([
    lastAttempt(user.id, module.id),
    attemptCount(user.id, module.id),
    moduleProgress(user.id, module.id),
    learnerTimeZone(user.id),
  ]);
  const now = new Date();
  const retry = canRetry(last?.createdAt, module.quiz.retryAfterMinutes, now);
  const index = learnerPlan.plan.steps.indexOf(step);
  const next = learnerPlan.plan.steps.slice(index + 1).find((candidate) => candidate.state !== "passed");
  // A new order of questions and choices for every attempt.
  const quiz = quizForLearner(module.quiz, `${user.id}:${module.id}:${attempts}`);
  return {
    module: {
      id: module.id,
      title: module.title,
      summary: module.summary,
      language: module.language,
      estimatedMinutes: module.estimatedMinutes,
      tree: module.tree,
      sections: module.sections,
    },
    // Questions and choices only: the answers and explanations stay on the server until the learner answers.
    quiz: { ...quiz, needed: correctAnswersNeeded(quiz.passMark, quiz.questions.length), retryAfterMinutes: module.quiz.retryAfterMinutes },
    passed: progress?.status === "passed",
    passedAt: progress?.passedAt?.toISOString().slice(0, 10) ?? null,
    lastSection: progress?.lastSection ?? null,
    attempts,
    lastScore: last ? { score: last.score, total: module.quiz.questions.length, passed: last.passed } : null,
    waitMessage: !retry.allowed && retry.retryAt ? describeRetry(retry.retryAt, now, timeZone) : null,
    next: next ? { id: next.module.id, title: next.module.title } : null,
  };
}

interface QuestionFeedback {
  questionId: string;
  prompt: string;
  correct: boolean;
  /** Null for a question answered right in a failed attempt: no hint of the key. */
  explanation: string | null;
  chosen: string[];
  wrongChosen: string[];
  missedCount: number;
  /** Only after a pass. */
  correctChoices: string[] | null;
}

type ActionResult =
  | { intent: "progress"; saved: boolean }
  | { intent: "quiz"; error: string; missing?: string[] }
  | {
      intent: "quiz";
      error?: undefined;
      passed: boolean;
      score: number;
      total: number;
      needed: number;
      attemptNumber: number;
      feedback: QuestionFeedback[];
      grantedSkills: string[];
      certified: boolean;
      waitMessage: string | null;
    };

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "read", "Training");
  const form = await readForm(args.request);
  const learnerPlan = await loadLearnerPlan(user);
  const step = accessibleStep(learnerPlan, args.params.moduleId ?? "");
  const module = step.module;
  const intent = form.get("intent");

  if (intent === "progress") {
    const section = form.get("section");
    const saved = typeof section === "string" && (await recordSection(user, module, section));
    if (saved && step.state === "available") await startModule(user, module.id);
    return data<ActionResult>({ intent: "progress", saved }, { status: saved ? 200 : 400 });
  }
  if (intent !== "quiz") return data<ActionResult>({ intent: "quiz", error: "Unknown action." }, { status: 400 });

  const { answers, missing, invalid } = answersFromForm(module, form);
  if (invalid.length > 0) {
    return data<ActionResult>({ intent: "quiz", error: "Some answers do not belong to this quiz. Reload the page and try again." }, { status: 400 });
  }
  if (missing.length > 0) {
    return data<ActionResult>(
      { intent: "quiz", error: `Answer every question before you send the quiz (${missing.length} still open).`, missing },
      { status: 400 },
    );
  }
  if (step.state === "available") await startModule(user, module.id);
  const required = user.role === "volunteer" ? requiredVolunteerModules(learnerPlan.catalog, learnerPlan.languages) : [];
  const now = new Date();
  const outcome = await submitQuiz(user, module, required, answers, now);
  if (outcome.kind === "already_passed") {
    return data<ActionResult>({ intent: "quiz", error: "You have already passed this module. There is nothing more to do here." }, { status: 409 });
  }
  const timeZone = await learnerTimeZone(user.id);
  if (outcome.kind === "wait") {
    return data<ActionResult>(
      { intent: "quiz", error: `You can take the quiz again at ${describeRetry(outcome.retryAt, now, timeZone)}. Use the time to read the module again.` },
      { status: 429, headers: { "Retry-After": String(Math.ceil((outcome.retryAt.getTime() - now.getTime()) / 1000)) } },
    );
  }
  const choiceText = (questionId: string, ids: readonly string[]) => {
    const question = module.quiz.questions.find((candidate) => candidate.id === questionId);
    return ids.map((id) => question?.choices.find((choice) => choice.id === id)?.text ?? id);
  };
  const grantedSkills = await skillNames(outcome.grantedSkills);
  return data<ActionResult>({
    intent: "quiz",
    passed: outcome.result.passed,
    score: outcome.result.score,
    total: outcome.result.total,
    needed: correctAnswersNeeded(module.quiz.passMark, outcome.result.total),
    attemptNumber: outcome.attemptNumber,
    feedback: feedbackFor(module.quiz, answers, outcome.result).map((item) => ({
      questionId: item.questionId,
      prompt: module.quiz.questions.find((question) => question.id === item.questionId)?.prompt ?? item.questionId,
      correct: item.correct,
      explanation: item.explanation,
      chosen: choiceText(item.questionId, answers[item.questionId] ?? []),
      wrongChosen: choiceText(item.questionId, item.wrongChosen),
      missedCount: item.missedCount,
      correctChoices: item.correctChoiceIds ? choiceText(item.questionId, item.correctChoiceIds) : null,
    })),
    grantedSkills,
    certified: outcome.certified,
    waitMessage: outcome.retryAt ? describeRetry(outcome.retryAt, now, timeZone) : null,
  });
}

/** Records the last section heading the reader scrolled past, so "Continue" brings them back there. */
function useReadingPosition(moduleId: string, sectionKey: string, initial: string | null) {
  const { submit } = useFetcher();
  const root = useRouteLoaderData<{ csrfToken: string }>("root");
  const saved = useRef(initial);
  const csrf = root?.csrfToken ?? "";
  useEffect(() => {
    const headings = sectionKey
      .split(" ")
      .map((id) => document.getElementById(id))
      .filter((element): element is HTMLElement => element !== null);
    if (headings.length === 0 || typeof IntersectionObserver === "undefined") return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const observer = new IntersectionObserver(
      (entries) => {
        const reached = entries.filter((entry) => entry.isIntersecting).map((entry) => entry.target.id);
        const section = reached[reached.length - 1];
        if (!section || section === saved.current) return;
        clearTimeout(timer);
        // Wait until the reader settles instead of posting on every scroll.
        timer = setTimeout(() => {
          saved.current = section;
          void submit({ intent: "progress", section, csrf }, { method: "post", action: `/training/${moduleId}` });
        }, 800);
      },
      { rootMargin: "0px 0px -60% 0px" },
    );
    for (const heading of headings) observer.observe(heading);
    return () => {
      clearTimeout(timer);
      observer.disconnect();
    };
  }, [moduleId, sectionKey, csrf, submit]);
}

export default function TrainingModulePage() {
  const loaded = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionResult | undefined;
  const navigation = useNavigation();
  const resultRef = useRef<HTMLElement>(null);
  const { module, quiz } = loaded;
  useReadingPosition(module.id, module.sections.map((section) => section.id).join(" "), loaded.lastSection);

  useEffect(() => {
    if (result?.intent === "quiz") resultRef.current?.focus();
  }, [result]);

  const quizResult = result?.intent === "quiz" ? result : undefined;
  const scored = quizResult && quizResult.error === undefined ? quizResult : undefined;
  const missing = new Set(quizResult?.error !== undefined ? (quizResult.missing ?? []) : []);
  const showForm = !loaded.passed;
  const submitting = navigation.state === "submitting" && navigation.formData?.get("intent") === "quiz";

  return (
    <article className="training-page training-module" lang={module.language} aria-labelledby="module-title">
      <p className="training-breadcrumb" lang="en">
        <Link to="/training">Your training</Link>
      </p>
      <h1 id="module-title">{module.title}</h1>
      <p className="training-module__summary">{module.summary}</p>
      <p className="training-module__meta" lang="en">
        {`About ${module.estimatedMinutes} minutes · ${quiz.questions.length} quiz questions`}
        {loaded.passed ? ` · passed on ${loaded.passedAt}` : ""}
      </p>
      {module.sections.length > 1 ? (
        <nav aria-label="Sections of this module" className="training-toc">
          <ol>
            {module.sections.map((section) => (
              <li key={section.id}>
                <a href={`#${section.id}`} aria-current={section.id === loaded.lastSection ? "location" : undefined}>
                  {section.title}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      ) : null}

      <TrainingContent tree={module.tree} language={module.language} />

      <section aria-labelledby="quiz-title" className="training-quiz" lang="en">
        <h2 id="quiz-title">Quiz</h2>
        {loaded.passed && !scored ? (
          <Notice tone="success">
            You passed this module.{" "}
            {loaded.next ? <Link to={`/training/${loaded.next.id}`}>{`Next: ${loaded.next.title}`}</Link> : <Link to="/training">Back to your training</Link>}
          </Notice>
        ) : (
          <p>{`Answer ${quiz.needed} of the ${quiz.questions.length} questions correctly to pass. After each attempt you see why each answer is right or wrong; you can try again after ${quiz.retryAfterMinutes} minutes.`}</p>
        )}

        {quizResult ? (
          <section ref={resultRef} tabIndex={-1} aria-labelledby="quiz-result-title" className="training-quiz__result" data-testid="quiz-result">
            {quizResult.error !== undefined ? (
              <>
                <h3 id="quiz-result-title">Not sent</h3>
                <Notice tone="error">
                  {quizResult.error}
                </Notice>
              </>
            ) : (
              <>
                <h3 id="quiz-result-title">{quizResult.passed ? "Passed" : "Not passed yet"}</h3>
                <Notice tone={quizResult.passed ? "success" : "info"}>
                  {`You answered ${quizResult.score} of ${quizResult.total} questions correctly (${quizResult.needed} needed). Attempt ${quizResult.attemptNumber}.`}
                  {quizResult.passed && quizResult.grantedSkills.length > 0 ? ` New skills: ${quizResult.grantedSkills.join(", ")}.` : ""}
                  {quizResult.certified ? " You have passed every required module: you are now certified and can take cases." : ""}
                  {!quizResult.passed && quizResult.waitMessage ? ` You can try again at ${quizResult.waitMessage}.` : ""}
                </Notice>
                {quizResult.passed ? (
                  <p>
                    {loaded.next ? <Link to={`/training/${loaded.next.id}`}>{`Next: ${loaded.next.title}`}</Link> : <Link to="/training">Back to your training</Link>}
                  </p>
                ) : null}
                <ol className="training-feedback">
                  {quizResult.feedback.map((item) => (
                    <li key={item.questionId} className={item.correct ? "training-feedback--right" : "training-feedback--wrong"} lang={module.language}>
                      <p className="training-feedback__prompt">
                        <strong lang="en">{item.correct ? "Right: " : "Not right: "}</strong>
                        {item.prompt}
                      </p>
                      <p>
                        <span lang="en">Your answer: </span>
                        {item.chosen.join("; ")}
                      </p>
                      {item.wrongChosen.length > 0 ? (
                        <p>
                          <span lang="en">Wrong: </span>
                          {item.wrongChosen.join("; ")}
                        </p>
                      ) : null}
                      {!item.correct && item.missedCount > 0 ? (
                        <p lang="en">{`You left out ${item.missedCount} right ${item.missedCount === 1 ? "answer" : "answers"}.`}</p>
                      ) : null}
                      {item.correctChoices && !item.correct ? (
                        <p>
                          <span lang="en">Correct answer: </span>
                          {item.correctChoices.join("; ")}
                        </p>
                      ) : null}
                      {item.explanation ? <p className="training-feedback__explanation">{item.explanation}</p> : null}
                    </li>
                  ))}
                </ol>
              </>
            )}
          </section>
        ) : null}

        {showForm && !scored?.passed ? (
          <>
            {loaded.waitMessage && !quizResult ? (
              <Notice>
                {`You can take the quiz again at ${loaded.waitMessage}.`}
              </Notice>
            ) : null}
            <Form method="post" className="training-quiz__form" noValidate>
              <CsrfInput />
              <input type="hidden" name="intent" value="quiz" />
              {quiz.questions.map((question, number) => {
                const errorId = `question-${question.id}-error`;
                const hintId = `question-${question.id}-hint`;
                return (
                  <fieldset
                    key={question.id}
                    className="training-question"
                    aria-describedby={[question.multipleAnswers ? hintId : null, missing.has(question.id) ? errorId : null].filter(Boolean).join(" ") || undefined}
                  >
                    <legend lang={module.language}>
                      <span className="training-question__number" lang="en">{`Question ${number + 1} of ${quiz.questions.length}: `}</span>
                      {question.prompt}
                    </legend>
                    {question.multipleAnswers ? (
                      <p id={hintId} className="hint">
                        Choose all that apply.
                      </p>
                    ) : null}
                    {question.choices.map((choice) => {
                      const id = `answer-${question.id}-${choice.id}`;
                      return (
                        <div key={choice.id} className="training-choice">
                          <input id={id} type={question.multipleAnswers ? "checkbox" : "radio"} name={`answer.${question.id}`} value={choice.id} />
                          <label htmlFor={id} lang={module.language}>
                            {choice.text}
                          </label>
                        </div>
                      );
                    })}
                    {missing.has(question.id) ? (
                      <p id={errorId} className="field-error">
                        Choose an answer.
                      </p>
                    ) : null}
                  </fieldset>
                );
              })}
              <button type="submit" className="primary" disabled={submitting}>
                {submitting ? "Checking your answers ..." : loaded.attempts > 0 || scored ? "Send my answers again" : "Send my answers"}
              </button>
            </Form>
          </>
        ) : null}
      </section>
    </article>
  );
}
