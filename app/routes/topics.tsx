// Supervisors decide which skill each case topic needs: a volunteer is given
// a case only when they hold the skill of every topic it carries.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { formValues, readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { listTopics, setTopicSkill, TopicChangeError } from "~/topics/topics.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Topics · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability } = requireAbility(args, "read", "Topic");
  return { ...(await listTopics()), canEdit: ability.can("update", "Topic") };
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "update", "Topic");
  const values = formValues(await readForm(args.request));
  const topicId = String(values.topic ?? "");
  const skillId = typeof values.skill === "string" && values.skill !== "" ? values.skill : null;
  try {
    await setTopicSkill(topicId, skillId, user.id);
  } catch (error) {
    if (error instanceof TopicChangeError) return data({ error: error.message }, { status: 400 });
    throw error;
  }
  return { message: skillId ? `Topic ${topicId} now needs ${skillId}.` : `Topic ${topicId} needs no skill now.` };
}

export default function Topics() {
  const { topics, skills, canEdit } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  return (
    <section aria-labelledby="topics-title">
      <h1 id="topics-title">Topics and the skills they need</h1>
      <p>Volunteers get a case only when they hold the skill of every topic on it; training modules grant topic skills.</p>
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
          <caption>{topics.length} topics</caption>
          <thead>
            <tr>
              <th scope="col">Topic</th>
              <th scope="col">Skill needed</th>
            </tr>
          </thead>
          <tbody>
            {topics.map((topic) => (
              <tr key={topic.id}>
                <th scope="row">
                  {topic.name} <code>{topic.id}</code>
                </th>
                <td>
                  {canEdit ? (
                    <Form method="post" className="inline-form">
                      <CsrfInput />
                      <input type="hidden" name="topic" value={topic.id} />
                      <label>
                        <span className="visually-hidden">Skill for {topic.name}</span>
                        <select name="skill" defaultValue={topic.skillId ?? ""}>
                          <option value="">none</option>
                          {skills.map((skill) => (
                            <option key={skill.id} value={skill.id}>
                              {skill.name} ({skill.id})
                            </option>
                          ))}
                        </select>
                      </label>{" "}
                      <button type="submit" className="secondary">
                        Save<span className="visually-hidden"> {topic.name}</span>
                      </button>
                    </Form>
                  ) : (
                    (topic.skillId ?? "none")
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
