// Mentions: internal notes that name the signed-in person, unread first.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { markMentionsRead, mentionInbox } from "~/console/mention-inbox.server";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { formatUtc } from "~/reference/utc-time";

export const meta: MetaFunction = () => [{ title: "Mentions · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "create", "CaseNote");
  return { mentions: await mentionInbox(user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "CaseNote");
  const form = await readForm(args.request);
  const noteId = form.get("noteId");
  const count = await markMentionsRead(user.id, typeof noteId === "string" && noteId ? [noteId] : undefined);
  return { marked: count };
}


export default function Inbox() {
  const { mentions } = useLoaderData<typeof loader>();
  const unread = mentions.filter((mention) => !mention.read).length;
  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">Mentions</h1>
      <p>
        Internal notes in which a colleague mentioned you. {unread === 0 ? "Nothing unread." : `${unread} unread.`}
      </p>
      {unread > 0 ? (
        <Form method="post">
          <CsrfInput />
          <button type="submit">Mark all as read</button>
        </Form>
      ) : null}
      {mentions.length === 0 ? (
        <p>No one has mentioned you yet.</p>
      ) : (
        <ul className="mentions">
          {mentions.map((mention) => (
            <li key={mention.noteId} className={mention.read ? "read" : "unread"}>
              <p>
                <strong>{mention.read ? "" : "Unread: "}</strong>
                {mention.author} on <Link to={`/cases/${mention.case.id}`}>case #{mention.case.number}</Link> ({mention.case.subject}), {formatUtc(mention.at)}
              </p>
              <blockquote>{mention.body}</blockquote>
              {mention.read ? null : (
                <Form method="post">
                  <CsrfInput />
                  <input type="hidden" name="noteId" value={mention.noteId} />
                  <button type="submit" className="secondary">
                    Mark as read
                  </button>
                </Form>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
