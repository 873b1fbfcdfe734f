import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Links,
  Meta,
  NavLink,
  Outlet,
  Scripts,
  ScrollRestoration,
  useRouteError,
  useRouteLoaderData,
} from "@remix-run/react";
import { useMemo, type ReactNode } from "react";
import { CsrfInput } from "./auth/csrf-input";
import { useNonce, ZOD_WITHOUT_EVAL } from "./csp-nonce";
import { issueCsrfToken } from "./auth/csrf.server";
import { getUser } from "./auth/session.server";
import { describeThreshold } from "./capacity/alerts";
import { openAlerts } from "./capacity/capacity-alerts.server";
import { channelName, languageName } from "./capacity/names";
import { navigationFor } from "./navigation";
import { defineAbilityFor, packAbility, unpackAbility } from "./permissions/ability";
import { AbilityProvider } from "./permissions/can";
import stylesheet from "./styles.css";
import { ROLE_LABELS } from "./users/user-forms";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: stylesheet },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export const meta: MetaFunction = () => [{ title: "Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const user = getUser(args);
  const { token, setCookie } = await issueCsrfToken(args.request, args.context.auth?.sessionId ?? null);
  const ability = defineAbilityFor(user);
  // The capacity banner: alerts going on, for those who watch capacity.
  const alerts = ability.can("read", "Capacity") ? await openAlerts() : [];
  return data(
    {
      user: user && { id: user.id, name: user.name, email: user.email, role: user.role, status: user.status },
      rules: packAbility(ability),
      csrfToken: token,
      capacityAlerts: alerts.map((a) => ({ id: a.id, text: describeThreshold({ ...a, value: a.limit }, { channel: channelName, language: languageName }) })),
    },
    { headers: setCookie ? { "Set-Cookie": setCookie } : undefined },
  );
}

type RootData = Awaited<ReturnType<typeof loader>>["data"];

function Header({ root }: { root: RootData | undefined }) {
  const ability = useMemo(() => unpackAbility(root?.rules ?? []), [root?.rules]);
  const user = root?.user;
  return (
    <header className="site-header">
      <a className="skip-link" href="#main">
        Skip to main content
      </a>
      <div className="brand">
        <a href="/">Surge</a>
      </div>
      {user ? (
        <>
          <nav aria-label="Main">
            <ul>
              {navigationFor(ability).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end={item.to === "/"}>
                    {item.label}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
          <div className="who">
            <span>
              Signed in as <strong>{user.name}</strong>
              <span className="role-badge">{ROLE_LABELS[user.role]}</span>
            </span>
            <Form method="post" action="/logout">
              <CsrfInput />
              <button type="submit" className="link-button">
                Sign out
              </button>
            </Form>
          </div>
        </>
      ) : null}
    </header>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  // The loader's data as it returns it: the packed rules are plain JSON arrays,
  // and Remix's serialized type of Prisma's deep where-types is too deep for tsc.
  const root = useRouteLoaderData("root") as RootData | undefined;
  const ability = useMemo(() => unpackAbility(root?.rules ?? []), [root?.rules]);
  const nonce = useNonce();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
        <script nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: ZOD_WITHOUT_EVAL }} />
      </head>
      <body>
        <AbilityProvider value={ability}>
          <Header root={root} />
          <main id="main" tabIndex={-1}>
            {root?.capacityAlerts?.length ? (
              <div className="notice capacity-banner" role="status">
                <span aria-hidden="true">⚠ </span>
                <strong>{root.capacityAlerts.length === 1 ? "Capacity alert" : `${root.capacityAlerts.length} capacity alerts`}</strong>
                {`: ${root.capacityAlerts.map((a) => a.text).join("; ")}. `}
                <a href="/capacity/alerts">See the alerts</a>
              </div>
            ) : null}
            {children}
          </main>
        </AbilityProvider>
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  return <Outlet />;
}

export function ErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const title =
      error.status === 403
        ? "You do not have access to this page"
        : error.status === 404
          ? "Page not found"
          : `Something went wrong (${error.status})`;
    return (
      <section aria-labelledby="error-title">
        <h1 id="error-title">{title}</h1>
        <p>{typeof error.data === "string" && error.data ? error.data : error.statusText}</p>
        <p>
          <a href="/">Go to the home page</a>
        </p>
      </section>
    );
  }
  return (
    <section aria-labelledby="error-title">
      <h1 id="error-title">Something went wrong</h1>
      <p>The error has been logged. Try again, or go back to the home page.</p>
      <p>
        <a href="/">Go to the home page</a>
      </p>
    </section>
  );
}
