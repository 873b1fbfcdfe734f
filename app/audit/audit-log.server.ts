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

/** Writes one audit row; pass the transaction so the row commits with the change. */
export async function writeAudit(entry: AuditEntry, client: Client = db): Promise<void> {
  await client.auditLog.create({
    data: {
      actorId: entry.actorId,
      action: entry.action,
      subjectType: entry.subjectType,
      subjectId: entry.subjectId ?? null,
      data: entry.data ?? {},
    },
  });
}

export async function listAudit({ page, pageSize }: { page: number; pageSize: number }) {
  const [entries, total] = await Promise.all([
    db.auditLog.findMany({
      orderBy: { createdAt: "desc" },
      skip: (page - 1) * pageSize,
      take: pageSize,
      include: { actor: { select: { name: true, email: true } } },
    }),
    db.auditLog.count(),
  ]);
  return { entries, total };
}
