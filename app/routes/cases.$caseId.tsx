import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { findCase } from "~/cases/case-list.server";
import { caseRoutingPanel } from "~/cases/case-panel.server";
import { CaseRoutingPanel } from "~/cases/case-routing-panel";
import { requireAbility, requireRow } from "~/permissions/guard.server";
import { NO_SUCH_CASE } from "~/cases/case-list.server";
import { GesturePanel } from "~/gestures/gesture-panel";
import { gesturePanelFor } from "~/gestures/gestures.server";
import { Can } from "~/permissions/can";
import { redactCase } from "~/permissions/fields.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `Case #${data?.case.number ?? ""} · Surge` }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability, user } = requireAbility(args, "read", "Case");
  const found = requireRow(ability, "Case", await findCase(args.params.caseId ?? ""), { notFoundMessage: NO_SUCH_CASE });
  // Field-level rules: only the columns this user may read leave the server.
  return { case: redactCase(ability, found), gestures: await gesturePanelFor(ability, user, found), ...(await caseRoutingPanel(args.request, ability, found)) };
}

const when = (value: string | Date | null) =>
  value ? new Date(value).toLocaleString("en-GB", { timeZone: "UTC", dateStyle: "medium", timeStyle: "short" }) + " UTC" : "—";

export default function CaseView() {
  const { case: c, gestures, routing } = useLoaderData<typeof loader>();
  return (
    <article aria-labelledby="case-title">
      <h1 id="case-title">
        Case #{c.number}: {c.subject}
      </h1>
      <dl className="case-facts">
        <dt>Customer</dt>
        <dd>
          {c.customerName} ({c.loyaltyTier === "none" ? "no loyalty tier" : `${c.loyaltyTier} member`})
        </dd>
        <dt>Channel and language</dt>
        <dd>
          {c.channel.name}, {c.language}
        </dd>
        <dt>Booking and flight</dt>
        <dd>
          {c.bookingReference ?? "no booking"} {c.flightNumber ? `· ${c.flightNumber}, departs ${when(c.departureAt)}` : ""}
        </dd>
        <dt>Priority</dt>
        <dd>
          Tier {c.priorityTier}
          {c.priorityReason ? ` — ${c.priorityReason}` : ""}
        </dd>
        <dt>Status</dt>
        <dd>
          {c.status.replace("_", " ")}
          {c.assignee ? `, assigned to ${c.assignee.name}` : ""}
        </dd>
        <dt>Received</dt>
        <dd>{when(c.receivedAt)}</dd>
      </dl>
      <CaseRoutingPanel kase={c} routing={routing} />
      <h2>Message</h2>
      <p className="case-body">{c.body}</p>
      <h2>Timeline</h2>
      <ol>
        {c.events.map((event) => (
          <li key={event.id}>
            {when(event.createdAt)}: {event.type}
          </li>
        ))}
      </ol>
      {gestures ? (
        <Can I="create" a="Gesture">
          <GesturePanel {...gestures} />
        </Can>
      ) : null}
    </article>
  );
}
