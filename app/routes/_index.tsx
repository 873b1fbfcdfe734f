import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { escalationSettings } from "~/escalation/escalation-settings.server";
import { trainingOffers } from "~/escalation/learning.server";
import { homeSummaryFor } from "~/home/home-summary.server";
import { defineAbilityFor } from "~/permissions/ability";
import { CHANNELS } from "~/reference/channels";
import { ROLE_LABELS, roleWithArticle } from "~/users/user-forms";
import { formatUtc } from "~/reference/utc-time";

const channelName = (id: string) => CHANNELS.find((c) => c.id === id)?.name ?? id;

export const meta: MetaFunction = () => [{ title: "Home · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = requireUser(args);
  const ability = defineAbilityFor(user);
  const [summary, offers] = await Promise.all([
    homeSummaryFor(user, ability),
    // The learning loop: a module offered again for a reason escalated often.
    ability.can("read", "Escalation") ? trainingOffers(user.id, escalationSettings) : Promise.resolve([]),
  ]);
  return { name: user.name, role: user.role, summary, offers };
}


type NextStepData = NonNullable<Extract<ReturnType<typeof useLoaderData<typeof loader>>["summary"], { kind: "agent" }>["nextStep"]>;

/** A volunteer's next step: training first, then cases; and the topics training has opened. */
function NextStep({ step }: { step: NextStepData }) {
  const first = step.modulesLeft.find((module) => module.state !== "locked") ?? step.modulesLeft[0];
  return (
    <section aria-labelledby="next-step-title" className="next-step">
      <h2 id="next-step-title">Your next step</h2>
      {step.canTakeCases ? (
        <p>
          You are certified. <Link to="/cases/next">Take your next case</Link>
        </p>
      ) : step.modulesLeft.length > 0 ? (
        <p>
          {`Training: ${step.modulesLeft.length} required ${step.modulesLeft.length === 1 ? "module" : "modules"} to pass before your first case.`}{" "}
          {first ? <Link to={first.href}>{`Start "${first.title}"`}</Link> : null}
        </p>
      ) : (
        <p>{step.blockedBecause}</p>
      )}
      {step.topicsOpen.length > 0 ? (
        <ul aria-label="Topics you can take">
          {step.topicsOpen.map((topic) => (
            <li key={topic.skillId}>
              <strong>{`You can now take ${topic.name.toLowerCase()}`}</strong> {`(${topic.topics.join(", ")})`}
            </li>
          ))}
        </ul>
      ) : null}
      {step.topicsToEarn.length > 0 ? (
        <ul aria-label="Topics training can open">
          {step.topicsToEarn.map((topic) => (
            <li key={topic.skillId}>
              {`${topic.name}: `}
              {topic.module ? <Link to={topic.module.href}>{`pass "${topic.module.title}"`}</Link> : "no module grants it yet"}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}

export default function Home() {
  const { name, role, summary, offers } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">Welcome, {name}</h1>
      <p>
        You are signed in as <strong>{roleWithArticle(role)}</strong>.
      </p>
      {summary.kind === "agent" && summary.nextStep ? <NextStep step={summary.nextStep} /> : null}
      {offers.length ? (
        <section aria-labelledby="refresher-title">
          <h2 id="refresher-title">A refresher for what you escalate often</h2>
          <ul>
            {offers.map((offer) => (
              <li key={offer.reasonCode}>
                {`${offer.reasonLabel} (${offer.count} escalations lately): `}
                <Link to={`/training/${offer.moduleId}`}>{offer.moduleTitle}</Link>
              </li>
            ))}
          </ul>
          <p>
            <Link to="/escalations">See what the experts did with your escalations</Link>
          </p>
        </section>
      ) : null}
      {summary.kind === "agent" ? (
        <>
          <h2>Your work</h2>
          <ul className="cards">
            <li className="card">
              <span className="figure">{summary.myOpenCases}</span> open cases assigned to you
            </li>
            {role === "agent" ? (
              <li className="card">
                <span className="figure">{summary.waitingICanSee}</span> cases waiting in the queue
              </li>
            ) : null}
            {summary.volunteerStatus ? (
              <li className="card">
                Your volunteer status: <strong>{summary.volunteerStatus}</strong>
              </li>
            ) : null}
          </ul>
          <p>
            <Link to="/cases">{role === "volunteer" ? "Open my cases" : "Open the case queue"}</Link>
          </p>
        </>
      ) : null}
      {summary.kind === "supervisor" ? (
        <>
          <h2>Queues</h2>
          <p>
            <strong>{summary.escalated}</strong> escalated cases are waiting for experienced agents.
          </p>
          <div className="table-scroll">
            <table>
              <caption>Open cases per channel</caption>
              <thead>
                <tr>
                  <th scope="col">Channel</th>
                  <th scope="col">Open</th>
                  <th scope="col">Oldest waiting since</th>
                </tr>
              </thead>
              <tbody>
                {summary.queues.map((queue) => (
                  <tr key={queue.channelId}>
                    <th scope="row">{channelName(queue.channelId)}</th>
                    <td>{queue.open}</td>
                    <td>{formatUtc(queue.oldest)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      ) : null}
      {summary.kind === "planner" ? (
        <>
          <h2>Workforce</h2>
          <div className="table-scroll">
            <table>
              <caption>Volunteers by status</caption>
              <thead>
                <tr>
                  <th scope="col">Status</th>
                  <th scope="col">Volunteers</th>
                </tr>
              </thead>
              <tbody>
                {summary.volunteersByStatus.map((row) => (
                  <tr key={row.status}>
                    <th scope="row">{row.status}</th>
                    <td>{row.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="table-scroll">
            <table>
              <caption>Accounts by role</caption>
              <thead>
                <tr>
                  <th scope="col">Role</th>
                  <th scope="col">Accounts</th>
                </tr>
              </thead>
              <tbody>
                {summary.usersByRole.map((row) => (
                  <tr key={row.role}>
                    <th scope="row">{ROLE_LABELS[row.role]}</th>
                    <td>{row.count}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p>
            <Link to="/users">Add people and send invitations</Link>
          </p>
        </>
      ) : null}
    </section>
  );
}
