// Presence: an agent goes online (routing may give them cases) or offline
// (their untouched cases go back to the queue at once).
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { goOffline, heldCases, setPresence } from "~/cases/routing.server";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Presence · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "take", "Case");
  // Presence was read with the session.
  return { online: user.presence?.online ?? false, cases: await heldCases(user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "take", "Case");
  const form = await readForm(args.request);
  const intent = form.get("intent");
  if (intent === "online") {
    await setPresence(user.id, true, { known: user.presence });
    return { message: "You are online. Ask for your next case when you are ready." };
  }
  if (intent === "offline") {
    const { returned } = await goOffline(user.id);
    return {
      message:
        returned.length === 0
          ? "You are offline. No untouched cases had to go back to the queue."
          : `You are offline. ${returned.length} case(s) you had not started went back to the queue.`,
    };
  }
  return data({ message: "Unknown action." }, { status: 400 });
}

export default function Presence() {
  const { online, cases } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="presence-title">
      <h1 id="presence-title">Presence</h1>
      <p>
        You are <strong>{online ? "online" : "offline"}</strong>. Going offline hands back every case you hold and have
        not started (no reply, note or gesture yet).
      </p>
      <Form method="post">
        <CsrfInput />
        <input type="hidden" name="intent" value={online ? "offline" : "online"} />
        <button type="submit" className={online ? "secondary" : "primary"}>
          {online ? "Go offline" : "Go online"}
        </button>
      </Form>
      <div aria-live="polite">{result ? <Notice>{result.message}</Notice> : null}</div>
      <h2>Your cases</h2>
      {cases.length === 0 ? (
        <p>
          You hold no cases. <Link to="/cases/next">Get the next case</Link>
        </p>
      ) : (
        <ul>
          {cases.map((c) => (
            <li key={c.id}>
              <Link to={`/cases/${c.id}`}>
                #{c.number}: {c.subject}
              </Link>{" "}
              ({c.channelId}, {c.status.replace("_", " ")})
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
