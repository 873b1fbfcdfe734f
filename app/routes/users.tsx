import type { Role } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { invitationPath, issueInvitation, issuePasswordReset, LinkRefusedError, passwordResetPath } from "~/auth/invitation.server";
import { readForm, fieldErrorsFrom, formValues } from "~/forms/form-submission.server";
import { CopyLink } from "~/enrolment/copy-link";
import { actionErrors } from "~/forms/action-errors";
import { FieldErrorSummary } from "~/forms/error-summary";
import { Field, useValidatedForm } from "~/forms/validated-form";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import type { AppAbility } from "~/permissions/ability";
import { useAppAbility } from "~/permissions/can";
import { asSubject, forbidden, requireAbility, requireRow } from "~/permissions/guard.server";
import { createUserSchema, personSchema, ROLE_LABELS, ROLES } from "~/users/user-forms";
import { createInvitedUser, EmailTakenError, findUser, listUsers } from "~/users/users.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "People · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability } = requireAbility(args, "read", "User");
  const params = new URL(args.request.url).searchParams;
  const page = pageFrom(params);
  const role = ROLES.find((r) => r === params.get("role"));
  const { users, total } = await listUsers(ability, { page, pageSize: DEFAULT_PAGE_SIZE, role });
  return { users, total, page, pageSize: DEFAULT_PAGE_SIZE };
}

function linkFor(request: Request, path: string): string {
  return new URL(path, request.url).toString();
}

/** The person the form names, when the ability allows `action` on them (404/403 otherwise). */
async function personFrom(form: FormData, ability: AppAbility, action: "resetPassword" | "invite", forbiddenMessage: string) {
  const parsed = personSchema.safeParse(formValues(form));
  if (!parsed.success) throw new Response("Choose a person.", { status: 400 });
  return requireRow(ability, "User", await findUser(parsed.data.userId), { action, notFoundMessage: "There is no person with this id.", forbiddenMessage });
}

/** A one-time link for a person, as the page shows it; a refused link is a 409 that names the person. */
async function issueLink(
  request: Request,
  person: { name: string; email: string },
  issue: () => Promise<{ token: string; expiresAt: Date }>,
  pathFor: (token: string) => string,
) {
  try {
    const issued = await issue();
    return { ok: true as const, link: { name: person.name, email: person.email, link: linkFor(request, pathFor(issued.token)), expiresAt: issued.expiresAt } };
  } catch (error) {
    if (error instanceof LinkRefusedError) return { ok: false as const, response: data({ formError: `${person.name}: ${error.message}` }, { status: 409 }) };
    throw error;
  }
}

export async function action(args: ActionFunctionArgs) {
  const form = await readForm(args.request);
  const intent = form.get("intent");
  if (intent === "reset") {
    const { user, ability } = requireAbility(args, "resetPassword", "User");
    const person = await personFrom(form, ability, "resetPassword", "You may not reset this person's password.");
    const issued = await issueLink(args.request, person, () => issuePasswordReset(person.id, user.id), passwordResetPath);
    return issued.ok ? { reset: issued.link } : issued.response;
  }
  const { user, ability } = requireAbility(args, "invite", "User");
  if (intent === "reissue") {
    const person = await personFrom(form, ability, "invite", "You may not invite this person.");
    const issued = await issueLink(args.request, person, () => issueInvitation(person.id, user.id), invitationPath);
    return issued.ok ? { invited: issued.link } : issued.response;
  }
  if (intent !== "create") return data({ formError: "Unknown action." }, { status: 400 });
  const parsed = createUserSchema.safeParse(formValues(form));
  if (!parsed.success) return data({ fieldErrors: fieldErrorsFrom(parsed.error) }, { status: 400 });
  if (!ability.can("create", asSubject("User", { role: parsed.data.role }))) {
    throw forbidden(`You may not create ${ROLE_LABELS[parsed.data.role].toLowerCase()} accounts.`);
  }
  try {
    const created = await createInvitedUser(parsed.data, user.id);
    return {
      invited: { name: parsed.data.name, email: parsed.data.email, link: linkFor(args.request, invitationPath(created.token)), expiresAt: created.expiresAt },
    };
  } catch (error) {
    if (error instanceof EmailTakenError) return data({ fieldErrors: { email: error.message } }, { status: 409 });
    throw error;
  }
}

export default function People() {
  const { users, total, page, pageSize } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const ability = useAppAbility();
  const serverErrors = actionErrors(actionData).fieldErrors;
  const { register, formState, onSubmit, fieldError } = useValidatedForm(createUserSchema, { serverErrors });
  const creatableRoles = ROLES.filter((role) => ability.can("create", asClientSubject(role)));
  return (
    <section aria-labelledby="people-title">
      <h1 id="people-title">People</h1>
      {actionData && "formError" in actionData ? (
        <Notice tone="error">
          {actionData.formError}
        </Notice>
      ) : null}
      {actionData && "invited" in actionData && actionData.invited ? (
        <Notice block tone="success">
          <p>
            Invitation for <strong>{actionData.invited.name}</strong> ({actionData.invited.email}). Send them this link; it
            works once and expires {new Date(actionData.invited.expiresAt).toUTCString()}:
          </p>
          <code className="copy-link">{actionData.invited.link}</code>
        </Notice>
      ) : null}
      {actionData && "reset" in actionData && actionData.reset ? (
        <Notice block tone="success" id="reset-link">
          <p>
            Password reset for <strong>{actionData.reset.name}</strong> ({actionData.reset.email}). Give them this link
            yourself, by a channel you trust; it works once and expires {new Date(actionData.reset.expiresAt).toUTCString()}.
            Their current password keeps working until they choose a new one; then every device where they are signed in
            is signed out.
          </p>
          <CopyLink link={actionData.reset.link} person={`${actionData.reset.name} (password reset)`} />
        </Notice>
      ) : null}
      {creatableRoles.length > 0 ? (
        <>
          <h2>Add a person</h2>
          <Form method="post" noValidate onSubmit={onSubmit}>
            <CsrfInput />
            <input type="hidden" name="intent" value="create" />
            <FieldErrorSummary
          errors={{ name: fieldError("name"), email: fieldError("email"), role: fieldError("role") }}
          labels={{ name: "Full name", email: "Work email", role: "Role" }}
          submitCount={formState.submitCount}
          serverErrors={serverErrors}
        />
            <Field label="Full name" autoComplete="off" registration={register("name")} error={fieldError("name")} />
            <Field label="Work email" type="email" autoComplete="off" registration={register("email")} error={fieldError("email")} />
            <div className="field">
              <label htmlFor="role">Role</label>
              <select id="role" {...register("role")} defaultValue="volunteer" aria-describedby="role-error">
                {creatableRoles.map((role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]}
                  </option>
                ))}
              </select>
              <p id="role-error" className="field-error" aria-live="polite">
                {fieldError("role") ?? ""}
              </p>
            </div>
            <button type="submit" className="primary">
              Create and get invitation link
            </button>
          </Form>
        </>
      ) : null}
      <h2>Everyone</h2>
      <div className="table-scroll">
        <table>
          <caption>{total} accounts</caption>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Email</th>
              <th scope="col">Role</th>
              <th scope="col">Signed up</th>
              <th scope="col">Sign-in link</th>
            </tr>
          </thead>
          <tbody>
            {users.map((person) => (
              <tr key={person.id}>
                <th scope="row">{person.name}</th>
                <td>{person.email}</td>
                <td>{ROLE_LABELS[person.role]}</td>
                <td>{person.hasSignedUp ? "Yes" : "Not yet"}</td>
                <td>
                  {!person.hasSignedUp && ability.can("invite", asClientSubject(person.role)) ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="reissue" />
                      <input type="hidden" name="userId" value={person.id} />
                      <button type="submit" className="secondary">
                        New link<span className="visually-hidden"> for {person.name}</span>
                      </button>
                    </Form>
                  ) : null}
                  {person.hasSignedUp && ability.can("resetPassword", asClientSubject(person.role)) ? (
                    <Form method="post">
                      <CsrfInput />
                      <input type="hidden" name="intent" value="reset" />
                      <input type="hidden" name="userId" value={person.id} />
                      <button type="submit" className="secondary" aria-label={`Reset the password of ${person.name}`}>
                        Reset password
                      </button>
                    </Form>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <Pagination page={page} total={total} pageSize={pageSize} label="People" />
    </section>
  );
}

function asClientSubject(role: Role) {
  // Same shape the server checks: a User row with this role.
  return { __caslSubjectType__: "User", role } as never;
}
