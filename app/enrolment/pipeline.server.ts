// The pipeline board's data: one row per volunteer (not released) with the
// facts pipeline.ts needs, and the cells per language and channel. Bulk
// actions work on the volunteers of one cell and stage.
import type { VolunteerStatus } from "@prisma/client";
import { db } from "~/db/db.server";
import { freshInvitationLinks, type InvitationCandidates } from "./invitation-links.server";
import { PIPELINE_STAGES, stagesOf, type PipelineStage } from "./pipeline";
import { writeAuditRows } from "~/audit/audit-log.server";

interface PipelineRow {
  volunteerId: string;
  name: string;
  email: string;
  status: VolunteerStatus;
  languages: string[];
  channels: string[];
  signedUp: boolean;
  invited: boolean;
  online: boolean;
  enrolledAt: Date;
  lastActivityAt: Date | null;
}

async function pipelineRows(): Promise<PipelineRow[]> {
  return db.$queryRaw<PipelineRow[]>`
    SELECT v.id AS "volunteerId", u.name, u.email, v.status::text AS status,
           coalesce((SELECT array_agg(l.language ORDER BY l.language) FROM "VolunteerLanguage" l WHERE l."volunteerId" = v.id), '{}') AS languages,
           coalesce((SELECT array_agg(c."A" ORDER BY c."A") FROM "_ChannelToVolunteer" c WHERE c."B" = v.id), '{}') AS channels,
           u."passwordHash" IS NOT NULL AS "signedUp",
           EXISTS (SELECT 1 FROM "Invitation" i WHERE i."userId" = u.id) AS invited,
           coalesce(p.online, false) AS online,
           v."createdAt" AS "enrolledAt",
           GREATEST(
             (SELECT max(i."usedAt") FROM "Invitation" i WHERE i."userId" = u.id),
             (SELECT max(s."createdAt") FROM "Session" s WHERE s."userId" = u.id),
             (SELECT max(t."updatedAt") FROM "TrainingProgress" t WHERE t."userId" = u.id),
             (SELECT max(q."createdAt") FROM "QuizAttempt" q WHERE q."userId" = u.id)
           ) AS "lastActivityAt"
    FROM "Volunteer" v
    JOIN "User" u ON u.id = v."userId"
    LEFT JOIN "AgentPresence" p ON p."userId" = u.id
    WHERE v.status <> 'released'`;
}

export interface PipelineCell {
  language: string;
  channel: string;
  counts: Record<PipelineStage, number>;
}

export async function pipelineBoard(now = new Date()): Promise<{ cells: PipelineCell[]; totals: Record<PipelineStage, number> }> {
  const rows = await pipelineRows();
  const cells = new Map<string, PipelineCell>();
  const empty = () => Object.fromEntries(PIPELINE_STAGES.map((stage) => [stage, 0])) as Record<PipelineStage, number>;
  const totals = empty();
  for (const row of rows) {
    const stages = stagesOf(row, now);
    for (const stage of stages) totals[stage] += 1;
    for (const language of row.languages)
      for (const channel of row.channels) {
        const key = `${language}|${channel}`;
        const cell = cells.get(key) ?? { language, channel, counts: empty() };
        for (const stage of stages) cell.counts[stage] += 1;
        cells.set(key, cell);
      }
  }
  return { cells: [...cells.values()].sort((a, b) => a.language.localeCompare(b.language) || a.channel.localeCompare(b.channel)), totals };
}

/** Volunteers of one cell (any language or channel when "*") in one stage. */
export async function pipelineMembers(cell: { language: string; channel: string; stage: PipelineStage }, now = new Date()) {
  const rows = await pipelineRows();
  return rows.filter(
    (row) =>
      (cell.language === "*" || row.languages.includes(cell.language)) &&
      (cell.channel === "*" || row.channels.includes(cell.channel)) &&
      stagesOf(row, now).includes(cell.stage),
  );
}

export type BulkResult =
  | { action: "reinvite"; links: InvitationCandidates }
  | { action: "remind"; reminded: { name: string; email: string }[]; skipped: number };

/**
 * Re-invite: fresh links for those who have not signed up (the others are
 * skipped with the reason). Remind: the signed-up, not yet certified people,
 * listed for a message and recorded in the audit log.
 */
export async function pipelineBulkAction(
  action: "reinvite" | "remind",
  cell: { language: string; channel: string; stage: PipelineStage },
  actorId: string,
  origin: string,
): Promise<BulkResult> {
  const members = await pipelineMembers(cell);
  if (action === "reinvite") {
    return { action, links: await freshInvitationLinks(members.map((m) => m.volunteerId), actorId, origin, { via: "pipeline", ...cell }) };
  }
  const due = members.filter((m) => m.signedUp && (m.status === "invited" || m.status === "training"));
  await writeAuditRows(
    due.map((m) => ({ actorId, action: "volunteer.reminded", subjectType: "Volunteer", subjectId: m.volunteerId, data: { via: "pipeline", ...cell } })),
  );
  return { action, reminded: due.map((m) => ({ name: m.name, email: m.email })), skipped: members.length - due.length };
}
