import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { CsrfInput } from "~/auth/csrf-input";
import { fieldErrorsFrom, formValues, readForm } from "~/forms/form-submission.server";
import { FieldErrorSummary } from "~/forms/error-summary";
import { Field, useValidatedForm } from "~/forms/validated-form";
import { requireAbility } from "~/permissions/guard.server";
import { skillChangeReason } from "~/training/skill-change";
import { findSkillHolder, grantSkillTo, isSkillHolderRole, listSkills, revokeSkill, SkillChangeError } from "~/training/skills.server";
import trainingStyles from "~/training/training.css";
import { Notice } from "~/forms/notice";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: trainingStyles }];

export const meta: MetaFunction = () => [{ title: "Skills · Surge" }];

const reason = skillChangeReason;

const grantSchema = z.object({
  userId: z.string().min(1),
  skillId: z.string({ error: "Choose a skill." }).min(1, "Choose a skill."),
  reason,
});

const changeSchema = z.object({
  intent: z.enum(["grant", "revoke"]),
  userId: z.string().min(1),
  skillId: z.string().min(1, "Choose a skill."),
  reason,
});

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "grant", "Skill");
  const email = new URL(args.request.url).searchParams.get("email")?.trim() ?? "";
  const [skills, person] = await Promise.all([listSkills(), email ? findSkillHolder(email) : Promise.resolve(null)]);
  const manageable = person && isSkillHolderRole(person.role);
  return {
    email,
    skills,
    person: person && manageable ? person : null,
    notice: email && !person ? `Nobody has the email address ${email}.` : person && !manageable ? `${person.name} is not a volunteer or agent; their skills are not managed here.` : null,
  };
}

export async function action(args: ActionFunctionArgs) {
  const form = await readForm(args.request);
  const intent = form.get("intent") === "revoke" ? "revoke" : "grant";
  const { user } = requireAbility(args, intent, "Skill");
  const parsed = changeSchema.safeParse(formValues(form));
  if (!parsed.success) {
    const fieldErrors = fieldErrorsFrom(parsed.error);
    // A revoke form is one line in the table: its error is shown above the table.
    if (intent === "revoke") return data({ fieldErrors: { form: `Not revoked: ${Object.values(fieldErrors)[0] ?? "check the form."}` } as Record<string, string>, done: null }, { status: 400 });
    return data({ fieldErrors, done: null }, { status: 400 });
  }
  let name: string;
  try {
    const change = { userId: parsed.data.userId, skillId: parsed.data.skillId, reason: parsed.data.reason, actorId: user.id };
    name = parsed.data.intent === "grant" ? await grantSkillTo(change) : await revokeSkill(change);
  } catch (error) {
    if (error instanceof SkillChangeError) return data({ fieldErrors: { form: error.message } as Record<string, string>, done: null }, { status: error.status });
    throw error;
  }
  return {
    fieldErrors: {} as Record<string, string>,
    done: `${parsed.data.intent === "grant" ? "Granted" : "Revoked"} ${parsed.data.skillId} ${parsed.data.intent === "grant" ? "to" : "from"} ${name}. The change is in the audit log.`,
  };
}

export default function Skills() {
  const { email, skills, person, notice } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const serverErrors: Record<string, string | undefined> = result?.fieldErrors ?? {};
  const { register, formState, onSubmit, fieldError } = useValidatedForm(grantSchema, { serverErrors });
  const held = new Set(person?.skills.map((skill) => skill.skillId) ?? []);
  return (
    <section aria-labelledby="skills-title" className="training-page">
      <p className="training-breadcrumb">
        <Link to="/training/report">Training report</Link>
      </p>
      <h1 id="skills-title">Grant or revoke a skill</h1>
      <p>
        Skills normally come from passing training. Grant one by hand when someone is already qualified (for example a native speaker for a
        language skill), or revoke one when someone should not do that work for now. Each change needs a reason and is written to the audit log.
      </p>
      <Form method="get" className="filters">
        <div className="field">
          <label htmlFor="email">Email of the volunteer or agent</label>
          <input id="email" name="email" type="email" defaultValue={email} autoComplete="off" />
        </div>
        <button type="submit" className="secondary">
          Find
        </button>
      </Form>
      {notice ? (
        <Notice>
          {notice}
        </Notice>
      ) : null}
      {result?.done ? (
        <Notice tone="success">
          {result.done}
        </Notice>
      ) : null}
      {serverErrors.form ? (
        <Notice tone="error">
          {serverErrors.form}
        </Notice>
      ) : null}
      {person ? (
        <>
          <h2>{`Skills of ${person.name}`}</h2>
          {person.skills.length === 0 ? (
            <p>No skills yet.</p>
          ) : (
            <div className="table-scroll">
              <table>
                <caption>{`${person.skills.length} skills held by ${person.name} (${person.email})`}</caption>
                <thead>
                  <tr>
                    <th scope="col">Skill</th>
                    <th scope="col">From</th>
                    <th scope="col">Revoke</th>
                  </tr>
                </thead>
                <tbody>
                  {person.skills.map((skill) => (
                    <tr key={skill.skillId} data-skill={skill.skillId}>
                      <th scope="row">
                        {skill.skill.name}
                        <br />
                        <code>{skill.skillId}</code>
                      </th>
                      <td>
                        {skill.source === "training" ? "Training" : `Granted by ${skill.grantedBy?.name ?? "a planner"}`}
                        {skill.reason ? `: ${skill.reason}` : ""}
                      </td>
                      <td>
                        <Form method="post" className="training-inline-form">
                          <CsrfInput />
                          <input type="hidden" name="intent" value="revoke" />
                          <input type="hidden" name="userId" value={person.id} />
                          <input type="hidden" name="skillId" value={skill.skillId} />
                          <label htmlFor={`revoke-${skill.skillId}`}>{`Reason to revoke ${skill.skill.name}`}</label>
                          <input id={`revoke-${skill.skillId}`} name="reason" required minLength={5} maxLength={500} />
                          <button type="submit" className="secondary">
                            Revoke
                          </button>
                        </Form>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          <h2>Grant a skill</h2>
          <Form method="post" noValidate onSubmit={onSubmit}>
            <CsrfInput />
            <input type="hidden" name="intent" value="grant" />
            <FieldErrorSummary
          errors={{ skillId: fieldError("skillId"), reason: fieldError("reason") }}
          labels={{ skillId: "Skill", reason: "Reason" }}
          submitCount={formState.submitCount}
          serverErrors={serverErrors}
        />
            <input type="hidden" value={person.id} {...register("userId")} />
            <div className="field">
              <label htmlFor="skillId">Skill</label>
              <select id="skillId" {...register("skillId")} defaultValue="" aria-describedby="skillId-error">
                <option value="" disabled>
                  Choose a skill
                </option>
                {skills
                  .filter((skill) => !held.has(skill.id))
                  .map((skill) => (
                    <option key={skill.id} value={skill.id}>
                      {`${skill.name} (${skill.id})`}
                    </option>
                  ))}
              </select>
              <p id="skillId-error" className="field-error" aria-live="polite">
                {fieldError("skillId") ?? ""}
              </p>
            </div>
            <Field
              label="Reason"
              hint="Why this person may do this work without the training."
              registration={register("reason")}
              error={fieldError("reason")}
            />
            <button type="submit" className="primary">
              Grant skill
            </button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
