import type { AccountStatus, VolunteerStatus } from "@prisma/client";

// Who may get an invitation link, in one place. A link sets the account's
// first password, so it must never reach someone who already has one (the
// invitation module, app/auth/invitation.server.ts, enforces that again under
// a row lock), nor someone who may no longer sign in.

export type InvitationRefusal = "released" | "signed_up";

export const INVITATION_REFUSALS: Record<InvitationRefusal, string> = {
  released: "released: cannot sign in",
  signed_up: "already signed up",
};

export function invitationRefusal(person: { volunteerStatus: VolunteerStatus; accountStatus: AccountStatus; hasPassword: boolean }): InvitationRefusal | null {
  if (person.volunteerStatus === "released" || person.accountStatus !== "active") return "released";
  if (person.hasPassword) return "signed_up";
  return null;
}
