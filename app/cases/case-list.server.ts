import { accessibleBy } from "@casl/prisma";
import type { CaseStatus, Prisma } from "@prisma/client";
import { db } from "~/db/db.server";
import type { AppAbility } from "~/permissions/ability";

export interface CaseFilters {
  status?: CaseStatus;
  channelId?: string;
  language?: string;
}

/** The cases this user may read, most urgent first, oldest first in a tier. */
export async function listCases(ability: AppAbility, filters: CaseFilters, { page, pageSize }: { page: number; pageSize: number }) {
  const where: Prisma.CaseWhereInput = {
    AND: [
      accessibleBy(ability).ofType("Case"),
      {
        status: filters.status,
        channelId: filters.channelId,
        language: filters.language,
      },
    ],
  };
  const [cases, total] = await Promise.all([
    db.case.findMany({
      where,
      orderBy: [{ priorityTier: "asc" }, { receivedAt: "asc" }, { id: "asc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
      select: {
        id: true,
        number: true,
        subject: true,
        channelId: true,
        language: true,
        status: true,
        complexity: true,
        priorityTier: true,
        receivedAt: true,
        customerName: true,
        assignee: { select: { name: true } },
      },
    }),
    db.case.count({ where }),
  ]);
  return { cases, total };
}

/** The one answer for a case that does not exist or that the user may not see. */
export const NO_SUCH_CASE = "There is no case with this id.";
