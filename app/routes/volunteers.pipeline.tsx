// The pipeline a planner watches: per language and channel, how many
// volunteers are enrolled, invited, signed up, in training, certified and
// online now, and who is stuck; any cell opens its people with bulk
// re-invite and remind.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { PIPELINE_STAGES, STAGE_LABELS, STUCK_AFTER_HOURS, type PipelineStage } from "~/enrolment/pipeline";
import { pipelineBoard, pipelineBulkAction, pipelineMembers } from "~/enrolment/pipeline.server";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { CHANNELS } from "~/reference/channels";
import { LANGUAGES, isLanguageCode } from "~/reference/languages";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Pipeline · Surge" }];

const channelName = (id: string) => CHANNELS.find((c) => c.id === id)?.name ?? id;
const languageName = (code: string) => (isLanguageCode(code) ? LANGUAGES[code] : code);

function selectionOf(values: URLSearchParams | Record<string, unknown>) {
  const get = (key: string) => String(values instanceof URLSearchParams ? (values.get(key) ?? "") : (values[key] ?? ""));
  const stage = get("stage");
  if (!(PIPELINE_STAGES as readonly string[]).includes(stage)) return null;
  return { language: get("language").slice(0, 10) || "*", channel: get("channel").slice(0, 40) || "*", stage: stage as PipelineStage };
}

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Pipeline");
  const selection = selectionOf(new URL(args.request.url).searchParams);
  const [board, members] = await Promise.all([pipelineBoard(), selection ? pipelineMembers(selection) : null]);
  return {
    ...board,
    selection,
    members: members?.slice(0, 200).map((m) => ({ id: m.volunteerId, name: m.name, email: m.email, status: m.status })) ?? null,
    memberCount: members?.length ?? 0,
  };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "read", "Pipeline");
  const values = formValues(await readForm(args.request));
  const selection = selectionOf(values);
  const intent = values.intent;
  if (!selection || (intent !== "reinvite" && intent !== "remind")) return data({ error: "Choose a cell and an action." }, { status: 400 });
  // Re-inviting issues sign-up links: the same permission as on the roster.
  requireAbility(args, intent === "reinvite" ? "invite" : "read", intent === "reinvite" ? "Volunteer" : "Pipeline");
  return { result: await pipelineBulkAction(intent, selection, user.id, new URL(args.request.url).origin) };
}

export default function Pipeline() {
  const { cells, totals, selection, members, memberCount } = useLoaderData<typeof loader>();
  const done = useActionData<typeof action>();
  const cellLink = (language: string, channel: string, stage: PipelineStage) => `?${new URLSearchParams({ language, channel, stage })}#selection`;
  return (
    <section aria-labelledby="pipeline-title">
      <h1 id="pipeline-title">Pipeline</h1>
      <p>{`Per language and channel. Stuck: not certified and nothing of their own (signing up, signing in, training) for ${STUCK_AFTER_HOURS} hours since their last step or their enrolment. Open a number to act on those people.`}</p>
      <div className="table-scroll">
        <table>
          <caption>Volunteers per language and channel</caption>
          <thead>
            <tr>
              <th scope="col">Language</th>
              <th scope="col">Channel</th>
              {PIPELINE_STAGES.map((stage) => (
                <th scope="col" key={stage}>
                  {STAGE_LABELS[stage]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {cells.map((cell) => (
              <tr key={`${cell.language}|${cell.channel}`} data-cell={`${cell.language}|${cell.channel}`}>
                <th scope="row">{languageName(cell.language)}</th>
                <td>{channelName(cell.channel)}</td>
                {PIPELINE_STAGES.map((stage) => (
                  <td key={stage} data-stage={stage}>
                    {cell.counts[stage] > 0 ? <Link to={cellLink(cell.language, cell.channel, stage)}>{cell.counts[stage]}</Link> : 0}
                  </td>
                ))}
              </tr>
            ))}
            <tr data-cell="*|*">
              <th scope="row">All</th>
              <td>all</td>
              {PIPELINE_STAGES.map((stage) => (
                <td key={stage} data-stage={stage}>
                  {totals[stage] > 0 ? <Link to={cellLink("*", "*", stage)}>{totals[stage]}</Link> : 0}
                </td>
              ))}
            </tr>
          </tbody>
        </table>
      </div>
      <div aria-live="polite">
        {done && "result" in done && done.result.action === "reinvite" ? (
          <Notice block tone="success">
            <p>{`${done.result.links.invited.length} new links; ${done.result.links.skipped.length} skipped (already signed up or released).`}</p>
            <ul>
              {done.result.links.invited.map((link) => (
                <li key={link.email}>
                  {`${link.name} <${link.email}>: `}
                  <code className="copy-link">{link.link}</code>
                </li>
              ))}
            </ul>
          </Notice>
        ) : null}
        {done && "result" in done && done.result.action === "remind" ? (
          <Notice block tone="success">
            <p>{`${done.result.reminded.length} to remind (recorded in the audit log); ${done.result.skipped} not in training.`}</p>
            {done.result.reminded.length ? (
              <p>
                <a href={`mailto:?bcc=${done.result.reminded.map((r) => r.email).join(",")}&subject=${encodeURIComponent("Your Surge training")}`}>Write to them</a>
              </p>
            ) : null}
          </Notice>
        ) : null}
        {done && "error" in done ? (
          <Notice tone="error">
            {done.error}
          </Notice>
        ) : null}
      </div>
      {selection && members ? (
        <section id="selection" aria-labelledby="selection-title">
          <h2 id="selection-title">
            {`${STAGE_LABELS[selection.stage]}: ${selection.language === "*" ? "all languages" : languageName(selection.language)}, ${selection.channel === "*" ? "all channels" : channelName(selection.channel)} (${memberCount})`}
          </h2>
          <Form method="post" className="filters">
            <CsrfInput />
            <input type="hidden" name="language" value={selection.language} />
            <input type="hidden" name="channel" value={selection.channel} />
            <input type="hidden" name="stage" value={selection.stage} />
            <button type="submit" name="intent" value="reinvite" className="primary">
              Re-invite those not signed up
            </button>
            <button type="submit" name="intent" value="remind" className="secondary">
              Remind those in training
            </button>
          </Form>
          <ul aria-label="People in this cell">
            {members.map((m) => (
              <li key={m.id}>
                <Link to={`/volunteers/${m.id}`}>{m.name}</Link> {`${m.email} (${m.status})`}
              </li>
            ))}
          </ul>
        </section>
      ) : null}
    </section>
  );
}
