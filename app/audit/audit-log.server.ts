import { randomBytes } from "node:crypto";
import type { Prisma } from "@prisma/client";
import { db } from "~/db/db.server";

type Client = Prisma.TransactionClient | typeof db;

export interface AuditEntry {
  actorId: string | null;
  action: string;
  subjectType: string;
  subjectId?: string | null;
  data?: Prisma.InputJsonValue;
}

// Every audit row is written here, one way: one statement for any number of
// rows (the commit of a 10,000-row enrolment file writes 10,000). Pass the
// transaction so the rows commit with the change they record.

// Ids sort in the order rows were written (the log breaks ties of createdAt by id).
let sequence = 0;
function auditId(now: Date): string {
  sequence = (sequence + 1) % 36 ** 4;
  return `a${now.getTime().toString(36).padStart(9, "0")}${sequence.toString(36).padStart(4, "0")}${randomBytes(6).toString("hex")}`;
}

/** Writes one audit row. */
export async function writeAudit(entry: AuditEntry, client: Client = db): Promise<void> {
  await writeAuditRows([entry], client);
}

/** Writes many audit rows in one statement, all with the same time. */
export async function writeAuditRows(entries: readonly AuditEntry[], client: Client = db, now = new Date()): Promise<void> {
  if (entries.length === 0) return;
  await client.$executeRaw`
    INSERT INTO "AuditLog" (id, "actorId", action, "subjectType", "subjectId", data, "createdAt")
    SELECT a.id, a.actor_id, a.action, a.subject_type, a.subject_id, a.data::jsonb, ${now.toISOString()}::timestamp(3)
    FROM unnest(
      ${entries.map(() => auditId(now))}::text[],
      ${entries.map((entry) => entry.actorId)}::text[],
      ${entries.map((entry) => entry.action)}::text[],
      ${entries.map((entry) => entry.subjectType)}::text[],
      ${entries.map((entry) => entry.subjectId ?? null)}::text[],
      ${entries.map((entry) => JSON.stringify(entry.data ?? {}))}::text[]
    ) AS a(id, actor_id, action, subject_type, subject_id, data)`;
}

export interface AuditFilter {
  action?: string;
  subjectType?: string;
  actorId?: string;
}

/** What each subject id stands for, so the log shows names rather than ids. */
async function subjectNames(entries: { subjectType: string; subjectId: string | null }[]): Promise<Map<string, string>> {
  const ids = (type: string) => [...new Set(entries.filter((e) => e.subjectType === type && e.subjectId).map((e) => e.subjectId!))];
  const [users, volunteers, cases, integrations, imports] = await Promise.all([
    db.user.findMany({ where: { id: { in: ids("User") } }, select: { id: true, name: true, email: true } }),
    db.volunteer.findMany({ where: { id: { in: ids("Volunteer") } }, select: { id: true, user: { select: { name: true } } } }),
    db.case.findMany({ where: { id: { in: ids("Case") } }, select: { id: true, number: true, subject: true } }),
    db.integration.findMany({ where: { id: { in: ids("Integration") } }, select: { id: true, name: true } }),
    db.enrolmentImport.findMany({ where: { id: { in: ids("EnrolmentImport") } }, select: { id: true, fileName: true } }),
  ]);
  const names = new Map<string, string>();
  for (const u of users) names.set(`User:${u.id}`, `${u.name} (${u.email})`);
  for (const v of volunteers) names.set(`Volunteer:${v.id}`, v.user.name);
  for (const c of cases) names.set(`Case:${c.id}`, `Case #${c.number}: ${c.subject}`);
  for (const i of integrations) names.set(`Integration:${i.id}`, i.name);
  for (const f of imports) names.set(`EnrolmentImport:${f.id}`, f.fileName);
  return names;
}

/** A page of the log, newest first, with the subject's name and the filter choices. */
export async function listAudit({ page, pageSize, filter = {} }: { page: number; pageSize: number; filter?: AuditFilter }) {
  const where: Prisma.AuditLogWhereInput = {
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.subjectType ? { subjectType: filter.subjectType } : {}),
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
  };
  const [rows, total, actions, subjectTypes, actors] = await Promise.all([
    db.auditLog.findMany({
      where,
      orderBy: [{ createdAt: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      include: { actor: { select: { name: true, email: true } } },
    }),
    db.auditLog.count({ where }),
    db.auditLog.findMany({ distinct: ["action"], select: { action: true }, orderBy: { action: "asc" } }),
    db.auditLog.findMany({ distinct: ["subjectType"], select: { subjectType: true }, orderBy: { subjectType: "asc" } }),
    db.user.findMany({ where: { auditEntries: { some: {} } }, select: { id: true, name: true }, orderBy: { name: "asc" } }),
  ]);
  const names = await subjectNames(rows);
  const entries = rows.map((row) => ({
    ...row,
    subjectName: row.subjectId ? (names.get(`${row.subjectType}:${row.subjectId}`) ?? null) : null,
  }));
  return {
    entries,
    total,
    choices: { actions: actions.map((a) => a.action), subjectTypes: subjectTypes.map((t) => t.subjectType), actors },
  };
}
