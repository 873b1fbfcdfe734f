// Where a staffing gap can be closed, per channel and language, from the
// enrolment pipeline: certified volunteers who are offline (remind them to
// come online), volunteers still in training (nudge them on the pipeline
// page), and enrolment (invite more).
import { pipelineBoard, pipelineMembers } from "~/enrolment/pipeline.server";
import { writeAuditRows } from "~/audit/audit-log.server";
import { cellKey } from "./board";

export interface StaffingLeads {
  certifiedOffline: number;
  inTraining: number;
}

export async function staffingLeads(): Promise<Record<string, StaffingLeads>> {
  const { cells } = await pipelineBoard();
  return Object.fromEntries(
    cells.map((cell) => [cellKey(cell.channel, cell.language), { certifiedOffline: Math.max(0, cell.counts.certified - cell.counts.online), inTraining: cell.counts.inTraining }]),
  );
}

/** The certified volunteers of a channel and language who are offline, listed to contact and recorded in the audit log. */
export async function remindOfflineVolunteers(cell: { channel: string; language: string }, actorId: string): Promise<{ name: string; email: string }[]> {
  const members = (await pipelineMembers({ ...cell, stage: "certified" })).filter((m) => !m.online);
  await writeAuditRows(
    members.map((m) => ({ actorId, action: "volunteer.reminded_to_come_online", subjectType: "Volunteer", subjectId: m.volunteerId, data: { via: "capacity", ...cell } })),
  );
  return members.map((m) => ({ name: m.name, email: m.email }));
}
