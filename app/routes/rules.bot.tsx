// The bot's work, visible, counted and reversible: deflections and stale-case
// closures (with a reopen button each), holding replies, and buttons to run
// the sweep and the holding replies now.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { botCounts, recentBotClosures, ReopenError, reopenBotClosedCase, runStaleSweep, sendHoldingReplies } from "~/cases/bot.server";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Bot activity · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "RuleSet");
  const since = new Date(Date.now() - 24 * 3_600_000);
  const [counts, closures] = await Promise.all([botCounts(since), recentBotClosures()]);
  return { counts, closures };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "RuleSet");
  const values = formValues(await readForm(args.request));
  if (values.intent === "sweep") {
    const { closed } = await runStaleSweep(new Date(), user.id);
    return { message: `The sweep closed ${closed.length} stale case(s); each customer was told why.` };
  }
  if (values.intent === "holding") {
    const { sent } = await sendHoldingReplies();
    return { message: `Sent ${sent} holding repl${sent === 1 ? "y" : "ies"}.` };
  }
  if (values.intent === "reopen") {
    try {
      await reopenBotClosedCase(String(values.caseId ?? ""), user.id, String(values.reason || "Reopened by a supervisor"));
      return { message: "The case is open again and back in the queue." };
    } catch (error) {
      if (error instanceof ReopenError) return data({ message: error.message }, { status: 409 });
      throw error;
    }
  }
  return data({ message: "Unknown action." }, { status: 400 });
}

export default function BotActivity() {
  const { counts, closures } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="bot-title">
      <p>
        <Link to="/rules">All rules</Link>
      </p>
      <h1 id="bot-title">Bot activity</h1>
      <div aria-live="polite">{result ? <Notice>{result.message}</Notice> : null}</div>
      <dl className="case-facts">
        <dt>Answered and closed (deflected), last 24 h</dt>
        <dd>{counts.deflected}</dd>
        <dt>Stale cases closed by the sweep, last 24 h</dt>
        <dd>{counts.swept}</dd>
        <dt>Holding replies sent, last 24 h</dt>
        <dd>{counts.holdingReplies}</dd>
        <dt>Reopened by people, last 24 h</dt>
        <dd>{counts.reopened}</dd>
      </dl>
      <Form method="post" className="inline-form">
        <CsrfInput />
        <button type="submit" name="intent" value="sweep" className="primary">
          Run the stale-case sweep now
        </button>{" "}
        <button type="submit" name="intent" value="holding" className="secondary">
          Send holding replies now
        </button>
      </Form>
      <h2>Closed by the bot</h2>
      {closures.length === 0 ? (
        <p>The bot has not closed any case that is still closed.</p>
      ) : (
        <div className="table-scroll">
          <table>
            <caption>Most recent first</caption>
            <thead>
              <tr>
                <th scope="col">Case</th>
                <th scope="col">Why</th>
                <th scope="col">Undo</th>
              </tr>
            </thead>
            <tbody>
              {closures.map((c) => (
                <tr key={c.id}>
                  <th scope="row">
                    <Link to={`/cases/${c.id}`}>
                      #{c.number}: {c.subject}
                    </Link>
                  </th>
                  <td>{c.closeReason}</td>
                  <td>
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="reopen" />
                      <input type="hidden" name="caseId" value={c.id} />
                      <button type="submit" className="secondary">
                        Reopen<span className="visually-hidden"> case {c.number}</span>
                      </button>
                    </Form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
