// Admins edit the contact channels: name, routed or not, concurrent cases per agent.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { ChannelNotFoundError, channelEditSchema, listChannels, updateChannel } from "~/channels/channels.server";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Channels · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "update", "Channel");
  return { channels: await listChannels() };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "Channel");
  const values = formValues(await readForm(args.request));
  const parsed = channelEditSchema.safeParse({ ...values, active: values.active === "on" });
  if (!parsed.success) return data({ channelId: String(values.id ?? ""), error: parsed.error.issues[0]!.message }, { status: 400 });
  try {
    await updateChannel(parsed.data, user.id);
  } catch (error) {
    if (error instanceof ChannelNotFoundError) return data({ channelId: parsed.data.id, error: error.message }, { status: 404 });
    throw error;
  }
  return { channelId: parsed.data.id, message: `Saved ${parsed.data.name}.` };
}

export default function Channels() {
  const { channels } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="channels-title">
      <h1 id="channels-title">Channels</h1>
      <p>An inactive channel is not routed. Concurrent cases: how many cases of the channel one agent holds at once.</p>
      <div aria-live="polite">
        {result && "message" in result ? (
          <Notice tone="success">
            {result.message}
          </Notice>
        ) : null}
        {result && "error" in result ? (
          <Notice tone="error">
            {result.error}
          </Notice>
        ) : null}
      </div>
      <div className="table-scroll">
        <table>
          <caption>{channels.length} channels</caption>
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">Name, active, concurrent cases per agent</th>
            </tr>
          </thead>
          <tbody>
            {channels.map((channel) => (
              <tr key={channel.id}>
                <th scope="row">
                  {channel.id} <span className="muted">({channel.kind})</span>
                </th>
                <td>
                  <Form method="post" className="inline-form" aria-label={`Channel ${channel.id}`}>
                    <CsrfInput />
                    <input type="hidden" name="id" value={channel.id} />
                    <label>
                      Name <input name="name" defaultValue={channel.name} required maxLength={60} />
                    </label>{" "}
                    <label>
                      <input type="checkbox" name="active" defaultChecked={channel.active} /> Active
                    </label>{" "}
                    <label>
                      Concurrent cases{" "}
                      <input name="maxConcurrentPerAgent" type="number" min={1} max={50} defaultValue={channel.maxConcurrentPerAgent} required />
                    </label>{" "}
                    <button type="submit" className="secondary">
                      Save<span className="visually-hidden"> {channel.id}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
