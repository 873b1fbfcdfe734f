// Admins create intake integrations (one per channel connector) and revoke
// them. The token is shown once; only its SHA-256 hash is stored.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { createIntegration, listIntegrations, revokeIntegration } from "~/cases/intake.server";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";

export const meta: MetaFunction = () => [{ title: "Integrations · Surge" }];

const nameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'A name is a lowercase slug such as "whatsapp-connector"' })
  .max(60);

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Integration");
  return { integrations: await listIntegrations() };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "Integration");
  const values = formValues(await readForm(args.request));
  if (values.intent === "revoke") {
    if (!(await revokeIntegration(String(values.id ?? ""), user.id)))
      throw new Response("There is no such integration.", { status: 404, statusText: "Not Found" });
    return { message: "Revoked: its token no longer works." };
  }
  const name = nameSchema.safeParse(values.name);
  if (!name.success) return data({ error: name.error.issues[0]!.message }, { status: 400 });
  try {
    const created = await createIntegration(name.data, user.id);
    return { created };
  } catch {
    return data({ error: "An integration with this name exists." }, { status: 409 });
  }
}

export default function Integrations() {
  const { integrations } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Intake integrations</h1>
      <p>
        Connectors post cases to <code>POST /api/cases</code> with <code>Authorization: Bearer &lt;token&gt;</code>.
      </p>
      <div aria-live="polite">
        {result && "created" in result && result.created ? (
          <div className="notice success" role="status">
            <p>Token for {result.created.name}. Copy it now; it is not shown again:</p>
            <code className="copy-link">{result.created.token}</code>
          </div>
        ) : null}
        {result && "message" in result ? <p className="notice">{result.message}</p> : null}
      </div>
      <Form method="post" noValidate data-main-form>
        <CsrfInput />
        <input type="hidden" name="intent" value="create" />
        {result && "error" in result ? (
          <ErrorSummary focusKey={result}>
            <p>Name: {result.error}</p>
          </ErrorSummary>
        ) : null}
        <div className="field">
          <label htmlFor="name">Name</label>
          <input id="name" name="name" required aria-invalid={result && "error" in result ? true : undefined} aria-describedby="name-error" />
          <p id="name-error" className="field-error" aria-live="polite">
            {result && "error" in result ? result.error : ""}
          </p>
        </div>
        <button type="submit" className="primary">
          Create integration
        </button>
      </Form>
      <div className="table-scroll">
        <table>
          <caption>{integrations.length} integrations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Deliveries</th>
              <th scope="col">State</th>
              <th scope="col">Revoke</th>
            </tr>
          </thead>
          <tbody>
            {integrations.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.name}</th>
                <td>{i._count.deliveries}</td>
                <td>{i.revokedAt ? "revoked" : "active"}</td>
                <td>
                  {i.revokedAt ? null : (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="revoke" />
                      <input type="hidden" name="id" value={i.id} />
                      <button type="submit" className="secondary">
                        Revoke<span className="visually-hidden"> {i.name}</span>
                      </button>
                    </Form>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
