import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useAppAbility } from "~/permissions/can";
import { requireAbility } from "~/permissions/guard.server";
import { ORIGIN_LABELS, loadTrainingReport } from "~/training/report.server";
import trainingStyles from "~/training/training.css";
import { Notice } from "~/forms/notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: trainingStyles }];

export const meta: MetaFunction = () => [{ title: "Training report · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "TrainingReport");
  const report = await loadTrainingReport();
  const { statistics } = report;
  const cohortLabel = (cohort: string) => ORIGIN_LABELS[cohort as keyof typeof ORIGIN_LABELS] ?? cohort;
  const titleOf = (id: string) => report.moduleTitles[id] ?? id;
  return {
    learnerCount: report.learnerCount,
    certified: statistics.perCohort.reduce((sum, cohort) => sum + cohort.certified, 0),
    notStarted: statistics.notStarted.length,
    averageMinutesToPass: statistics.averageMinutesToPass,
    problems: report.problems,
    perModule: statistics.perModule.map((row) => ({ ...row, title: titleOf(row.moduleId) })),
    perCohort: statistics.perCohort.map((row) => ({ ...row, label: cohortLabel(row.cohort) })),
    stuckCount: report.stuck.length,
    // The worst cases first; a long list is not read past the first hundred.
    stuck: report.stuck.slice(0, 100).map((row) => ({
      userId: row.userId,
      name: row.name,
      email: row.email,
      cohort: cohortLabel(row.cohort),
      status: row.status,
      reasons: row.reasons.map((reason) =>
        reason.kind === "failed_attempts"
          ? `${reason.failedAttempts} failed attempts at "${titleOf(reason.moduleId)}"`
          : `no progress for ${reason.idleHours} hours`,
      ),
    })),
  };
}

const minutes = (value: number | null) => (value === null ? "—" : `${value} min`);

export default function TrainingReport() {
  const report = useLoaderData<typeof loader>();
  const ability = useAppAbility();
  const canManageSkills = ability.can("grant", "Skill");
  return (
    <section aria-labelledby="report-title" className="training-page">
      <h1 id="report-title">Training report</h1>
      {report.problems.length > 0 ? (
        <Notice block>
          <p>
            <strong>{`${report.problems.length} problem(s) in the training content.`}</strong> These modules are left out until they are fixed:
          </p>
          <ul>
            {report.problems.map((problem) => (
              <li key={`${problem.file}:${problem.message}`}>
                <code>{problem.file}</code>
                {`: ${problem.message}`}
              </li>
            ))}
          </ul>
        </Notice>
      ) : null}
      <ul className="cards">
        <li className="card" data-figure="learners">
          <span className="figure">{report.learnerCount}</span> volunteers in training or trained
        </li>
        <li className="card" data-figure="certified">
          <span className="figure">{report.certified}</span> passed every module
        </li>
        <li className="card" data-figure="not-started">
          <span className="figure">{report.notStarted}</span> not started
        </li>
        <li className="card" data-figure="average">
          <span className="figure">{minutes(report.averageMinutesToPass)}</span> average time to pass a module
        </li>
      </ul>
      {canManageSkills ? (
        <p>
          <Link to="/training/skills">Grant or revoke a skill by hand</Link>
        </p>
      ) : null}

      <h2>Completion per module</h2>
      <div className="table-scroll">
        <table data-table="modules">
          <caption>Volunteer modules, in plan order</caption>
          <thead>
            <tr>
              <th scope="col">Module</th>
              <th scope="col">Assigned</th>
              <th scope="col">Started</th>
              <th scope="col">Passed</th>
              <th scope="col">Completion</th>
              <th scope="col">Failed attempts</th>
              <th scope="col">Average time to pass</th>
            </tr>
          </thead>
          <tbody>
            {report.perModule.map((row) => (
              <tr key={row.moduleId} data-module={row.moduleId}>
                <th scope="row">{row.title}</th>
                <td data-cell="assigned">{row.assigned}</td>
                <td data-cell="started">{row.started}</td>
                <td data-cell="passed">{row.passed}</td>
                <td data-cell="completion">{`${row.completionPercent}%`}</td>
                <td data-cell="failed">{row.failedAttempts}</td>
                <td data-cell="average">{minutes(row.averageMinutesToPass)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Completion per cohort</h2>
      <div className="table-scroll">
        <table data-table="cohorts">
          <caption>Cohorts by where volunteers come from</caption>
          <thead>
            <tr>
              <th scope="col">Cohort</th>
              <th scope="col">Volunteers</th>
              <th scope="col">Passed every module</th>
              <th scope="col">Not started</th>
              <th scope="col">Completion</th>
              <th scope="col">Average time to pass</th>
            </tr>
          </thead>
          <tbody>
            {report.perCohort.map((row) => (
              <tr key={row.cohort} data-cohort={row.cohort}>
                <th scope="row">{row.label}</th>
                <td data-cell="learners">{row.learners}</td>
                <td data-cell="certified">{row.certified}</td>
                <td data-cell="not-started">{row.notStarted}</td>
                <td data-cell="completion">{`${row.completionPercent}%`}</td>
                <td data-cell="average">{minutes(row.averageMinutesToPass)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2>Who is stuck</h2>
      <p className="hint">Volunteers still in training with three or more failed attempts at a module, or no progress for a day.</p>
      {report.stuck.length === 0 ? (
        <p>Nobody is stuck.</p>
      ) : (
        <div className="table-scroll">
          <table data-table="stuck">
            <caption>
              {report.stuckCount > report.stuck.length
                ? `${report.stuckCount} volunteers need a hand; the first ${report.stuck.length} are shown`
                : `${report.stuckCount} volunteers need a hand`}
            </caption>
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Cohort</th>
                <th scope="col">Why</th>
                {canManageSkills ? <th scope="col">Skills</th> : null}
              </tr>
            </thead>
            <tbody>
              {report.stuck.map((row) => (
                <tr key={row.userId} data-stuck={row.email}>
                  <th scope="row">
                    {row.name}
                    <br />
                    <span className="hint">{row.email}</span>
                  </th>
                  <td>{row.cohort}</td>
                  <td>{row.reasons.join("; ")}</td>
                  {canManageSkills ? (
                    <td>
                      <Link to={`/training/skills?email=${encodeURIComponent(row.email)}`} aria-label={`Skills of ${row.name}`}>
                        Skills
                      </Link>
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
