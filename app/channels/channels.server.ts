// The Channel rows (from the reference-data migration) as admins edit them:
// display name, whether the channel is routed at all, and how many of its
// cases one agent handles at once. Routing reads them through
// channelCapacities (cached 10 s per process; this instance forgets at once).
import { z } from "zod";
import { writeAudit } from "~/audit/audit-log.server";
import { forgetChannelCapacities } from "~/cases/routing.server";
import { db } from "~/db/db.server";

export const channelEditSchema = z.object({
  id: z.string().min(1),
  name: z.string().trim().min(1, "Give the channel a name.").max(60, "A name is at most 60 characters."),
  active: z.boolean(),
  maxConcurrentPerAgent: z.coerce
    .number({ error: "Enter a number." })
    .int("Enter a whole number.")
    .min(1, "At least 1 case at a time.")
    .max(50, "At most 50 cases at a time."),
});

export type ChannelEdit = z.output<typeof channelEditSchema>;

export async function listChannels() {
  return db.channel.findMany({
    orderBy: { id: "asc" },
    select: { id: true, name: true, kind: true, active: true, maxConcurrentPerAgent: true },
  });
}

export class ChannelNotFoundError extends Error {}

export async function updateChannel(edit: ChannelEdit, actorId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const before = await tx.channel.findUnique({ where: { id: edit.id } });
    if (!before) throw new ChannelNotFoundError(`There is no channel "${edit.id}".`);
    await tx.channel.update({ where: { id: edit.id }, data: { name: edit.name, active: edit.active, maxConcurrentPerAgent: edit.maxConcurrentPerAgent } });
    await writeAudit(
      {
        actorId,
        action: "channel.updated",
        subjectType: "Channel",
        subjectId: edit.id,
        data: { from: { name: before.name, active: before.active, max: before.maxConcurrentPerAgent }, to: { name: edit.name, active: edit.active, max: edit.maxConcurrentPerAgent } },
      },
      tx,
    );
  });
  forgetChannelCapacities();
}
