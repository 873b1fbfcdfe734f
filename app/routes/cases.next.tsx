// "Next case": POST gives the agent the most urgent open case they may and
// can take and opens it; otherwise a clear "nothing for you" message.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { isOnline, nextCaseFor, setPresence } from "~/cases/routing.server";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Next case · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { user } = requireAbility(args, "take", "Case");
  return { online: await isOnline(user.id) };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "take", "Case");
  await readForm(args.request);
  // Asking for work means being available for it.
  await setPresence(user.id, true);
  const result = await nextCaseFor(user.id);
  if (result.ok) return redirect(`/cases/${result.caseId}`);
  return data({ reason: result.reason, message: result.message }, { status: result.reason === "not_allowed" ? 403 : 200 });
}

export default function NextCase() {
  const { online } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // Set when the console sends the agent here after resolving a case.
  const [params] = useSearchParams();
  const message = result?.message ?? params.get("message")?.slice(0, 300);
  return (
    <section aria-labelledby="next-title">
      <h1 id="next-title">Next case</h1>
      <p>
        You get the most urgent open case in your languages and channels, within your free slots per channel.
        {online ? " You are online." : " Asking for a case puts you online."} <Link to="/presence">Presence and your cases</Link>
      </p>
      <Form method="post">
        <CsrfInput />
        <button type="submit" className="primary" disabled={busy}>
          {busy ? "Finding a case…" : "Give me the next case"}
        </button>
      </Form>
      <div aria-live="polite">
        {message ? (
          <p className="notice" role="status">
            {message}
          </p>
        ) : null}
      </div>
    </section>
  );
}
