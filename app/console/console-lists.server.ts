// The lists supervisors edit for the console: reply templates and
// contact-reason tags (service targets live in service-levels.server.ts).
import { db } from "~/db/db.server";
import { writeAudit } from "~/audit/audit-log.server";
import { isUniqueViolation } from "~/db/unique-violation";

export async function listTemplatesForEditing() {
  return db.replyTemplate.findMany({ orderBy: [{ language: "asc" }, { name: "asc" }] });
}

export async function listContactReasonsForEditing() {
  return db.contactReason.findMany({ orderBy: { label: "asc" } });
}

export class DuplicateTemplateError extends Error {}

export async function saveTemplate(
  actorId: string,
  template: { id?: string; name: string; language: string; body: string; disclosesBooking: boolean; active: boolean },
): Promise<string> {
  try {
    const { id, ...fields } = template;
    const saved = id ? await db.replyTemplate.update({ where: { id }, data: fields }) : await db.replyTemplate.create({ data: fields });
    await writeAudit({ actorId, action: id ? "template.update" : "template.create", subjectType: "ReplyTemplate", subjectId: saved.id, data: { name: saved.name, language: saved.language, active: saved.active } });
    return saved.id;
  } catch (error) {
    if (isUniqueViolation(error)) throw new DuplicateTemplateError(`There is already a template called "${template.name}" in ${template.language}.`);
    throw error;
  }
}

export async function saveContactReason(actorId: string, reason: { id: string; label: string; active: boolean }): Promise<void> {
  await db.contactReason.upsert({ where: { id: reason.id }, update: { label: reason.label, active: reason.active }, create: reason });
  await writeAudit({ actorId, action: "contact_reason.save", subjectType: "ContactReason", subjectId: reason.id, data: { label: reason.label, active: reason.active } });
}
