// Settings: the set-up pages a supervisor or admin may use, in one list, so
// the main navigation stays short.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { requireUser } from "~/auth/session.server";
import { settingsFor } from "~/navigation";
import { abilityOf, forbidden } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Settings · Surge" }];

export function loader(args: LoaderFunctionArgs) {
  const items = settingsFor(abilityOf(requireUser(args)));
  if (items.length === 0) throw forbidden();
  return { items: items.map(({ to, label }) => ({ to, label })) };
}

export default function Settings() {
  const { items } = useLoaderData<typeof loader>();
  return (
    <section aria-labelledby="settings-title">
      <h1 id="settings-title">Settings</h1>
      <ul>
        {items.map((item) => (
          <li key={item.to}>
            <Link to={item.to}>{item.label}</Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
