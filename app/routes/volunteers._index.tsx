import type { VolunteerStatus } from "@prisma/client";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { CsrfInput } from "~/auth/csrf-input";
import { rosterQueryFrom, rosterSearch, ROSTER_SORTS, SETTABLE_STATUSES, TRAINING_FILTERS, VOLUNTEER_STATUSES } from "~/enrolment/roster-query";
import { listRoster } from "~/enrolment/roster.server";
import { ORIGIN_LABELS, VOLUNTEER_ORIGINS } from "~/enrolment/volunteer-schema";
import { releaseVolunteers, setVolunteerStatus, volunteerUserIds } from "~/enrolment/volunteers.server";
import { skillChangeReason } from "~/training/skill-change";
import { grantSkill, listSkills } from "~/training/skills.server";
import { readForm } from "~/forms/form-submission.server";
import { DEFAULT_PAGE_SIZE, pageFrom } from "~/lists/pagination";
import { Pagination } from "~/lists/pagination-nav";
import { useAppAbility } from "~/permissions/can";
import { forbidden, requireAbility } from "~/permissions/guard.server";
import { CHANNELS } from "~/reference/channels";
import { LANGUAGE_CODES, LANGUAGES } from "~/reference/languages";
import { FilterSelect, SelectField } from "~/lists/filter-select";
import { ActionNotice } from "~/forms/notice";

export const meta: MetaFunction = () => [{ title: "Volunteers · Surge" }];

export async function loader(args: LoaderFunctionArgs) {
  const { ability } = requireAbility(args, "read", "Volunteer");
  const params = new URL(args.request.url).searchParams;
  const query = rosterQueryFrom(params);
  const page = pageFrom(params);
  const [{ volunteers, total }, skills] = await Promise.all([
    listRoster(query, { page, pageSize: DEFAULT_PAGE_SIZE }),
    ability.can("grant", "Skill") ? listSkills() : Promise.resolve([]),
  ]);
  return { volunteers, total, page, pageSize: DEFAULT_PAGE_SIZE, query, search: rosterSearch(query), skills };
}

const MAX_SELECTED = 500;

export async function action(args: ActionFunctionArgs) {
  const { user, ability } = requireAbility(args, "update", "Volunteer");
  const form = await readForm(args.request);
  const ids = [...new Set(form.getAll("volunteerId").filter((id): id is string => typeof id === "string" && id.length <= 64))];
  const bulk = form.get("bulk");
  if (ids.length === 0) return data({ error: "Select at least one volunteer first." }, { status: 400 });
  if (ids.length > MAX_SELECTED) return data({ error: `Select at most ${MAX_SELECTED} volunteers at a time.` }, { status: 400 });
  if (bulk === "pause" || bulk === "activate") {
    const status: VolunteerStatus = bulk === "pause" ? "paused" : "active";
    const outcome = await setVolunteerStatus(ids, status, user.id);
    return { message: `${outcome.changed} ${outcome.changed === 1 ? "volunteer is" : "volunteers are"} now ${status}${outcome.skipped ? ` (${outcome.skipped} unchanged: already ${status} or released)` : ""}.` };
  }
  if (bulk === "release") {
    if (!ability.can("release", "Volunteer")) throw forbidden("You may not release volunteers.");
    if (form.get("confirmRelease") !== "yes") {
      return data({ error: "Tick “Yes, release the selected volunteers” to confirm: they will no longer be able to sign in." }, { status: 400 });
    }
    const outcome = await releaseVolunteers(ids, user.id);
    return {
      message: `${outcome.changed} released; ${outcome.reopenedCases} of their open cases went back to the queue.${outcome.skipped ? ` ${outcome.skipped} were already released.` : ""}`,
    };
  }
  if (bulk === "grant") {
    if (!ability.can("grant", "Skill")) throw forbidden("You may not grant skills.");
    const skillId = form.get("skillId");
    if (typeof skillId !== "string" || !skillId) return data({ error: "Choose the skill to grant." }, { status: 400 });
    const reason = skillChangeReason.safeParse(form.get("reason") ?? "");
    if (!reason.success) return data({ error: `Not granted: ${reason.error.issues[0]?.message ?? "write why."}` }, { status: 400 });
    const outcome = await grantSkill({ userIds: await volunteerUserIds(ids), skillId, reason: reason.data, actorId: user.id });
    const skipped = ids.length - outcome.granted.length;
    return {
      message: `${outcome.skillName} granted to ${outcome.granted.length} ${outcome.granted.length === 1 ? "volunteer" : "volunteers"}${skipped ? ` (${skipped} skipped: already held or released)` : ""}.`,
    };
  }
  return data({ error: "Choose an action." }, { status: 400 });
}

function label(status: string) {
  return status.replace("_", " ");
}

export default function Roster() {
  const { volunteers, total, page, pageSize, query, search, skills } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const ability = useAppAbility();
  const { filters, sort } = query;
  const canUpdate = ability.can("update", "Volunteer");
  return (
    <section aria-labelledby="roster-title">
      <h1 id="roster-title">Volunteers</h1>
      {ability.can("create", "Volunteer") ? (
        <p>
          <Link to="/volunteers/new">Enrol one volunteer</Link> · <Link to="/volunteers/import">Enrol many from a file (CSV or Excel)</Link>
        </p>
      ) : null}
      <ActionNotice result={result} />
      <Form method="get" className="filters" aria-label="Filter and sort volunteers">
        <div className="field">
          <label htmlFor="q">Name, email or number</label>
          <input id="q" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <FilterSelect name="status" label="Status" value={filters.status} options={VOLUNTEER_STATUSES.map((status) => ({ value: status, label: status }))} />
        <FilterSelect name="language" label="Language" value={filters.language} options={LANGUAGE_CODES.map((code) => ({ value: code, label: `${LANGUAGES[code]} (${code})` }))} />
        <FilterSelect name="channel" label="Channel" value={filters.channel} options={CHANNELS.map((channel) => ({ value: channel.id, label: channel.name }))} />
        <FilterSelect name="origin" label="Origin" value={filters.origin} options={VOLUNTEER_ORIGINS.map((origin) => ({ value: origin, label: ORIGIN_LABELS[origin] }))} />
        <div className="field">
          <label htmlFor="base">Home base</label>
          <input id="base" name="base" size={4} maxLength={3} defaultValue={filters.base ?? ""} />
        </div>
        <div className="field">
          <label htmlFor="training">Training progress</label>
          <select id="training" name="training" defaultValue={filters.training ?? ""}>
            <option value="">Any</option>
            {Object.entries(TRAINING_FILTERS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="sort">Sort by</label>
          <select id="sort" name="sort" defaultValue={sort}>
            {Object.entries(ROSTER_SORTS).map(([value, text]) => (
              <option key={value} value={value}>
                {text}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" className="secondary">
          Apply
        </button>
      </Form>
      <p>
        <a href={`/volunteers/export.csv${search ? `?${search}` : ""}`} download>
          Download this roster as CSV ({total} volunteers)
        </a>
      </p>
      {/* A native form: "Download invitation links" answers with a file. */}
      <form method="post" action="/volunteers?index" id="bulk" aria-label="Bulk actions on the selected volunteers">
        <CsrfInput />
        {volunteers.length === 0 ? (
          <p>No volunteers match these filters.</p>
        ) : (
          <div className="table-scroll">
            <table>
              <caption>
                {total} volunteers, sorted by {ROSTER_SORTS[sort].toLowerCase()}
              </caption>
              <thead>
                <tr>
                  {canUpdate ? (
                    <th scope="col">
                      <span className="visually-hidden">Select</span>
                    </th>
                  ) : null}
                  <th scope="col">Name</th>
                  <th scope="col">Status</th>
                  <th scope="col">Origin</th>
                  <th scope="col">Base</th>
                  <th scope="col">Languages</th>
                  <th scope="col">Channels</th>
                  <th scope="col">Modules passed</th>
                </tr>
              </thead>
              <tbody>
                {volunteers.map((volunteer) => (
                  <tr key={volunteer.id}>
                    {canUpdate ? (
                      <td>
                        <input type="checkbox" name="volunteerId" value={volunteer.id} aria-label={`Select ${volunteer.name}`} />
                      </td>
                    ) : null}
                    <th scope="row">
                      <Link to={`/volunteers/${volunteer.id}`}>{volunteer.name}</Link>
                      <br />
                      <small>
                        {volunteer.email} · {volunteer.employeeNumber}
                      </small>
                    </th>
                    <td>{label(volunteer.status)}</td>
                    <td>{ORIGIN_LABELS[volunteer.origin]}</td>
                    <td>{volunteer.homeBase ?? "—"}</td>
                    <td>{volunteer.languages.join(", ")}</td>
                    <td>{volunteer.channels.join(", ")}</td>
                    <td>{volunteer.passedModules}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        {canUpdate && volunteers.length > 0 ? (
          <fieldset>
            <legend>With the selected volunteers</legend>
            <div className="filters">
              <button type="submit" name="bulk" value="pause" className="secondary">
                Pause
              </button>
              <button type="submit" name="bulk" value="activate" className="secondary">
                Set active
              </button>
              {ability.can("invite", "Volunteer") ? (
                <button type="submit" formAction="/volunteers/invitations.csv" className="secondary">
                  Re-invite: download new links (CSV)
                </button>
              ) : null}
            </div>
            {skills.length > 0 ? (
              <div className="filters">
                <SelectField
                  id="skillId"
                  label="Skill"
                  emptyLabel="Choose a skill…"
                  options={skills.map((skill) => ({ value: skill.id, label: skill.name }))}
                  select={{ name: "skillId", defaultValue: "" }}
                />
                <div className="field">
                  <label htmlFor="reason">Reason for the skill</label>
                  <input id="reason" name="reason" maxLength={500} />
                </div>
                <button type="submit" name="bulk" value="grant" className="secondary">
                  Grant skill
                </button>
              </div>
            ) : null}
            {ability.can("release", "Volunteer") ? (
              <div className="filters">
                <label>
                  <input type="checkbox" name="confirmRelease" value="yes" /> Yes, release the selected volunteers (they can no
                  longer sign in; their open cases go back to the queue)
                </label>
                <button type="submit" name="bulk" value="release" className="secondary">
                  Release
                </button>
              </div>
            ) : null}
            <p className="hint">Statuses a planner can set one by one on a volunteer’s page: {SETTABLE_STATUSES_TEXT}.</p>
          </fieldset>
        ) : null}
      </form>
      <Pagination page={page} total={total} pageSize={pageSize} label="Volunteers" />
    </section>
  );
}

const SETTABLE_STATUSES_TEXT = SETTABLE_STATUSES.join(", ");
