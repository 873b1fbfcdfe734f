import { accessibleBy } from "@casl/prisma";
import type { Role } from "@prisma/client";
import { db } from "~/db/db.server";
import type { AppAbility } from "~/permissions/ability";
import { volunteerNextStep } from "./volunteer-next-step.server";

const OPEN_STATUSES = ["open", "assigned", "on_hold", "escalated"] as const;

/** What each role sees first: the figures its work starts from. */
export async function homeSummaryFor(user: { id: string; role: Role; locale: string }, ability: AppAbility) {
  switch (user.role) {
    case "volunteer":
    case "agent": {
      const [mine, waiting] = await Promise.all([
        db.case.count({ where: { assigneeId: user.id, status: { in: [...OPEN_STATUSES] } } }),
        db.case.count({ where: { AND: [accessibleBy(ability).ofType("Case"), { status: "open" }] } }),
      ]);
      const profile = await db.volunteer.findUnique({ where: { userId: user.id }, select: { status: true } });
      const nextStep = user.role === "volunteer" ? await volunteerNextStep(user) : null;
      return { kind: "agent" as const, myOpenCases: mine, waitingICanSee: waiting, volunteerStatus: profile?.status ?? null, nextStep };
    }
    case "supervisor": {
      const byChannel = await db.case.groupBy({
        by: ["channelId"],
        where: { status: "open" },
        _count: { _all: true },
        _min: { receivedAt: true },
        orderBy: { channelId: "asc" },
      });
      const escalated = await db.case.count({ where: { status: "escalated" } });
      return {
        kind: "supervisor" as const,
        escalated,
        queues: byChannel.map((row) => ({ channelId: row.channelId, open: row._count._all, oldest: row._min.receivedAt })),
      };
    }
    case "planner":
    case "admin": {
      const [byStatus, byRole] = await Promise.all([
        db.volunteer.groupBy({ by: ["status"], _count: { _all: true }, orderBy: { status: "asc" } }),
        db.user.groupBy({ by: ["role"], _count: { _all: true }, orderBy: { role: "asc" } }),
      ]);
      return {
        kind: "planner" as const,
        volunteersByStatus: byStatus.map((row) => ({ status: row.status, count: row._count._all })),
        usersByRole: byRole.map((row) => ({ role: row.role, count: row._count._all })),
      };
    }
  }
}
