// Which skill each case topic needs (the Topic table, from the reference-data
// migration). A supervisor edits the mapping; routing and the ability read it
// on the next request (ability facts) or within 4 s (routing's cache).
import { writeAudit } from "~/audit/audit-log.server";
import { db } from "~/db/db.server";

export async function listTopics() {
  const [topics, skills] = await Promise.all([
    db.topic.findMany({ orderBy: { id: "asc" }, select: { id: true, name: true, skillId: true } }),
    db.skill.findMany({ where: { kind: "topic" }, orderBy: { id: "asc" }, select: { id: true, name: true } }),
  ]);
  return { topics, skills };
}

export class TopicChangeError extends Error {}

/** Sets (or clears, with null) the skill a topic needs. Only topic skills qualify. */
export async function setTopicSkill(topicId: string, skillId: string | null, actorId: string): Promise<void> {
  await db.$transaction(async (tx) => {
    const topic = await tx.topic.findUnique({ where: { id: topicId } });
    if (!topic) throw new TopicChangeError(`There is no topic "${topicId}".`);
    if (skillId !== null) {
      const skill = await tx.skill.findUnique({ where: { id: skillId }, select: { kind: true } });
      if (!skill || skill.kind !== "topic") throw new TopicChangeError(`"${skillId}" is not a topic skill.`);
    }
    await tx.topic.update({ where: { id: topicId }, data: { skillId } });
    await writeAudit({ actorId, action: "topic.skill_set", subjectType: "Topic", subjectId: topicId, data: { from: topic.skillId, to: skillId } }, tx);
  });
}

/** Names of the topics each held skill opens, e.g. { "topic:refunds": ["Refund status", "Vouchers"] }. */
export async function topicsOpenedBy(skillIds: readonly string[]): Promise<Map<string, string[]>> {
  const topics = await db.topic.findMany({ where: { skillId: { in: [...skillIds] } }, orderBy: { name: "asc" }, select: { name: true, skillId: true } });
  const bySkill = new Map<string, string[]>();
  for (const topic of topics) bySkill.set(topic.skillId!, [...(bySkill.get(topic.skillId!) ?? []), topic.name]);
  return bySkill;
}
