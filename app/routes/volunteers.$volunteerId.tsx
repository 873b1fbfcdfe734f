import type { VolunteerStatus } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { invitationPath } from "~/auth/invitation.server";
import { reinviteVolunteer } from "~/enrolment/invitation-links.server";
import { CopyLink } from "~/enrolment/copy-link";
import { SETTABLE_STATUSES } from "~/enrolment/roster-query";
import { formValuesFromPost, serverFieldErrors, VolunteerForm, type VolunteerFormValues } from "~/enrolment/volunteer-form";
import { volunteerInputFromFormData } from "~/enrolment/volunteer-form-data";
import { enrolmentOf } from "~/enrolment/volunteer-records.server";
import { enrolmentFieldErrors, ENROLMENT_FIELD_LABELS, ORIGIN_LABELS, volunteerSchema } from "~/enrolment/volunteer-schema";
import { EnrolmentConflictError, editVolunteer, findVolunteer, releaseVolunteers, routingSkillsOf, setVolunteerStatus, volunteerProgress } from "~/enrolment/volunteers.server";
import { readForm } from "~/forms/form-submission.server";
import { useAppAbility } from "~/permissions/can";
import { forbidden, requireAbility } from "~/permissions/guard.server";
import { Notice } from "~/forms/notice";

export const meta: MetaFunction<typeof loader> = ({ data: loaded }) => [{ title: `${loaded?.volunteer.name ?? "Volunteer"} · Surge` }];

async function load(volunteerId: string) {
  const volunteer = await findVolunteer(volunteerId);
  if (!volunteer) throw new Response("There is no volunteer with this id.", { status: 404 });
  return volunteer;
}

export async function loader(args: LoaderFunctionArgs) {
  requireAbility(args, "read", "Volunteer");
  const volunteer = await load(args.params.volunteerId ?? "");
  const [{ signedUp, passedModules, openCases, invitation }, routing] = await Promise.all([
    volunteerProgress(volunteer.userId),
    routingSkillsOf(volunteer.userId, volunteer.status),
  ]);
  const enrolment = enrolmentOf(volunteer);
  const values: VolunteerFormValues = { ...enrolment, languages: enrolment.languages, channels: enrolment.channels };
  return {
    volunteer: {
      id: volunteer.id,
      name: volunteer.user.name,
      email: volunteer.user.email,
      accountStatus: volunteer.user.status,
      status: volunteer.status,
      releasedAt: volunteer.releasedAt?.toISOString() ?? null,
      createdAt: volunteer.createdAt.toISOString(),
      enrolment,
    },
    values,
    signedUp,
    passedModules,
    openCases,
    routing,
    invitation: invitation && { expiresAt: invitation.expiresAt.toISOString(), state: invitation.state },
  };
}

export async function action(args: ActionFunctionArgs) {
  const volunteerId = args.params.volunteerId ?? "";
  const form = await readForm(args.request);
  const intent = form.get("intent");
  if (intent === "reinvite") {
    const { user } = requireAbility(args, "invite", "Volunteer");
    const invitation = await reinviteVolunteer(volunteerId, user.id);
    if (!invitation.ok) {
      const error =
        invitation.refusal === "signed_up" ? `${invitation.name} has already signed up; they sign in with their password.` : "A released volunteer cannot be invited.";
      return data({ error }, { status: 409 });
    }
    return { link: new URL(invitationPath(invitation.token), args.request.url).toString(), expiresAt: invitation.expiresAt.toISOString() };
  }
  if (intent === "status") {
    const { user } = requireAbility(args, "update", "Volunteer");
    const status = form.get("status");
    if (typeof status !== "string" || !(SETTABLE_STATUSES as string[]).includes(status)) {
      return data({ error: `Choose a status: ${SETTABLE_STATUSES.join(", ")}.` }, { status: 400 });
    }
    const outcome = await setVolunteerStatus([volunteerId], status as VolunteerStatus, user.id);
    return outcome.changed ? { message: `Status set to ${status}.` } : data({ error: "The status was not changed (released, or already that status)." }, { status: 409 });
  }
  if (intent === "release") {
    const { user, ability } = requireAbility(args, "update", "Volunteer");
    if (!ability.can("release", "Volunteer")) throw forbidden("You may not release volunteers.");
    if (form.get("confirmRelease") !== "yes") {
      return data({ error: "Tick the box to confirm the release." }, { status: 400 });
    }
    const outcome = await releaseVolunteers([volunteerId], user.id);
    return { message: outcome.changed ? `Released. ${outcome.reopenedCases} open cases went back to the queue.` : "Already released." };
  }
  if (intent === "update") {
    const { user } = requireAbility(args, "update", "Volunteer");
    const parsed = volunteerSchema.safeParse(volunteerInputFromFormData(form));
    if (!parsed.success) {
      return data({ fieldErrors: serverFieldErrors(enrolmentFieldErrors(parsed.error)), values: formValuesFromPost(form) }, { status: 400 });
    }
    try {
      const changes = await editVolunteer(volunteerId, parsed.data, user.id);
      return { message: changes.length ? `Saved: ${changes.map((field) => ENROLMENT_FIELD_LABELS[field].toLowerCase()).join(", ")}.` : "Nothing changed." };
    } catch (error) {
      if (error instanceof EnrolmentConflictError) {
        return data({ fieldErrors: { [error.field]: error.message }, values: formValuesFromPost(form) }, { status: 409 });
      }
      throw error;
    }
  }
  return data({ error: "Unknown action." }, { status: 400 });
}

export default function VolunteerPage() {
  const { volunteer, values, signedUp, passedModules, openCases, invitation, routing } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const ability = useAppAbility();
  const released = volunteer.status === "released";
  const invited = result && "link" in result ? (result as { link: string; expiresAt: string }) : null;
  const { enrolment } = volunteer;
  return (
    <section aria-labelledby="volunteer-title">
      <p>
        <Link to="/volunteers">← Volunteers</Link>
      </p>
      <h1 id="volunteer-title">{volunteer.name}</h1>
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
      {invited ? (
        <Notice block tone="success">
          <p>New invitation link for {volunteer.name}; it works once and expires {new Date(invited.expiresAt).toUTCString()}. Earlier links no longer work.</p>
          <CopyLink link={invited.link} person={volunteer.name} />
        </Notice>
      ) : null}
      <dl className="cards">
        <div className="card">
          <dt>Status</dt>
          <dd>
            {volunteer.status}
            {released && volunteer.releasedAt ? ` on ${volunteer.releasedAt.slice(0, 10)} (cannot sign in)` : ""}
          </dd>
        </div>
        <div className="card">
          <dt>Invitation</dt>
          <dd>{signedUp ? "Signed up" : invitation ? `${invitation.state}, expires ${invitation.expiresAt.slice(0, 16).replace("T", " ")} UTC` : "none"}</dd>
        </div>
        <div className="card">
          <dt>Training modules passed</dt>
          <dd>{passedModules}</dd>
        </div>
        <div className="card">
          <dt>Open cases held</dt>
          <dd>{openCases}</dd>
        </div>
      </dl>
      <dl>
        <dt>Email</dt>
        <dd>{volunteer.email}</dd>
        <dt>Employee number</dt>
        <dd>{enrolment.employeeNumber}</dd>
        <dt>Origin</dt>
        <dd>{ORIGIN_LABELS[enrolment.origin]}</dd>
        <dt>Home base</dt>
        <dd>{enrolment.homeBase ?? "—"}</dd>
        <dt>Languages</dt>
        <dd>{enrolment.languages.map((language) => `${language.code} (${language.proficiency})`).join(", ")}</dd>
        <dt>Channels</dt>
        <dd>{enrolment.channels.join(", ")}</dd>
        <dt>{routing.pending ? "Routing skills (pending until certified)" : "Routing skills"}</dt>
        <dd data-testid="routing-skills">
          {routing.skills.length
            ? routing.skills.map((skill) => `${skill.skillId}${skill.proficiency ? ` ${skill.proficiency}` : ""} (${skill.source})`).join(", ")
            : "none"}
        </dd>
        <dt>Time zone</dt>
        <dd>{enrolment.timeZone}</dd>
        <dt>Availability</dt>
        <dd>{enrolment.availability ?? "—"}</dd>
        <dt>Dates</dt>
        <dd>
          {enrolment.startDate ?? "?"} to {enrolment.endDate ?? "?"}
        </dd>
        <dt>Notes</dt>
        <dd>{enrolment.notes ?? "—"}</dd>
      </dl>
      {!released && !signedUp && ability.can("invite", "Volunteer") ? (
        <Form method="post">
          <CsrfInput />
          <input type="hidden" name="intent" value="reinvite" />
          <button type="submit" className="secondary">
            Issue a new invitation link
          </button>
        </Form>
      ) : null}
      {!released && ability.can("update", "Volunteer") ? (
        <>
          <h2>Status</h2>
          <Form method="post" className="filters">
            <CsrfInput />
            <input type="hidden" name="intent" value="status" />
            <div className="field">
              <label htmlFor="status">Status</label>
              <select id="status" name="status" defaultValue={volunteer.status}>
                {SETTABLE_STATUSES.map((status) => (
                  <option key={status} value={status}>
                    {status}
                  </option>
                ))}
              </select>
            </div>
            <button type="submit" className="secondary">
              Set status
            </button>
          </Form>
        </>
      ) : null}
      {!released && ability.can("release", "Volunteer") ? (
        <>
          <h2>Release</h2>
          <Form method="post">
            <CsrfInput />
            <input type="hidden" name="intent" value="release" />
            <p>
              At the end of the surge: {volunteer.name} can no longer sign in, their {openCases} open cases go back to the queue, and their
              history stays for reporting.
            </p>
            <label>
              <input type="checkbox" name="confirmRelease" value="yes" /> Yes, release {volunteer.name}
            </label>{" "}
            <button type="submit" className="secondary">
              Release
            </button>
          </Form>
        </>
      ) : null}
      {!released && ability.can("update", "Volunteer") ? (
        <>
          <h2>Edit</h2>
          <VolunteerForm
            intent="update"
            submitLabel="Save changes"
            values={result && "values" in result ? result.values : values}
            serverErrors={result && "fieldErrors" in result ? result.fieldErrors : undefined}
          />
        </>
      ) : null}
    </section>
  );
}
