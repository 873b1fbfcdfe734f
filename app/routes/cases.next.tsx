// "Next case": POST gives the agent the most urgent open case they may and
// can take and opens it; otherwise a clear "nothing for you" message. A
// volunteer who is not certified yet is refused with the modules still to pass.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { requireUser } from "~/auth/session.server";
import { takingRefusal } from "~/cases/routing";
import { nextCaseFor, setPresence } from "~/cases/routing.server";
import { readForm } from "~/forms/form-submission.server";
import { abilityOf, forbidden } from "~/permissions/guard.server";
import { requiredModulesLeft, type ModuleLink } from "~/training/learner.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Next case · Surge" }];

/** The take ability, or (for a volunteer still in training) the modules left; anyone else gets a 403. */
async function requireTakeOrTraining(args: LoaderFunctionArgs | ActionFunctionArgs) {
  const user = requireUser(args);
  if (abilityOf(user).can("take", "Case")) return { user, modulesLeft: null };
  const refusal = takingRefusal(user);
  if (refusal?.reason !== "not_certified") throw forbidden();
  return { user, refusal, modulesLeft: await requiredModulesLeft(user) };
}

export async function loader(args: LoaderFunctionArgs) {
  const { user, modulesLeft } = await requireTakeOrTraining(args);
  return { online: modulesLeft ? false : (user.presence?.online ?? false), modulesLeft };
}

export async function action(args: ActionFunctionArgs) {
  const { user, modulesLeft, refusal } = await requireTakeOrTraining(args);
  await readForm(args.request);
  if (modulesLeft) return data({ reason: refusal.reason, message: refusal.message, modulesLeft }, { status: 403 });
  // Asking for work means being available for it (written only when that changes something).
  await setPresence(user.id, true, { known: user.presence });
  // The request's own facts: a skill or status changed a moment ago counts at once.
  const result = await nextCaseFor(user.id, { agent: user });
  if (result.ok) return redirect(`/cases/${result.caseId}`);
  const left = result.reason === "not_certified" ? await requiredModulesLeft(user) : null;
  return data({ reason: result.reason, message: result.message, modulesLeft: left }, { status: result.reason === "not_allowed" || left ? 403 : 200 });
}

function ModulesLeft({ modules }: { modules: ModuleLink[] }) {
  return (
    <Notice block>
      <p>You take cases once you have passed every required training module. Still to pass:</p>
      <ol aria-label="Modules still to pass">
        {modules.map((module) => (
          <li key={module.id}>
            <Link to={module.href}>{module.title}</Link>
            {module.state === "locked" ? " (opens after the modules before it)" : module.state === "in_progress" ? " (started)" : ""}
          </li>
        ))}
      </ol>
    </Notice>
  );
}

export default function NextCase() {
  const { online, modulesLeft } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const busy = useNavigation().state === "submitting";
  // Set when the console sends the agent here after resolving a case.
  const [params] = useSearchParams();
  const message = result?.message ?? params.get("message")?.slice(0, 300);
  const left = result?.modulesLeft ?? modulesLeft;
  return (
    <section aria-labelledby="next-title">
      <h1 id="next-title">Next case</h1>
      {left ? (
        <ModulesLeft modules={left} />
      ) : (
        <>
          <p>
            You get the most urgent open case in your languages, channels and topics, within your free slots per channel.
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
              <Notice>
                {message}
              </Notice>
            ) : null}
          </div>
        </>
      )}
    </section>
  );
}
