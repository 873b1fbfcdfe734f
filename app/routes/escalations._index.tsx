// "My escalations": the cases the signed-in person escalated, each with its
// outcome and the expert's advice (the case stays readable, read-only), and
// the training module offered again for a reason they escalate often.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData, useRevalidator, useSearchParams } from "@remix-run/react";
import { OUTCOME_LABELS } from "~/escalation/escalation";
import { escalationSettings } from "~/escalation/escalation-settings.server";
import { myEscalations, trainingOffers } from "~/escalation/learning.server";
import { LiveRegion, useAnnouncer } from "~/live/live-region";
import { useLiveEvents } from "~/live/use-live-events";
import { requireAbility } from "~/permissions/guard.server";
import { formatUtc } from "~/reference/utc-time";

export const meta: MetaFunction = () => [{ title: "My escalations · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "read", "Escalation");
  const [escalations, offers] = await Promise.all([myEscalations(user.id), trainingOffers(user.id, escalationSettings)]);
  return { escalations, offers, window: { threshold: escalationSettings.trainingOfferThreshold, days: escalationSettings.trainingWindowDays } };
}

function outcomeText(e: { status: string; outcome: string | null; expert: { name: string } | null }) {
  if (e.outcome) return `${OUTCOME_LABELS[e.outcome as keyof typeof OUTCOME_LABELS]}${e.expert ? ` by ${e.expert.name}` : ""}`;
  return e.status === "taken" ? `An expert is on it${e.expert ? ` (${e.expert.name})` : ""}` : "Waiting for an expert";
}

export default function MyEscalations() {
  const { escalations, offers, window } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const message = params.get("message")?.slice(0, 300);
  const revalidator = useRevalidator();
  const [announcement, announce] = useAnnouncer();
  // A hand-back (or any change to a case) refreshes the list through the loader.
  useLiveEvents((event) => {
    if (event.kind !== "case_assigned" && event.kind !== "case_updated" && event.kind !== "resync") return;
    if (event.caseId && event.kind === "case_updated" && !escalations.some((e) => e.case.id === event.caseId)) return;
    revalidator.revalidate();
    if (event.kind === "case_assigned") announce("A case was handed back to you.");
  });
  return (
    <section aria-labelledby="escalations-title">
      <h1 id="escalations-title">My escalations</h1>
      <LiveRegion message={announcement} />
      {message ? (
        <p className="notice success" role="status">
          {message}
        </p>
      ) : null}
      {offers.length ? (
        <div className="notice" role="status">
          <p>
            You escalated these reasons {window.threshold} or more times in the last {window.days} days. A short module may help:
          </p>
          <ul aria-label="Training offered again">
            {offers.map((offer) => (
              <li key={offer.reasonCode}>
                {offer.reasonLabel} ({offer.count} times): <Link to={`/training/${offer.moduleId}`}>{offer.moduleTitle}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {escalations.length === 0 ? (
        <p>You have not escalated a case yet. When you do, you will see here what the expert did and their advice.</p>
      ) : (
        <ul className="escalations">
          {escalations.map((e) => (
            <li key={e.id}>
              <p>
                <Link to={`/cases/${e.case.id}`}>
                  Case #{e.case.number}: {e.case.subject}
                </Link>{" "}
                · {e.reason}
                {e.automatic ? " (escalated automatically)" : ""} · {formatUtc(e.createdAt)}
              </p>
              <p>
                <strong>{outcomeText(e)}</strong>
                {e.resolvedAt ? `, ${formatUtc(e.resolvedAt)}` : ""} · the case is now {e.case.status.replace("_", " ")}
              </p>
              {e.advice ? <blockquote aria-label={`Advice on case ${e.case.number}`}>{e.advice}</blockquote> : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
