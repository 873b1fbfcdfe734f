// POST /volunteers/invitations.csv: fresh invitation links for a mail merge,
// for the volunteers ticked on the roster (volunteerId, repeated) or for the
// people one import enrolled (importId). Only hashes of tokens are stored,
// so every download issues new links and the earlier unused ones stop working.
import type { ActionFunctionArgs } from "@remix-run/node";
import { volunteersEnrolledBy } from "~/enrolment/enrolment-import.server";
import { invitationLinksCsv } from "~/enrolment/csv-export.server";
import { freshInvitationLinks } from "~/enrolment/invitation-links.server";
import { readForm } from "~/forms/form-submission.server";
import { requireAbility } from "~/permissions/guard.server";

export async function loader() {
  return new Response("Use the roster's “Re-invite” button; the links are issued by a POST.", { status: 405, headers: { Allow: "POST" } });
}

export async function action(args: ActionFunctionArgs) {
  const { user } = requireAbility(args, "invite", "Volunteer");
  const form = await readForm(args.request);
  const importId = form.get("importId");
  let ids = form.getAll("volunteerId").filter((id): id is string => typeof id === "string" && id.length <= 64);
  if (typeof importId === "string" && importId) ids = await volunteersEnrolledBy(importId);
  ids = [...new Set(ids)];
  if (ids.length === 0) {
    return new Response("Select at least one volunteer to invite, then try again.", { status: 400, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  }
  const links = await freshInvitationLinks(ids, user.id, new URL(args.request.url).origin, {
    via: typeof importId === "string" && importId ? "import" : "roster",
    ...(typeof importId === "string" && importId ? { importId } : {}),
  });
  const day = new Date().toISOString().slice(0, 10);
  return new Response(invitationLinksCsv(links.invited), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="invitation-links-${day}.csv"`,
      "Cache-Control": "no-store",
      "X-Surge-Invited": String(links.invited.length),
      "X-Surge-Skipped": String(links.skipped.length),
    },
  });
}
