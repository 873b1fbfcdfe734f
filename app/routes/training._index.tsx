import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireAbility } from "~/permissions/guard.server";
import { getModule } from "~/training/modules.server";
import { learnerVolunteerStatus, loadLearnerPlan } from "~/training/learner.server";
import trainingStyles from "~/training/training.css";
import { Notice } from "~/forms/notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: trainingStyles }];

export const meta: MetaFunction = () => [{ title: "Training · Surge" }];

const STATE_LABELS = { locked: "Locked", available: "Not started", in_progress: "In progress", passed: "Passed" } as const;

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "read", "Training");
  const [{ plan, catalog, languages }, volunteerStatus] = await Promise.all([loadLearnerPlan(user), learnerVolunteerStatus(user.id)]);
  const titleOf = (id: string) => getModule(catalog, id, languages)?.title ?? id;
  return {
    volunteerStatus,
    passedCount: plan.passedCount,
    totalCount: plan.totalCount,
    progressPercent: plan.progressPercent,
    minutesLeft: plan.minutesLeft,
    certified: plan.certified,
    resume: plan.resume && {
      moduleId: plan.resume.moduleId,
      title: titleOf(plan.resume.moduleId),
      href: `/training/${plan.resume.moduleId}${plan.resume.lastSection ? `#${plan.resume.lastSection}` : ""}`,
      started: plan.steps.some((step) => step.module.id === plan.resume?.moduleId && step.state === "in_progress"),
    },
    steps: plan.steps.map((step) => ({
      id: step.module.id,
      title: step.module.title,
      summary: step.module.summary,
      language: step.module.language,
      estimatedMinutes: step.module.estimatedMinutes,
      state: step.state,
      missing: step.missingPrerequisites.map(titleOf),
      href: `/training/${step.module.id}${step.lastSection ? `#${step.lastSection}` : ""}`,
    })),
  };
}

export default function TrainingPlan() {
  const data = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="training-title" className="training-page">
      <h1 id="training-title">Your training</h1>
      {data.totalCount === 0 ? (
        <p>There are no training modules for your role.</p>
      ) : (
        <>
          <div className="training-summary">
            <label htmlFor="training-progress">
              {`${data.passedCount} of ${data.totalCount} modules passed`}
            </label>
            <progress id="training-progress" max={100} value={data.progressPercent}>
              {`${data.progressPercent}%`}
            </progress>
            <p data-testid="minutes-left">
              {data.minutesLeft > 0 ? `About ${data.minutesLeft} minutes left.` : "Nothing left to do."}
            </p>
            {data.certified ? (
              <Notice tone="success">
                {data.volunteerStatus === "certified"
                  ? "You have passed every module: you are certified and can be scheduled for simple cases."
                  : "You have passed every module."}
              </Notice>
            ) : null}
            {data.resume ? (
              <p>
                <Link className="button" to={data.resume.href} data-testid="resume">
                  {`${data.resume.started ? "Continue" : "Start"}: ${data.resume.title}`}
                </Link>
              </p>
            ) : null}
          </div>
          <h2>Modules, in order</h2>
          <ol className="training-plan">
            {data.steps.map((step) => (
              <li key={step.id} className={`training-plan__item training-plan__item--${step.state}`} data-module={step.id} data-state={step.state} lang={step.language}>
                <h3 className="training-plan__title">
                  {step.state === "locked" ? step.title : <Link to={step.href}>{step.title}</Link>}
                </h3>
                <p className="training-plan__meta">
                  <span className="training-state">{STATE_LABELS[step.state]}</span>
                  {` · about ${step.estimatedMinutes} minutes`}
                  {step.language !== "en" ? ` · ${step.language.toUpperCase()}` : ""}
                </p>
                <p>{step.summary}</p>
                {step.state === "locked" ? <p className="training-plan__locked">{`Pass ${step.missing.join(" and ")} first.`}</p> : null}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}
