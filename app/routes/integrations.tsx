// Admins create intake integrations (one per channel connector) and revoke
// them. The token is shown once; only its SHA-256 hash is stored. Admins and
// supervisors set where each integration's customer messages are delivered
// (webhook URL) and rotate the secret that signs them, also shown once.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/auth/csrf-input";
import { ErrorSummary } from "~/forms/error-summary";
import { createIntegration, listIntegrations, revokeIntegration } from "~/cases/intake.server";
import { rotateWebhookSecret, setWebhookUrl, webhookOverview, WebhookSettingsError } from "~/delivery/webhooks.server";
import { webhookUrlSchema } from "~/delivery/webhook-url";
import { formValues, readForm } from "~/forms/form-submission.server";
import { Can } from "~/permissions/can";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Integrations · Surge" }];

const nameSchema = z
  .string()
  .trim()
  .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, { error: 'A name is a lowercase slug such as "whatsapp-connector"' })
  .max(60);

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Integration");
  const [integrations, webhooks] = await Promise.all([listIntegrations(), webhookOverview()]);
  return {
    integrations: integrations.map((i) => ({
      ...i,
      webhook: webhooks.get(i.id) ?? { webhookUrl: null, hasSecret: false, queued: 0, sent: 0, failed: 0 },
    })),
  };
}

async function webhookAction(args: ActionFunctionArgs, values: Record<string, unknown>) {
  const { user } = requireAbility(args, "update", "Integration");
  const id = String(values.id ?? "");
  try {
    if (values.intent === "rotate-secret") {
      const { secret } = await rotateWebhookSecret(id, user.id);
      return { secret: { id, secret } };
    }
    const raw = String(values.webhookUrl ?? "").trim();
    if (raw === "") {
      await setWebhookUrl(id, null, user.id);
      return { message: "Webhook removed: messages for this integration wait until a webhook is set." };
    }
    const url = webhookUrlSchema.safeParse(raw);
    if (!url.success) return data({ webhookError: { id, message: url.error.issues[0]!.message } }, { status: 400 });
    const { secret } = await setWebhookUrl(id, url.data, user.id);
    return secret ? { secret: { id, secret } } : { message: "Webhook saved." };
  } catch (error) {
    if (error instanceof WebhookSettingsError) return data({ webhookError: { id, message: error.message } }, { status: 409 });
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const values = formValues(await readForm(args.request));
  if (values.intent === "webhook" || values.intent === "rotate-secret") return webhookAction(args, values);
  const { user } = requireAbility(args, "create", "Integration");
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
  const shownSecret = result && "secret" in result ? result.secret : null;
  const webhookError = result && "webhookError" in result ? result.webhookError : null;
  return (
    <section aria-labelledby="integrations-title">
      <h1 id="integrations-title">Integrations</h1>
      <p>
        Connectors post cases to <code>POST /api/cases</code> with <code>Authorization: Bearer &lt;token&gt;</code>. Messages to customers
        are posted to each integration&apos;s delivery webhook, signed with its secret (<code>X-Surge-Signature</code>).
      </p>
      <div aria-live="polite">
        {result && "created" in result && result.created ? (
          <Notice block tone="success">
            <p>Token for {result.created.name}. Copy it now; it is not shown again:</p>
            <code className="copy-link">{result.created.token}</code>
          </Notice>
        ) : null}
        {shownSecret ? (
          <Notice block tone="success">
            <p>
              Webhook signing secret for {integrations.find((i) => i.id === shownSecret.id)?.name}. Copy it into the connector now; it is not
              shown again:
            </p>
            <code className="copy-link">{shownSecret.secret}</code>
          </Notice>
        ) : null}
        {result && "message" in result ? <p className="notice">{result.message}</p> : null}
      </div>
      <Can I="create" a="Integration">
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
      </Can>
      <div className="table-scroll">
        <table>
          <caption>{integrations.length} integrations</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Deliveries</th>
              <th scope="col">State</th>
              <th scope="col">Delivery webhook</th>
              <th scope="col">Outbox</th>
              <Can I="create" a="Integration">
                <th scope="col">Revoke</th>
              </Can>
            </tr>
          </thead>
          <tbody>
            {integrations.map((i) => (
              <tr key={i.id}>
                <th scope="row">{i.name}</th>
                <td>{i._count.deliveries}</td>
                <td>{i.revokedAt ? "revoked" : "active"}</td>
                <td>
                  {i.revokedAt ? (
                    (i.webhook.webhookUrl ?? "none")
                  ) : (
                    <>
                      <Form method="post">
                        <CsrfInput />
                        <input type="hidden" name="intent" value="webhook" />
                        <input type="hidden" name="id" value={i.id} />
                        <label htmlFor={`webhook-${i.id}`} className="visually-hidden">
                          Delivery webhook URL for {i.name}
                        </label>
                        <input
                          id={`webhook-${i.id}`}
                          name="webhookUrl"
                          type="url"
                          defaultValue={i.webhook.webhookUrl ?? ""}
                          placeholder="https://connector.example/surge"
                          aria-describedby={`webhook-${i.id}-error`}
                        />
                        <button type="submit" className="secondary">
                          Save<span className="visually-hidden"> webhook for {i.name}</span>
                        </button>
                        <p id={`webhook-${i.id}-error`} className="field-error" role="alert">
                          {webhookError?.id === i.id ? webhookError.message : ""}
                        </p>
                      </Form>
                      {i.webhook.hasSecret ? (
                        <Form method="post">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="rotate-secret" />
                          <input type="hidden" name="id" value={i.id} />
                          <button type="submit" className="secondary">
                            Rotate signing secret<span className="visually-hidden"> for {i.name}</span>
                          </button>
                        </Form>
                      ) : null}
                    </>
                  )}
                </td>
                <td>
                  {i.webhook.queued} queued, {i.webhook.sent} sent, {i.webhook.failed} failed
                  {!i.webhook.webhookUrl && i.webhook.queued > 0 ? " (waiting for a webhook)" : ""}
                </td>
                <Can I="create" a="Integration">
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
                </Can>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
