// The planner's pipeline: per language and channel, how far the enrolled
// volunteers are (enrolled, invited, signed up, in training, certified,
// online now) and who is stuck. Pure: the stage and "stuck" of one
// volunteer, from facts the database module reads.
import type { VolunteerStatus } from "@prisma/client";
import { CASE_TAKING_VOLUNTEER_STATUSES } from "~/cases/routing";

export const PIPELINE_STAGES = ["enrolled", "invited", "signedUp", "inTraining", "certified", "online", "stuck"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];

export const STAGE_LABELS: Record<PipelineStage, string> = {
  enrolled: "Enrolled",
  invited: "Invited",
  signedUp: "Signed up",
  inTraining: "In training",
  certified: "Certified",
  online: "Online now",
  stuck: "Stuck",
};

/** No activity of their own for this long, and not certified yet: stuck. */
export const STUCK_AFTER_HOURS = 48;

export interface PipelineFacts {
  status: VolunteerStatus;
  signedUp: boolean;
  /** An invitation was ever issued. */
  invited: boolean;
  online: boolean;
  /** When they were enrolled in Surge (not the CSV's start date). */
  enrolledAt: Date;
  /** Their latest own step: signing up, signing in, opening a module, a quiz attempt. */
  lastActivityAt: Date | null;
}

/** The stages a volunteer counts in (a certified volunteer is also enrolled, invited and signed up). */
export function stagesOf(facts: PipelineFacts, now: Date): PipelineStage[] {
  const stages: PipelineStage[] = ["enrolled"];
  if (facts.invited) stages.push("invited");
  if (facts.signedUp) stages.push("signedUp");
  if (facts.status === "training") stages.push("inTraining");
  if (CASE_TAKING_VOLUNTEER_STATUSES.includes(facts.status)) stages.push("certified");
  if (facts.online) stages.push("online");
  if (isStuck(facts, now)) stages.push("stuck");
  return stages;
}

/**
 * Not certified and nothing of their own for STUCK_AFTER_HOURS, counted from
 * their last step, or from their enrolment when they never took one. Someone
 * imported a minute ago is not stuck, whatever start date the file gave.
 */
export function isStuck(facts: PipelineFacts, now: Date): boolean {
  if (CASE_TAKING_VOLUNTEER_STATUSES.includes(facts.status) || facts.status === "paused" || facts.status === "released") return false;
  const since = facts.lastActivityAt ?? facts.enrolledAt;
  return now.getTime() - since.getTime() >= STUCK_AFTER_HOURS * 3_600_000;
}
