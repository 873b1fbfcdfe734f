import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useActionData } from "@remix-run/react";
import { invitationPath } from "~/auth/invitation.server";
import { CopyLink } from "~/enrolment/copy-link";
import { formValuesFromPost, serverFieldErrors, VolunteerForm } from "~/enrolment/volunteer-form";
import { volunteerInputFromFormData } from "~/enrolment/volunteer-form-data";
import { enrolmentFieldErrors, volunteerSchema } from "~/enrolment/volunteer-schema";
import { EnrolmentConflictError, enrolVolunteer } from "~/enrolment/volunteers.server";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Enrol a volunteer · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "create", "Volunteer");
  return null;
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "create", "Volunteer");
  const form = await readForm(args.request);
  const parsed = volunteerSchema.safeParse(volunteerInputFromFormData(form));
  const values = formValuesFromPost(form);
  if (!parsed.success) {
    return data({ fieldErrors: serverFieldErrors(enrolmentFieldErrors(parsed.error)), values }, { status: 400 });
  }
  try {
    const enrolled = await enrolVolunteer(parsed.data, user.id);
    return {
      enrolled: {
        volunteerId: enrolled.volunteerId,
        name: parsed.data.name,
        email: parsed.data.email,
        link: new URL(invitationPath(enrolled.token), args.request.url).toString(),
        expiresAt: enrolled.expiresAt.toISOString(),
      },
    };
  } catch (error) {
    if (error instanceof EnrolmentConflictError) {
      return data({ fieldErrors: { [error.field]: error.message }, values }, { status: 409 });
    }
    throw error;
  }
}

export default function EnrolVolunteer() {
  const result = useActionData<typeof action>();
  const enrolled = result && "enrolled" in result ? result.enrolled : null;
  const failed = result && "fieldErrors" in result ? result : null;
  return (
    <section aria-labelledby="enrol-title">
      <p>
        <Link to="/volunteers">← Volunteers</Link>
      </p>
      <h1 id="enrol-title">Enrol a volunteer</h1>
      <p>
        Many people at once? <Link to="/volunteers/import">Enrol many from a file (CSV or Excel)</Link>.
      </p>
      {enrolled ? (
        <Notice block tone="success">
          <p>
            <Link to={`/volunteers/${enrolled.volunteerId}`}>{enrolled.name}</Link> ({enrolled.email}) is enrolled. Send them this
            invitation link; it works once and expires {new Date(enrolled.expiresAt).toUTCString()}:
          </p>
          <CopyLink link={enrolled.link} person={enrolled.name} />
        </Notice>
      ) : null}
      <VolunteerForm
        key={enrolled ? enrolled.volunteerId : "form"}
        intent="enrol"
        submitLabel="Enrol and get invitation link"
        values={failed?.values}
        serverErrors={failed?.fieldErrors}
      />
    </section>
  );
}
